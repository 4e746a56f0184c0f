package sandbox

import (
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// recentItems maps the recents item types the sandbox stores to their collections.
var recentItems = map[string]string{"person": "persons", "organization": "organizations", "deal": "deals",
	"activity": "activities", "note": "notes", "file": "files", "pipeline": "pipelines", "stage": "stages"}

// recentsList serves GET /api/v1/recents?since_timestamp=YYYY-MM-DD HH:MM:SS: records changed
// at or after the timestamp, oldest first, as {item, id, data} (data in the API's shape).
func (s *Server) recentsList(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	since, err := time.Parse(v1TimeFmt, q.Get("since_timestamp"))
	if err != nil {
		return v1Bad("since_timestamp must be given as YYYY-MM-DD HH:MM:SS")
	}
	p, aerr := parseV1Page(r, 500)
	if aerr != nil {
		return aerr
	}
	types := []string{}
	for t := range recentItems {
		types = append(types, t)
	}
	if items := q.Get("items"); items != "" {
		types = strings.Split(items, ",")
	}
	type hit struct {
		item string
		rec  *record
	}
	var hits []hit
	for _, t := range types {
		for _, rec := range s.st.all(recentItems[t]) {
			if !rec.UpdateTime.Before(since) {
				hits = append(hits, hit{t, rec})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].rec.UpdateTime.Before(hits[j].rec.UpdateTime) })
	page := v1Slice(hits, p)
	data := make([]map[string]any, len(page))
	last := any(nil)
	for i, h := range page {
		data[i] = map[string]any{"item": h.item, "id": h.rec.ID, "data": s.renderAny(r, recentItems[h.item], h.rec)}
		last = fmtV1(h.rec.UpdateTime)
	}
	pg := map[string]any{"start": p.start, "limit": p.limit, "more_items_in_collection": p.start+p.limit < len(hits)}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": data, "additional_data": map[string]any{
		"since_timestamp": fmtV1(since), "last_timestamp_on_page": last, "pagination": pg}})
	return nil
}

// renderAny renders a record of any collection in its v1 shape.
func (s *Server) renderAny(r *http.Request, coll string, rec *record) map[string]any {
	switch coll {
	case "notes":
		return s.renderNote(rec)
	case "files":
		return s.renderFile(r.Host, rec)
	}
	return legacyV1(coll, s.render(kindOf(coll), rec))
}

// personPicture serves POST /api/v1/persons/{id}/picture (multipart "file"); the person's
// picture_id is set.
func (s *Server) personPicture(w http.ResponseWriter, r *http.Request) *apiError {
	id, aerr := pathID(r)
	if aerr != nil {
		return aerr
	}
	person, ok := s.st.live("persons", id)
	if !ok {
		return notFound()
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return v1Bad("No files were provided with the request.")
	}
	got := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return v1Bad("Invalid multipart body")
		}
		if part.FormName() == "file" && part.FileName() != "" {
			got = true
		}
		_, _ = io.Copy(io.Discard, part)
	}
	if !got {
		return v1Bad("No files were provided with the request.")
	}
	now := s.now()
	pic := s.st.nextID("pictures")
	person.Attrs["picture_id"] = pic
	person.UpdateTime = now
	base := "http://" + r.Host + "/pictures/" + strconv.FormatInt(pic, 10)
	writeData(w, map[string]any{"id": pic, "item_type": "person", "item_id": id, "active_flag": true,
		"add_time": fmtV1(now), "update_time": fmtV1(now), "added_by_user_id": 1,
		"pictures": map[string]any{"128": base + "_128.jpg", "512": base + "_512.jpg"}})
	return nil
}
