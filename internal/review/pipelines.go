package review

import (
	"html/template"
	"net/http"

	"ferry/internal/plan/decide"
	"ferry/internal/report"
)

type pipelinesData struct {
	From      string
	Rows      []report.StageRow
	Picture   template.HTML
	Pipelines []decide.PipelineMap
}

// pipelinesPage shows the stage map as a picture: each Klipy pipeline's stages in funnel
// order with deal counts, joined to the Pipedrive stage or status each goes to.
func (s *Server) pipelinesPage(w http.ResponseWriter, r *http.Request) { s.pipelinesWith(w, r, nil) }

func (s *Server) pipelinesWith(w http.ResponseWriter, r *http.Request, out *outcome) {
	st, err := s.load(r.Context(), false)
	if err != nil {
		s.render(w, "pipelines", out, nil, err)
		return
	}
	p := st.Report.Pipelines
	d := pipelinesData{From: p.From, Rows: p.Stages, Picture: stageMapSVG(p.Stages)}
	if st.Decisions != nil {
		d.Pipelines = st.Decisions.Pipelines
	}
	s.render(w, "pipelines", out, d, nil)
}
