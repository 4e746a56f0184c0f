package review

import (
	"encoding/csv"
	"errors"
	"html/template"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"ferry/internal/migrate"
	"ferry/internal/report"
)

// notMigratedShown bounds the not-migrated rows one page lists; report.md and the CSV files
// hold them all.
const notMigratedShown = 500

// linksShown bounds the record links listed per object.
const linksShown = 50

type reportData struct {
	State       *state
	Chart       template.HTML
	Spend       template.HTML
	Stages      template.HTML
	Links       []objectLinks
	NotMigrated []report.NotMigrated
	NotTotal    int
	Matching    int // rows the filter matches (the first notMigratedShown are shown)
	Filter      string
	Written     bool // report/ holds the files ferry report writes
}

// objectLinks are the first records of one object that arrived, with their Pipedrive URL.
type objectLinks struct {
	Object string
	Rows   []linkRow
	More   int
}

type linkRow struct{ KlipyID, PipedriveID, URL, Action string }

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) { s.reportWith(w, r, nil) }

func (s *Server) reportWith(w http.ResponseWriter, r *http.Request, out *outcome) {
	st, err := s.load(r.Context(), false)
	if err != nil {
		s.render(w, "report", out, nil, err)
		return
	}
	d := reportData{State: st, Chart: reconciliationSVG(st.Report.Reconciliation),
		Stages: stageMapSVG(st.Report.Pipelines.Stages), Filter: strings.TrimSpace(r.URL.Query().Get("q")),
		Spend: spendSVG(st.Report.Spend, s.ws.Config.Pipedrive.DailyBudget())}
	d.NotTotal = len(st.Report.NotMigrated)
	for _, n := range st.Report.NotMigrated {
		if matches(n, d.Filter) {
			d.Matching++
			if len(d.NotMigrated) < notMigratedShown {
				d.NotMigrated = append(d.NotMigrated, n)
			}
		}
	}
	dir := filepath.Join(s.ws.Dir, "report")
	_, err = os.Stat(filepath.Join(dir, report.JSONFile))
	d.Written = err == nil
	for _, kind := range migrate.Phases() {
		l, err := readLinks(filepath.Join(dir, "success-"+string(kind)+".csv"))
		if err != nil {
			s.render(w, "report", out, nil, err)
			return
		}
		if len(l.Rows) > 0 {
			l.Object = string(kind)
			d.Links = append(d.Links, l)
		}
	}
	s.render(w, "report", out, d, nil)
}

// matches says whether a not-migrated row holds the filter text (any field, any case).
func matches(n report.NotMigrated, q string) bool {
	if q == "" {
		return true
	}
	all := strings.ToLower(strings.Join([]string{n.Category, string(n.Object), n.Item, n.Location, n.Reason}, " "))
	return strings.Contains(all, strings.ToLower(q))
}

// readLinks reads the first rows of a success-<object>.csv ferry report wrote; none when the
// file does not exist yet.
func readLinks(path string) (objectLinks, error) {
	var l objectLinks
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return l, nil
		}
		if err != nil {
			return l, err
		}
		if len(l.Rows) == linksShown {
			l.More++
			continue
		}
		u := get(rec, "pipedrive_url")
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			u = "" // only web links become links
		}
		l.Rows = append(l.Rows, linkRow{KlipyID: get(rec, "klipy_id"), PipedriveID: get(rec, "pipedrive_id"), URL: u, Action: get(rec, "action")})
	}
}

// writeReport runs ferry report, which writes the deliverables into report/.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request) {
	s.reportWith(w, r, s.exec(r.Context(), "report"))
}
