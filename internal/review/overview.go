package review

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"time"

	"ferry/internal/estimate"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/lock"
	"ferry/internal/report"
	"ferry/internal/workspace"
)

// state is what the pages read from the workspace: the report model (the same one ferry
// report writes), the decisions, the losses and the confirmation lock.
type state struct {
	Report    *report.Report
	Decisions *decide.Decisions // nil before ferry plan
	Open      []string
	Losses    []Loss
	Locked    bool
	LockNote  string // why the plan is not locked (or what changed), when it is not
	LockedAt  time.Time
	Runs      int
}

// load reads the workspace's state; withLosses adds the dry run of the mapping (slower).
func (s *Server) load(ctx context.Context, withLosses bool) (*state, error) {
	st, err := s.be.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rep, err := report.Build(ctx, report.Inputs{Store: st, Dir: s.ws.Dir, Now: time.Now()})
	if err != nil {
		return nil, fmt.Errorf("read the workspace as ferry report does: %w", err)
	}
	out := &state{Report: rep, Runs: len(rep.Runs)}
	if d, err := readDecisions(s.ws); err != nil {
		return nil, err
	} else if d != nil {
		out.Decisions, out.Open = d, d.Open()
	}
	l, err := s.be.Lock(ctx, st)
	switch {
	case err == nil:
		out.Locked, out.LockedAt = true, l.At
	case errors.Is(err, lock.ErrNoLock), errors.Is(err, lock.ErrStale):
		out.LockNote = err.Error()
	default:
		return nil, err
	}
	if withLosses && out.Decisions != nil {
		if out.Losses, err = s.be.Losses(ctx, st); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readDecisions parses decisions.yaml; nil without one (before ferry plan).
func readDecisions(ws *workspace.Workspace) (*decide.Decisions, error) {
	path := ws.PlanPath(workspace.DecisionsFile)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	d, err := decide.Parse(path, data)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// next names the next step of the journey for a state.
type next struct{ Text, Path, Link string }

func (st *state) next() next {
	switch {
	case st.Decisions == nil:
		return next{Text: "No plan yet: run ferry extract and ferry plan in the workspace."}
	case len(st.Open) > 0:
		return next{Text: fmt.Sprintf("%d decision(s) are open: resolve them.", len(st.Open)), Path: "/owners", Link: "Owners"}
	case unacceptedLoss(st.Losses) > 0:
		return next{Text: fmt.Sprintf("%d record(s) would be lost for reasons not accepted: fix the plan or accept each reason (ferry decide accept-loss).", unacceptedLoss(st.Losses))}
	case !st.Locked:
		return next{Text: "Every decision is made: confirm the plan.", Path: "/confirm", Link: "Confirm"}
	case st.Runs == 0 || !ranAll(st.Report):
		return next{Text: "The plan is confirmed: run the migration.", Path: "/run", Link: "Run"}
	}
	return next{Text: "The migration ran: read the report.", Path: "/report", Link: "Report"}
}

func unacceptedLoss(ls []Loss) int {
	n := 0
	for _, l := range ls {
		if l.AcceptedBy == "" {
			n += l.Records
		}
	}
	return n
}

// ranAll says whether every phase of the reconciliation has run.
func ranAll(r *report.Report) bool {
	for _, p := range r.Reconciliation {
		if p.Status == report.StatusNoRun {
			return false
		}
	}
	return len(r.Reconciliation) > 0
}

type overviewData struct {
	State    *state
	Next     next
	Estimate *estimate.Result // nil when ferry estimate failed (EstimateErr says why)
	EstErr   *outcome
	Chart    template.HTML // the reconciliation after the runs
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	st, err := s.load(r.Context(), true)
	if err != nil {
		s.render(w, "overview", nil, nil, err)
		return
	}
	d := overviewData{State: st, Next: st.next(), Chart: reconciliationSVG(st.Report.Reconciliation)}
	if st.Decisions != nil {
		d.Estimate, d.EstErr = s.estimate(r.Context())
	}
	s.render(w, "overview", nil, d, nil)
}

// estimate runs ferry estimate --json: the per-object prediction, tokens, days and wall time.
func (s *Server) estimate(ctx context.Context) (*estimate.Result, *outcome) {
	var buf bytes.Buffer
	out := s.execTo(ctx, &buf, "estimate", "--json")
	var r estimate.Result
	if out.Code != 0 {
		out.Output = buf.String() + out.Output
		return nil, out
	}
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
		out.Code, out.Output = 1, fmt.Sprintf("read ferry estimate --json: %v", err)
		return nil, out
	}
	return &r, nil
}
