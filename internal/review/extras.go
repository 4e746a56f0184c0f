package review

import (
	"net/http"
	"path/filepath"
	"strings"

	"ferry/internal/klipy/harvest"
	"ferry/internal/plan/decide"
	"ferry/internal/report"
)

// The Columns, Fields and Labels pages, and the Pipelines page's form.

type columnsData struct {
	Path     string
	Files    []harvest.FileColumns
	Problems []string
}

// columnsPage shows columns.yaml: each harvest file's columns, the field each means, with the
// proposal's confidence and sample values where the file keeps them, and its lint findings.
func (s *Server) columnsPage(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(s.ws.Dir, harvest.ColumnsFile)
	m, ps, err := harvest.ReadColumns(path)
	if err != nil || m == nil {
		s.render(w, "columns", nil, nil, orErr(err, "no column map yet: "+path+" does not exist; ferry extract proposes it"))
		return
	}
	d := columnsData{Path: path, Files: m.Files}
	for _, p := range ps {
		d.Problems = append(d.Problems, p.Format(harvest.ColumnsFile))
	}
	s.render(w, "columns", nil, d, nil)
}

type fieldsData struct {
	Rows []report.FieldRow
	From string
	Lint *outcome
}

// fieldsPage shows mapping.yaml as a table and ferry lint's findings (with line numbers).
func (s *Server) fieldsPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.load(r.Context(), false)
	if err != nil {
		s.render(w, "fields", nil, nil, err)
		return
	}
	d := fieldsData{Rows: st.Report.Fields.Rows, From: st.Report.Fields.From}
	if st.Decisions != nil {
		d.Lint = s.exec(r.Context(), "lint")
	}
	s.render(w, "fields", nil, d, nil)
}

type labelsData struct {
	Labels []decide.LabelGroup
}

func (s *Server) labelsPage(w http.ResponseWriter, r *http.Request) { s.labelsWith(w, r, nil) }

func (s *Server) labelsWith(w http.ResponseWriter, r *http.Request, out *outcome) {
	d, err := readDecisions(s.ws)
	if err != nil || d == nil {
		s.render(w, "labels", out, nil, orNoPlan(err))
		return
	}
	s.render(w, "labels", out, labelsData{Labels: d.Labels}, nil)
}

// moveLabel moves a tag spelling into a label with ferry decide label.
func (s *Server) moveLabel(w http.ResponseWriter, r *http.Request) {
	tag, label := r.PostFormValue("tag"), strings.TrimSpace(r.PostFormValue("label"))
	if tag == "" || label == "" {
		http.Error(w, "tag and label are required", http.StatusBadRequest)
		return
	}
	s.labelsWith(w, r, s.exec(r.Context(), "decide", "label", tag, "--label", label))
}

// decidePipeline creates a Klipy pipeline verbatim or collapses it onto an existing one with
// ferry decide pipeline.
func (s *Server) decidePipeline(w http.ResponseWriter, r *http.Request) {
	p, target := r.PostFormValue("pipeline"), strings.TrimSpace(r.PostFormValue("target"))
	how := r.PostFormValue("action")
	if p == "" || target == "" || (how != decide.ActionCreate && how != decide.ActionCollapse) {
		http.Error(w, "pipeline, target and action (create or collapse) are required", http.StatusBadRequest)
		return
	}
	out := s.exec(r.Context(), "decide", "pipeline", p, "--"+how, target)
	s.pipelinesWith(w, r, out)
}

func orErr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errString(msg)
}

type errString string

func (e errString) Error() string { return string(e) }
