package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ferry/internal/plan/decide"
	"ferry/internal/workspace"
)

// chromiumPath finds a headless-capable Chromium: FERRY_CHROMIUM, else the Debian package's
// /usr/bin/chromium, else one on PATH. Without one the browser tests skip loudly, and fail
// under CI=true (.ci/run installs the package).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("FERRY_CHROMIUM"), "/usr/bin/chromium"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "NO CHROMIUM: the review page's browser tests need it (apt-get install -y chromium, or set FERRY_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED LOUDLY: " + msg)
	return ""
}

// screenshotDir is where the browser tests write a PNG of each page: FERRY_ARTEFACTS, else a
// folder under the system's temporary directory. Nothing there is committed.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FERRY_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "ferry-artefacts")
	}
	dir = filepath.Join(dir, "review")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestReviewInBrowser clicks through the review page in headless Chromium on a generated
// workspace against the in-process Pipedrive sandbox: resolve an owner, split a cluster,
// accept the losses, confirm, run, write and open the report; it asserts what each page shows,
// what the workspace files hold afterwards and, through the sandbox's HTTP API, that the
// resolved owner's records arrived under the chosen user. It writes a screenshot of each page.
func TestReviewInBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	dir, sb := plannedSandboxWorkspace(t, 30, 11)
	ch := pickChoices(t, dir, sb)
	start, _ := reviewPage(t, dir)
	shots := screenshotDir(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil { // starts the browser
		t.Fatalf("start Chromium %s: %v", chrome, err)
	}
	ctx, cancelTimeout := context.WithTimeout(bctx, 2*time.Minute)
	defer cancelTimeout()

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			main, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			_ = chromedp.Do(bctx, shot("failed"))
			t.Fatalf("%s: %v\nthe page says:\n%s", what, err, main)
		}
	}
	// waitFor polls a JavaScript condition (the page changes after htmx swaps or events).
	// Each also waits for htmx to finish swapping and settling, so the next click lands on
	// the new page and not where an old button was.
	waitFor := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void]("("+js+") && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')",
			chromedp.WithPollingTimeout(60*time.Second))
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	run("open the overview", chromedp.Navigate(start), chromedp.WaitVisible(css("#next-step")), shot("overview"))
	if s := text("#next-step"); !strings.Contains(s, "decision(s) are open") {
		t.Errorf("overview's next step: %q, want the open decisions", s)
	}

	row := fmt.Sprintf(`tr[data-owner=%s]`, strconv.Quote(ch.Owner))
	run("resolve an owner",
		chromedp.Navigate(strings.Replace(start, "/?token=", "/owners?token=", 1)),
		chromedp.WaitVisible(css(row)),
		chromedp.SetValue(css(row+` select[name=resolution]`), "map"),
		chromedp.SetValue(css(row+` select[name=user]`), ch.User),
		chromedp.Click(css(row+` button`)),
		waitFor(`!!document.querySelector('#outcome')`), shot("owners"))
	if s := text(row + ` .resolution`); s != "map → "+ch.User {
		t.Errorf("owner row after saving says %q, want %q", s, "map → "+ch.User)
	}

	cluster := fmt.Sprintf(`section[data-survivor=%s]`, strconv.Quote(ch.Split))
	run("split a cluster",
		chromedp.Navigate(strings.Replace(start, "/?token=", "/duplicates?token=", 1)),
		chromedp.WaitVisible(css(cluster)), shot("duplicates"),
		chromedp.Click(css(cluster+` button`)),
		waitFor(`!!document.querySelector('#outcome')`))
	if s := text("#outcome"); !strings.Contains(s, "exited 0") {
		t.Errorf("split: %q", s)
	}

	run("accept the losses and confirm",
		chromedp.Navigate(strings.Replace(start, "/?token=", "/confirm?token=", 1)),
		chromedp.WaitVisible(css("#accept-all")),
		chromedp.Click(css("#accept-all")),
		waitFor(`!!document.querySelector('#outcome') && document.querySelector('#outcome').textContent.includes('accept-loss')`),
		chromedp.Click(css("#confirm-button")),
		waitFor(`document.querySelector('#lock-status').textContent.includes('Locked')`), shot("confirm"))

	run("run",
		chromedp.Navigate(strings.Replace(start, "/?token=", "/run?token=", 1)),
		chromedp.WaitVisible(css("#start")),
		chromedp.Click(css("#start")),
		waitFor(`!!document.querySelector('#run-outcome')`), shot("run"))
	if s := text("#run-outcome"); !strings.Contains(s, "exited 0") {
		t.Errorf("run: %q", s)
	}
	if s := text("#run-phases"); !strings.Contains(s, "person") {
		t.Errorf("the run's reconciliation does not list persons: %q", s)
	}
	if s := text("#run-outcomes"); !strings.Contains(s, "person") {
		t.Errorf("the run's outcomes do not list persons: %q", s)
	}

	run("write and open the report",
		chromedp.Navigate(strings.Replace(start, "/?token=", "/report?token=", 1)),
		chromedp.Click(css("#write-report")),
		waitFor(`!!document.querySelector('#outcome')`),
		chromedp.WaitVisible(css("#reconciliation svg")), shot("report"))
	links, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.links a[href^="https://`+reviewCompany+`.pipedrive.com/"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	if links == 0 {
		t.Error("the report links no record in Pipedrive")
	}
	run("pipelines", chromedp.Navigate(strings.Replace(start, "/?token=", "/pipelines?token=", 1)),
		chromedp.WaitVisible(css("#stage-map svg")), shot("pipelines"))
	for _, pg := range []struct{ path, sel string }{{"columns", "table.columns"}, {"fields", "#lint"}, {"labels", "#labels"}} {
		run(pg.path, chromedp.Navigate(strings.Replace(start, "/?token=", "/"+pg.path+"?token=", 1)),
			chromedp.WaitVisible(css(pg.sel)), shot(pg.path))
	}
	run("overview after", chromedp.Navigate(start), chromedp.WaitVisible(css("#next-step")), shot("overview-after"))
	if s := text("#next-step"); !strings.Contains(s, "read the report") {
		t.Errorf("overview's next step after the run: %q", s)
	}
	t.Logf("screenshots in %s", shots)

	checkReviewFiles(t, dir, ch)
	if n := personsOwnedBy(t, ch.User); n == 0 {
		t.Errorf("Pipedrive holds no person owned by %s, the user the page mapped %q to", ch.User, ch.Owner)
	}
}

// checkReviewFiles checks what the page's clicks left in the workspace files.
func checkReviewFiles(t *testing.T, dir string, ch reviewChoices) {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := readDecisions(ws)
	if err != nil {
		t.Fatal(err)
	}
	if i := findOwner(&d, ch.Owner); i < 0 || d.Owners[i].Resolution != decide.OwnerMap || d.Owners[i].Target != ch.User {
		t.Errorf("decisions.yaml does not map %q to %s: %+v", ch.Owner, ch.User, d.Owners)
	}
	for _, c := range readDedupe(t, dir).PersonClusters {
		if c.Survivor == ch.Split {
			t.Errorf("dedupe.json still holds the cluster the page split (%s)", ch.Split)
		}
	}
	for _, f := range []string{"report/report.md", "report/success-person.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the page's report did not write %s: %v", f, err)
		}
	}
}

// personsOwnedBy reads the sandbox back through its HTTP API: the persons whose owner is the
// user with that email.
func personsOwnedBy(t *testing.T, email string) int {
	t.Helper()
	get := func(path string, v any) {
		req, _ := http.NewRequest("GET", os.Getenv("PIPEDRIVE_BASE_URL")+path, nil)
		req.Header.Set("x-api-token", os.Getenv("PIPEDRIVE_API_TOKEN"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	var users struct {
		Data []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"data"`
	}
	get("/api/v1/users", &users)
	for _, u := range users.Data {
		if strings.EqualFold(u.Email, email) {
			var persons struct {
				Data []json.RawMessage `json:"data"`
			}
			get(fmt.Sprintf("/api/v2/persons?owner_id=%d&limit=500", u.ID), &persons)
			return len(persons.Data)
		}
	}
	t.Fatalf("no Pipedrive user %s", email)
	return 0
}
