package migrate

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// settleMember marks a duplicate merged into its survivor's Pipedrive record, or held when
// the survivor did not make it.
func (e *Engine) settleMember(ctx context.Context, p phaseSpec, rec source.Record, survivor string) error {
	m, err := e.store.GetMapping(ctx, p.kind, rec.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		m = store.Mapping{Kind: p.kind, SourceID: rec.ID, Entity: p.entity}
	case err != nil:
		return err
	case m.State == store.Done || m.State == store.Merged:
		return nil
	}
	s, err := e.store.GetMapping(ctx, p.kind, survivor)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if (s.State != store.Done && s.State != store.Merged) || s.DestID == 0 {
		return e.settle(ctx, m, store.Held, fmt.Sprintf("duplicate of %s, which is not migrated (%s)",
			NamedRecord(ctx, e.store, p.kind, survivor), s.State))
	}
	m.DestID = s.DestID
	return e.settle(ctx, m, store.Merged, "duplicate of "+survivor)
}

// mergeInto writes a survivor into an existing Pipedrive record: it reads the record,
// journals the pre-image of what it will change, then patches (fill_blanks: only fields
// Pipedrive has empty; overwrite: every mapped field). The Klipy ID is always written so the
// record is found again. A PATCH carries full values, so a retry after a crash is harmless.
func (e *Engine) mergeInto(ctx context.Context, p phaseSpec, m store.Mapping, body pipedrive.Entity, into Merge) error {
	m.State, m.RunID = store.InFlight, e.runID
	if err := e.store.PutMapping(ctx, m); err != nil {
		return err
	}
	pre, err := e.client.Get(ctx, p.coll, into.DestID)
	if err != nil {
		return e.mergeFailed(ctx, m, err)
	}
	patch := pipedrive.ForUpdate(p.coll, body) // a create body: drop what PATCH refuses (add_time)
	if into.Policy != "overwrite" {
		patch = fillBlanks(pre, body)
		patch.SetCustom(e.klipyCode(p), m.SourceID)
	}
	undo := undoRestore{Entity: p.entity, ID: into.DestID, PreImage: preImage(pre, patch), Wrote: patch}
	if err := e.journal(ctx, OpUpdate, p.entity, strconv.FormatInt(into.DestID, 10), m.SourceID, undo); err != nil {
		return err
	}
	if _, err := e.client.Update(ctx, p.coll, into.DestID, patch); err != nil {
		return e.mergeFailed(ctx, m, err)
	}
	m.DestID = into.DestID
	return e.settle(ctx, m, store.Merged, "merged into existing "+p.entity+" "+strconv.FormatInt(into.DestID, 10))
}

func (e *Engine) mergeFailed(ctx context.Context, m store.Mapping, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if stopsRun(err) {
		return err
	}
	return e.settle(ctx, m, store.Failed, err.Error())
}

// fillBlanks returns the part of body whose fields pre has empty.
func fillBlanks(pre, body pipedrive.Entity) pipedrive.Entity {
	out := pipedrive.Entity{}
	for k, v := range body {
		if k == "custom_fields" {
			continue
		}
		if empty(pre[k]) {
			out[k] = v
		}
	}
	cf, _ := body["custom_fields"].(map[string]any)
	old, _ := pre["custom_fields"].(map[string]any)
	for code, v := range cf {
		if empty(old[code]) {
			out.SetCustom(code, v)
		}
	}
	return out
}

// preImage returns pre's values of the keys patch changes (null for absent ones).
func preImage(pre, patch pipedrive.Entity) map[string]any {
	out := map[string]any{}
	for k := range patch {
		if k != "custom_fields" {
			out[k] = pre[k]
		}
	}
	if cf, ok := patch["custom_fields"].(map[string]any); ok {
		old, _ := pre["custom_fields"].(map[string]any)
		img := map[string]any{}
		for code := range cf {
			img[code] = old[code]
		}
		out["custom_fields"] = img
	}
	return out
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
