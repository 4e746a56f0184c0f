package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"ferry/internal/compare"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// kindEntity is the Pipedrive entity each Klipy kind becomes (as the engine's phases).
var kindEntity = map[source.Kind]string{source.Company: entOrg, source.Person: entPerson,
	source.Deal: entDeal, source.Interaction: entActivity, source.Task: entActivity,
	source.Note: entNote, source.Attachment: entFile}

// fieldEntity maps the entities with custom fields to their field entity.
var fieldEntity = map[string]pipedrive.FieldEntity{entOrg: pipedrive.OrganizationFields,
	entPerson: pipedrive.PersonFields, entDeal: pipedrive.DealFields}

// linkTargets maps link keys to the entity they point at.
var linkTargets = map[string]string{"org_id": entOrg, "person_id": entPerson, "deal_id": entDeal,
	"activity_id": entActivity}

// checker holds what one verification reads once: id map, merge patches, Pipedrive.
type checker struct {
	cfg      Config
	schema   *migrate.Schema
	survivor map[source.Kind]map[string]string
	maps     map[source.Kind]map[string]store.Mapping
	patched  map[string]map[string]bool // "entity/source id" → keys a merge patched
	dest     dest
	klipy    klipyIndex // what Pipedrive holds by Klipy id, apart from the id map
}

// load reads the id map, the merge updates of the journal and every live record of the
// entities the id map points into.
func (c *checker) load(ctx context.Context) error {
	c.maps = map[source.Kind]map[string]store.Mapping{}
	need := map[string]bool{}
	for _, kind := range migrate.Phases() {
		m := map[string]store.Mapping{}
		err := c.cfg.Store.EachMapping(ctx, kind, "", func(row store.Mapping) error {
			m[row.SourceID] = row
			if row.State == store.Done || row.State == store.Merged {
				need[kindEntity[kind]] = true
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("verify: read the id map: %w", err)
		}
		c.maps[kind] = m
	}
	if need[entPerson] || need[entDeal] || need[entActivity] || need[entNote] || need[entFile] {
		need[entOrg], need[entPerson], need[entDeal] = true, true, true // link targets
	}
	if need[entFile] {
		need[entActivity] = true
	}
	var ents []string
	for _, e := range []string{entOrg, entPerson, entDeal, entActivity, entNote, entFile} {
		if need[e] {
			ents = append(ents, e)
		}
	}
	if err := c.loadPatches(ctx); err != nil {
		return err
	}
	var err error
	if c.dest, err = readDest(ctx, c.cfg.Client, ents, c.cfg.Progress); err != nil {
		return err
	}
	c.klipy = buildKlipyIndex(c.dest, c.schema)
	return nil
}

// loadPatches reads the engine's merge updates: a survivor merged into an existing record
// is checked only on the keys its patch wrote (the pre-image's keys, and
// "custom_fields.<code>" for each custom field it wrote).
func (c *checker) loadPatches(ctx context.Context) error {
	c.patched = map[string]map[string]bool{}
	return c.cfg.Store.EachJournal(ctx, 0, false, func(e store.JournalEntry) error {
		if e.Op != migrate.OpUpdate {
			return nil
		}
		var undo struct {
			PreImage map[string]any `json:"pre_image"`
		}
		if err := json.Unmarshal(e.Undo, &undo); err != nil {
			return fmt.Errorf("verify: journal entry %d: %w", e.Seq, err)
		}
		keys := map[string]bool{}
		for k := range undo.PreImage {
			keys[k] = true
		}
		cf, _ := undo.PreImage["custom_fields"].(map[string]any)
		for code := range cf {
			keys["custom_fields."+code] = true
		}
		c.patched[e.Entity+"/"+e.SourceID] = keys
		return nil
	})
}

// checkKind checks every snapshot record of kind against Pipedrive.
func (c *checker) checkKind(ctx context.Context, kind source.Kind, res *Result) (Count, error) {
	ent := kindEntity[kind]
	cnt := Count{Kind: kind, Entity: ent}
	err := c.cfg.Store.EachRecord(ctx, kind, func(rec source.Record) error {
		m, ok := c.maps[kind][rec.ID]
		if !ok || (m.State != store.Done && m.State != store.Merged) {
			c.notMigrated(kind, rec.ID, m, &cnt, res)
			return nil
		}
		cnt.Checked++
		diffs := c.checkRecord(ctx, kind, rec, m)
		if m.State == store.Merged {
			cnt.Merged++
		}
		if len(diffs) == 0 {
			cnt.Matched++
			return nil
		}
		cnt.Mismatched++
		if diffs[0].Field == "record" {
			cnt.Missing++
		}
		for _, d := range diffs {
			res.add(c.cfg.MaxMismatches, Mismatch{Kind: kind, SourceID: rec.ID, Entity: ent, DestID: m.DestID,
				Field: d.Field, Want: d.Want, Got: d.Got})
		}
		return nil
	})
	if err != nil {
		return cnt, fmt.Errorf("verify: %s records: %w", kind, err)
	}
	return cnt, c.extractLosses(ctx, kind, &cnt, res)
}

// checkRecord compares one migrated record: a duplicate on its survivor's Pipedrive id, a
// survivor merged into an existing record on the keys its patch wrote.
func (c *checker) checkRecord(ctx context.Context, kind source.Kind, rec source.Record, m store.Mapping) []compare.Diff {
	ent := kindEntity[kind]
	if diffs := c.findCreated(ent, rec.ID, m); len(diffs) > 0 {
		return diffs
	}
	got, ok := c.dest[ent][m.DestID]
	if !ok {
		return []compare.Diff{{Field: "record", Want: ent + " " + strconv.FormatInt(m.DestID, 10), Got: "missing or deleted"}}
	}
	if survivor, dup := c.survivor[kind][rec.ID]; dup && m.State == store.Merged {
		s := c.maps[kind][survivor]
		if s.DestID != m.DestID {
			return []compare.Diff{{Field: "merged into", Want: fmt.Sprintf("%s %d (survivor %s)", ent, s.DestID, survivor),
				Got: fmt.Sprintf("%s %d", ent, m.DestID)}}
		}
		return nil
	}
	if kind == source.Attachment {
		return c.checkFile(ctx, rec, got)
	}
	want, err := c.cfg.Engine.Intended(ctx, kind, rec, c.schema)
	if err != nil {
		return []compare.Diff{{Field: "mapping", Want: "a body rebuilt from the mapping", Got: err.Error()}}
	}
	var only map[string]bool
	if m.State == store.Merged {
		only = c.patched[ent+"/"+rec.ID]
		if only == nil {
			only = map[string]bool{} // merged without a journaled patch: nothing of it was written
		}
	}
	names := c.schema.FieldNames(fieldEntity[ent])
	diffs := compare.CompareBody(ent, want, got, only, names)
	return append(diffs, c.danglingLinks(want, only)...)
}

// checkFile compares an uploaded file's name, size and links.
func (c *checker) checkFile(ctx context.Context, rec source.Record, got pipedrive.Entity) []compare.Diff {
	want, err := c.cfg.Engine.IntendedFile(ctx, rec, c.schema)
	if err != nil {
		return []compare.Diff{{Field: "mapping", Want: "the attachment as uploaded", Got: err.Error()}}
	}
	body := pipedrive.Entity{"file_name": want.Name, "file_size": want.Size}
	for k, id := range map[string]int64{"deal_id": want.DealID, "person_id": want.PersonID,
		"org_id": want.OrgID, "activity_id": want.ActivityID} {
		if id != 0 {
			body[k] = id
		}
	}
	return append(compare.CompareBody(entFile, body, got, nil, nil), c.danglingLinks(body, nil)...)
}

// danglingLinks reports links of the intended body whose target Pipedrive does not list.
func (c *checker) danglingLinks(want pipedrive.Entity, only map[string]bool) []compare.Diff {
	var out []compare.Diff
	check := func(key, ent string, id int64) {
		if _, listed := c.dest[ent]; !listed || id == 0 {
			return
		}
		if _, ok := c.dest[ent][id]; !ok {
			out = append(out, compare.Diff{Field: key + " target", Want: ent + " " + strconv.FormatInt(id, 10), Got: "missing or deleted"})
		}
	}
	for _, key := range []string{"activity_id", "deal_id", "org_id", "person_id"} {
		if only == nil || only[key] {
			check(key, linkTargets[key], compare.ID(want[key]))
		}
	}
	if only == nil || only["participants"] {
		parts, _ := want["participants"].([]any)
		for _, p := range parts {
			pm, _ := p.(map[string]any)
			check("participants", entPerson, compare.ID(pm["person_id"]))
		}
	}
	return out
}
