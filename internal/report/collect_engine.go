package report

import (
	"context"
	"encoding/json"
	"errors"
	"ferry/internal/plan/mapping"
	"ferry/internal/verify"
	"fmt"
	"strings"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

// collectReconciliation reads the engine's latest reconciliation of every kind it can
// migrate; kinds without one say StatusNoRun with the source count known so far.
func collectReconciliation(ctx context.Context, st store.Store, r *Report, pf planFiles) error {
	for _, kc := range r.Snapshot {
		if kc.Kind == source.Owner {
			continue // owners are matched to users, never created
		}
		rec, err := lastReconciliation(ctx, st, kc.Kind)
		if errors.Is(err, store.ErrNotFound) {
			q, err := extractQuarantined(ctx, st, kc.Kind)
			if err != nil {
				return err
			}
			r.Reconciliation = append(r.Reconciliation, Phase{Kind: kc.Kind, Entity: entityOf(pf, kc.Kind),
				Status: StatusNoRun, Source: kc.Records + q})
			continue
		}
		if err != nil {
			return err
		}
		r.Reconciliation = append(r.Reconciliation, rec)
	}
	return nil
}

// lastReconciliation reads the engine's stored reconciliation of kind (the cursor
// reconcileCursor+kind, JSON of the same shape as Phase's counts); ErrNotFound-wrapped when
// the engine has not run the phase.
func lastReconciliation(ctx context.Context, st store.Store, k source.Kind) (Phase, error) {
	v, err := st.GetCursor(ctx, reconcileCursor+string(k))
	if err != nil {
		return Phase{}, err
	}
	var p Phase
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return Phase{}, fmt.Errorf("reconciliation of %s: %w", k, err)
	}
	p.Status = PhaseBalanced
	if p.Open != 0 || p.Source != p.Created+p.Merged+p.SkippedByRule+p.Quarantined+p.Failed+p.Held {
		p.Status = PhaseUnbalanced
	}
	return p, nil
}

// extractQuarantined counts the rows of kind that extraction quarantined (the engine's own
// quarantine items start with engineQuarantine and belong to records already counted).
func extractQuarantined(ctx context.Context, st store.Store, k source.Kind) (int, error) {
	items, err := st.QuarantineItems(ctx, k)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, q := range items {
		if !strings.HasPrefix(q.Reason, engineQuarantine) {
			n++
		}
	}
	return n, nil
}

// What the engine (package migrate) stores, read here through the store only so the report
// builds whatever state the engine's code is in; TestReportAfterRun in cmd/ferry checks the
// contract against a real run.
const (
	// reconcileCursor prefixes the cursor holding a kind's latest reconciliation
	// (migrate.ReconcileCursor).
	reconcileCursor = "migrate.reconcile."
	// opSchemaCreate is the journal operation of a created schema item (migrate.OpSchemaCreate).
	opSchemaCreate = "schema_create"
	// engineQuarantine starts the reason of quarantine items the engine writes
	// (migrate's unexported mappingReasonPrefix).
	engineQuarantine = "mapping: "
	// engineQuarantined starts the id-map reason of a record the engine quarantined
	// (migrate's unexported quarantinePrefix).
	engineQuarantined = "quarantined: "
)

// entityOf is the Pipedrive entity mapping.yaml sends kind to, "" when unknown.
func entityOf(pf planFiles, k source.Kind) string {
	if pf.mapping == nil {
		return ""
	}
	if o, ok := pf.mapping.Object(k); ok {
		return o.Target
	}
	return ""
}

// collectVerification reads the result ferry verify stored last, if any.
// a result yet.
func collectVerification(ctx context.Context, st store.Store, r *Report, _ planFiles) error {
	res, ok, err := verify.Load(ctx, st)
	if err != nil {
		return err
	}
	if !ok {
		r.Verification = Verification{Status: StatusNotVerified,
			Note: "No verification result is stored in this workspace; run ferry verify after ferry run."}
		return nil
	}
	nm := newNamer(ctx, st)
	for i, m := range res.First { // named for the reader; the Klipy id stays beside the name
		res.First[i].SourceID = nm.name(m.Kind, m.SourceID)
	}
	r.Verification = Verification{Status: res.Status, Result: &res,
		Note: fmt.Sprintf("Verified %s: %d record(s) checked, %d mismatch(es), %d request(s), %d token(s).",
			res.At.UTC().Format(time.RFC3339), res.Checked(), res.Mismatches, res.Requests, res.Tokens)}
	return nil
}

// collectSchema lists the schema items the engine journaled as created.
func collectSchema(ctx context.Context, st store.Store, r *Report, _ planFiles) error {
	return st.EachJournal(ctx, 0, false, func(e store.JournalEntry) error {
		if e.Op != opSchemaCreate {
			return nil
		}
		what, detail, _ := strings.Cut(e.Entity, ":")
		var undo struct {
			Label string `json:"label"`
			Name  string `json:"name"`
		}
		_ = json.Unmarshal(e.Undo, &undo) // label and name are optional details of some undo shapes
		r.SchemaCreated = append(r.SchemaCreated, SchemaItem{Seq: e.Seq, RunID: e.RunID, What: what,
			Detail: detail, DestID: e.DestID, Name: undo.Name, Label: undo.Label, Undone: e.Undone})
		return nil
	})
}

// fillFieldCodes gives each custom field row without a field_code the code of the field the
// engine journaled under the same entity and name. The engine's field undo data carries the
// field's name only when it journals one ("name"); without it the code stays unknown.
func fillFieldCodes(_ context.Context, _ store.Store, r *Report, _ planFiles) error {
	codes := map[string]string{}
	for _, s := range r.SchemaCreated {
		if s.What == "field" && s.Name != "" && !s.Undone {
			codes[s.Detail+"\x00"+mapping.FieldKey(s.Name)] = s.DestID
		}
	}
	for i, f := range r.Fields.Rows {
		if f.Custom && f.FieldCode == "" {
			r.Fields.Rows[i].FieldCode = codes[f.Entity+"\x00"+mapping.FieldKey(f.PipedriveField)]
		}
	}
	return nil
}
