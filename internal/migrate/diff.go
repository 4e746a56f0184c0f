package migrate

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// FieldDiff is one field whose value in Pipedrive is not what was sent.
type FieldDiff struct {
	Kind     source.Kind `json:"kind"`
	SourceID string      `json:"source_id"`
	Entity   string      `json:"entity"`
	DestID   int64       `json:"dest_id"`
	Field    string      `json:"field"`
	Want     string      `json:"want"`
	Got      string      `json:"got"`
}

// DiffReport is what a field-level diff compared and found.
type DiffReport struct {
	Records int         `json:"records"` // records read back and compared
	Fields  int         `json:"fields"`  // fields compared
	Skipped int         `json:"skipped"` // done records not compared (merged into existing ones)
	Diffs   []FieldDiff `json:"diffs"`
}

// target is one created record to compare: what was sent and where it went.
type target struct {
	kind source.Kind
	id   string
	dest int64
	want pipedrive.Entity
}

// DiffSelection compares, field by field, every record of the run's selection (Config.Only)
// that the id map says this engine created, against Pipedrive read back through list
// endpoints (v2 lists by ids, 100 at a time; notes and files by their parent). The intended
// body is rebuilt with the mapping, as the create sent it. Call it after Run on the same
// Engine. Records merged into existing ones are counted as skipped (fill_blanks keeps
// Pipedrive's values). Errors: the client's (budget included) and the store's.
func (e *Engine) DiffSelection(ctx context.Context) (DiffReport, error) {
	var rep DiffReport
	if e.schema == nil {
		return rep, errors.New("migrate: diff: run the engine first")
	}
	r := &resolver{ctx: ctx, e: e, schema: e.schema}
	for _, p := range phases {
		if !e.runsKind(p.kind) {
			continue
		}
		targets, skipped, err := e.diffTargets(ctx, p, r)
		if err != nil {
			return rep, fmt.Errorf("migrate: diff %s: %w", p.kind, err)
		}
		rep.Skipped += skipped
		got, err := e.readBack(ctx, p, targets)
		if err != nil {
			return rep, fmt.Errorf("migrate: diff %s: read back: %w", p.kind, err)
		}
		for _, t := range targets {
			rep.Records++
			rep.Fields += compareRecord(p, t, got[t.dest], &rep.Diffs)
		}
	}
	return rep, nil
}

// diffTargets rebuilds the bodies of the phase's selected records that are done.
func (e *Engine) diffTargets(ctx context.Context, p phaseSpec, r *resolver) ([]target, int, error) {
	done := map[string]int64{}
	err := e.store.EachMapping(ctx, p.kind, store.Done, func(m store.Mapping) error {
		if e.only.Has(p.kind, m.SourceID) {
			done[m.SourceID] = m.DestID
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	var out []target
	skipped := 0
	err = e.store.EachRecord(ctx, p.kind, func(rec source.Record) error {
		dest, ok := done[rec.ID]
		if !ok {
			return nil
		}
		if _, into := e.merges[p.kind].intoOf(rec.ID); into {
			skipped++
			return nil
		}
		want, err := e.intended(p, rec, r)
		if err != nil {
			return fmt.Errorf("%s %s: rebuild the body: %w", p.kind, rec.ID, err)
		}
		out = append(out, target{kind: p.kind, id: rec.ID, dest: dest, want: want})
		return nil
	})
	return out, skipped, err
}

// intended is the body the create of rec sent: the mapping's, stamped; for files, the name
// and links of the upload.
func (e *Engine) intended(p phaseSpec, rec source.Record, r *resolver) (pipedrive.Entity, error) {
	if p.entity == "file" {
		up := pipedrive.FileUpload{Name: rec.Fields["file_name"]}
		if _, err := fileLinks(r, &up, rec.Fields); err != nil {
			return nil, err
		}
		body := pipedrive.Entity{}
		if up.Name != "" {
			body["name"] = up.Name
		}
		for k, v := range map[string]int64{"deal_id": up.DealID, "person_id": up.PersonID, "org_id": up.OrgID, "activity_id": up.ActivityID} {
			if v > 0 {
				body[k] = v
			}
		}
		return body, nil
	}
	body, err := e.mapper.Payload(p.kind, rec, r)
	if err != nil {
		return nil, err
	}
	e.stamp(p, rec, body, r.schema)
	return body, nil
}

// readBack lists the Pipedrive records of the targets, by id.
func (e *Engine) readBack(ctx context.Context, p phaseSpec, targets []target) (map[int64]pipedrive.Entity, error) {
	got := map[int64]pipedrive.Entity{}
	collect := func(page []pipedrive.Entity) error {
		for _, it := range page {
			got[it.ID()] = it
		}
		return nil
	}
	switch p.entity {
	case "note", "file":
		parents := map[string]bool{}
		for _, t := range targets {
			f, _ := parentFilter(t.want)
			key := f.Encode()
			if parents[key] {
				continue
			}
			parents[key] = true
			if err := e.listChildren(ctx, p, t.want, f, collect); err != nil {
				return nil, err
			}
		}
		return got, nil
	}
	ids := make([]string, 0, len(targets))
	for _, t := range targets {
		ids = append(ids, strconv.FormatInt(t.dest, 10))
	}
	sort.Strings(ids)
	for len(ids) > 0 {
		n := min(len(ids), 100)
		f := map[string][]string{"ids": {strings.Join(ids[:n], ",")}}
		if err := e.client.List(ctx, p.coll, pipedrive.ListOptions{Filter: f}, collect); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return got, nil
}

// listChildren lists the notes (filtered by parent) or files (v1 /{parent}/{id}/files) of
// the parent a body names.
func (e *Engine) listChildren(ctx context.Context, p phaseSpec, want pipedrive.Entity, f url.Values, collect func([]pipedrive.Entity) error) error {
	if p.entity == "note" {
		return e.client.Notes(ctx, pipedrive.ListOptions{Filter: f}, collect)
	}
	path := ""
	switch {
	case want.Int("deal_id") > 0:
		path = "/api/v1/deals/" + strconv.FormatInt(want.Int("deal_id"), 10) + "/files"
	case want.Int("person_id") > 0:
		path = "/api/v1/persons/" + strconv.FormatInt(want.Int("person_id"), 10) + "/files"
	case want.Int("org_id") > 0:
		path = "/api/v1/organizations/" + strconv.FormatInt(want.Int("org_id"), 10) + "/files"
	default:
		return nil // a file without a parent cannot be listed: it is reported missing
	}
	files, err := e.listV1(ctx, path)
	if err != nil {
		return err
	}
	return collect(files)
}
