package migrate

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
)

// pipelinePlan is where the deals of one Klipy pipeline go.
type pipelinePlan struct {
	id     int64
	first  int64                // first stage of the pipeline, for open deals with no known stage
	last   int64                // last stage of the pipeline, for closed deals with no known stage
	stages map[string]stageGoal // by Klipy stage name
}

// stageGoal is the target of one Klipy stage: an open stage, or a closing status.
type stageGoal struct {
	stageID int64
	status  string // "" (open), won or lost
}

// destinationPipelines reads the live (not deleted) pipelines by folded name and their
// stages by pipeline id.
func (e *Engine) destinationPipelines(ctx context.Context) (*destPipes, error) {
	pipes, err := e.client.Pipelines(ctx)
	if err != nil {
		return nil, err
	}
	stages, err := e.client.Stages(ctx, 0)
	if err != nil {
		return nil, err
	}
	have := &destPipes{byName: map[string]int64{}, stages: map[int64][]pipedrive.Entity{}}
	for _, p := range pipes {
		if !deleted(p) {
			have.byName[fold(p.String("name"))] = p.ID()
		}
	}
	for _, st := range stages {
		if !deleted(st) {
			pid := st.Int("pipeline_id")
			have.stages[pid] = append(have.stages[pid], st)
		}
	}
	return have, nil
}

// ensurePipelines resolves the stage map: pipelines with action create are found by name
// or created with their stages in order; collapse targets must already exist.
func (e *Engine) ensurePipelines(ctx context.Context, s *Schema) error {
	have, err := e.destinationPipelines(ctx)
	if err != nil {
		return err
	}
	for _, pm := range e.decisions.Pipelines {
		plan, err := e.ensurePipeline(ctx, s, have, pm)
		if err != nil {
			return fmt.Errorf("pipeline %q: %w", pm.Klipy, err)
		}
		s.pipelines[fold(pm.Klipy)] = plan
	}
	return nil
}

// destPipes is what Pipedrive holds: pipeline ids by folded name, stages by pipeline.
type destPipes struct {
	byName map[string]int64
	stages map[int64][]pipedrive.Entity
}

func (d *destPipes) stageID(pipelineID int64, name string) int64 {
	for _, st := range d.stages[pipelineID] {
		if fold(st.String("name")) == fold(name) {
			return st.ID()
		}
	}
	return 0
}

func (e *Engine) ensurePipeline(ctx context.Context, s *Schema, have *destPipes, pm decide.PipelineMap) (*pipelinePlan, error) {
	pid := have.byName[fold(pm.Target)]
	if pid == 0 && pm.Action == decide.ActionCollapse {
		return nil, fmt.Errorf("collapse target %q does not exist in Pipedrive", pm.Target)
	}
	if pid == 0 {
		created, err := e.createOnce(ctx, func(ctx context.Context) (pipedrive.Entity, error) {
			return e.client.CreatePipeline(ctx, pm.Target)
		}, func(ctx context.Context) (int64, error) { return e.findPipeline(ctx, pm.Target) })
		if err != nil {
			return nil, err
		}
		pid = created
		have.byName[fold(pm.Target)] = pid
		if err := e.journalSchema(ctx, "pipeline", "pipeline", strconv.FormatInt(pid, 10), undoDeleteNamed{Entity: "pipeline", ID: pid, Name: pm.Target}); err != nil {
			return nil, err
		}
		s.Created++
	}
	plan := &pipelinePlan{id: pid, stages: map[string]stageGoal{}}
	for _, sm := range pm.Stages {
		goal, err := e.ensureStage(ctx, s, have, pm, sm, pid)
		if err != nil {
			return nil, fmt.Errorf("stage %q: %w", sm.Klipy, err)
		}
		plan.stages[fold(sm.Klipy)] = goal
	}
	plan.first, plan.last = endStages(have.stages[pid])
	return plan, nil
}

func (e *Engine) ensureStage(ctx context.Context, s *Schema, have *destPipes, pm decide.PipelineMap, sm decide.StageMap, pid int64) (stageGoal, error) {
	goal := stageGoal{status: sm.Status}
	if sm.Target == "" {
		return goal, nil
	}
	if goal.stageID = have.stageID(pid, sm.Target); goal.stageID != 0 {
		return goal, nil
	}
	if pm.Action == decide.ActionCollapse {
		return goal, fmt.Errorf("target stage %q does not exist in pipeline %q", sm.Target, pm.Target)
	}
	id, err := e.createOnce(ctx, func(ctx context.Context) (pipedrive.Entity, error) {
		return e.client.CreateStage(ctx, pid, sm.Target, nil)
	}, func(ctx context.Context) (int64, error) { return e.findStage(ctx, pid, sm.Target) })
	if err != nil {
		return goal, err
	}
	have.stages[pid] = append(have.stages[pid], pipedrive.Entity{"id": id, "name": sm.Target, "order_nr": int64(len(have.stages[pid]) + 1)})
	if err := e.journalSchema(ctx, "stage", "stage", strconv.FormatInt(id, 10), undoDeleteNamed{Entity: "stage", ID: id, Name: sm.Target, PipelineID: pid}); err != nil {
		return goal, err
	}
	s.Created++
	goal.stageID = id
	return goal, nil
}

// createOnce creates something found by name: after an unknown outcome it looks it up
// before sending again.
func (e *Engine) createOnce(ctx context.Context, create func(context.Context) (pipedrive.Entity, error), find func(context.Context) (int64, error)) (int64, error) {
	for attempt := 0; attempt < maxUnknownRetries; attempt++ {
		got, err := create(ctx)
		if err == nil {
			return got.ID(), nil
		}
		if !errors.Is(err, pipedrive.ErrOutcomeUnknown) {
			return 0, err
		}
		id, ferr := find(ctx)
		if ferr != nil {
			return 0, ferr
		}
		if id != 0 {
			return id, nil
		}
	}
	return 0, fmt.Errorf("create gave no answer %d times", maxUnknownRetries)
}

func (e *Engine) findPipeline(ctx context.Context, name string) (int64, error) {
	pipes, err := e.client.Pipelines(ctx)
	if err != nil {
		return 0, err
	}
	for _, p := range pipes {
		if !deleted(p) && fold(p.String("name")) == fold(name) {
			return p.ID(), nil
		}
	}
	return 0, nil
}

func (e *Engine) findStage(ctx context.Context, pid int64, name string) (int64, error) {
	stages, err := e.client.Stages(ctx, pid)
	if err != nil {
		return 0, err
	}
	d := &destPipes{stages: map[int64][]pipedrive.Entity{pid: stages}}
	return d.stageID(pid, name), nil
}

// endStages returns the stages with the lowest and the highest order_nr, 0 when there is none.
func endStages(stages []pipedrive.Entity) (first, last int64) {
	var lo, hi pipedrive.Entity
	for _, st := range stages {
		if lo == nil || st.Int("order_nr") < lo.Int("order_nr") {
			lo = st
		}
		if hi == nil || st.Int("order_nr") > hi.Int("order_nr") {
			hi = st
		}
	}
	if lo == nil {
		return 0, 0
	}
	return lo.ID(), hi.ID()
}

func deleted(e pipedrive.Entity) bool {
	d, _ := e["is_deleted"].(bool)
	return d
}
