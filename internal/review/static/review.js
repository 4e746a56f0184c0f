// ferry review: follows the run's server-sent events. The server renders (and escapes) every
// fragment; this script only puts it in place.
(function () {
  function follow() {
    var el = document.getElementById("progress");
    if (!el || !el.dataset.events || el.dataset.following) return;
    el.dataset.following = "1";
    var es = new EventSource(el.dataset.events);
    es.addEventListener("progress", function (e) { el.innerHTML = e.data; });
    es.addEventListener("end", function () { es.close(); delete el.dataset.following; el.dataset.ended = "1"; });
  }
  document.addEventListener("DOMContentLoaded", follow);
  document.addEventListener("htmx:afterSettle", follow);
})();
