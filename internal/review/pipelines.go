package review

import (
	"html/template"
	"net/http"

	"ferry/internal/report"
)

type pipelinesData struct {
	From    string
	Rows    []report.StageRow
	Picture template.HTML
}

// pipelinesPage shows the stage map as a picture: each Klipy pipeline's stages in funnel
// order with deal counts, joined to the Pipedrive stage or status each goes to.
func (s *Server) pipelinesPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.load(r.Context(), false)
	if err != nil {
		s.render(w, "pipelines", nil, nil, err)
		return
	}
	p := st.Report.Pipelines
	s.render(w, "pipelines", nil, pipelinesData{From: p.From, Rows: p.Stages, Picture: stageMapSVG(p.Stages)}, nil)
}
