package verify

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"ferry/internal/compare"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// markerRe finds the "(Klipy ID <id>)" marker the engine appends to activities and notes.
var markerRe = regexp.MustCompile(`\(Klipy ID ([^)]+)\)`)

// klipyIndex finds Pipedrive records by the Klipy id they carry, independently of the id
// map: organizations, persons and deals by the hidden "Klipy ID" custom field, activities and
// notes by the marker in their text. Files carry neither.
type klipyIndex map[string]map[string][]int64 // entity → Klipy id → Pipedrive ids

// buildKlipyIndex indexes what readDest listed.
func buildKlipyIndex(d dest, schema *migrate.Schema) klipyIndex {
	ix := klipyIndex{}
	for ent, recs := range d {
		m := map[string][]int64{}
		for id, e := range recs {
			for _, k := range klipyIDsOf(ent, e, schema) {
				m[k] = append(m[k], id)
			}
		}
		ix[ent] = m
	}
	return ix
}

// klipyIDsOf returns the Klipy ids a listed record carries.
func klipyIDsOf(ent string, e pipedrive.Entity, schema *migrate.Schema) []string {
	switch ent {
	case entOrg, entPerson, entDeal:
		code := schema.KlipyIDCode(fieldEntity[ent])
		if code == "" {
			return nil
		}
		cf, _ := e["custom_fields"].(map[string]any)
		v := cf[code]
		if v == nil {
			v = e[code] // v1 shape: custom fields at the top level
		}
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			return []string{strings.TrimSpace(s)}
		}
	case entActivity, entNote:
		key := "note"
		if ent == entNote {
			key = "content"
		}
		text, _ := e[key].(string)
		var out []string
		for _, m := range markerRe.FindAllStringSubmatch(html.UnescapeString(text), -1) {
			out = append(out, m[1])
		}
		return out
	}
	return nil
}

// indexed reports whether records of ent can be found by their Klipy id.
func (ix klipyIndex) indexed(ent string) bool {
	switch ent {
	case entOrg, entPerson, entDeal, entActivity, entNote:
		_, listed := ix[ent]
		return listed
	}
	return false
}

// findCreated checks a record the id map says ferry created against what Pipedrive holds
// under its Klipy id: absent, several times, or under another id than the id map's.
func (c *checker) findCreated(ent, sourceID string, m store.Mapping) []compare.Diff {
	if m.State != store.Done || !c.klipy.indexed(ent) {
		return nil
	}
	ids := c.klipy[ent][sourceID]
	switch {
	case len(ids) == 0:
		return []compare.Diff{{Field: "record", Want: ent + " carrying Klipy ID " + sourceID,
			Got: "missing or deleted (no live " + ent + " carries it; the id map says " + strconv.FormatInt(m.DestID, 10) + ")"}}
	case len(ids) > 1:
		return []compare.Diff{{Field: "record", Want: "one " + ent + " carrying Klipy ID " + sourceID,
			Got: fmt.Sprintf("%d of them: %v", len(ids), ids)}}
	case ids[0] != m.DestID:
		return []compare.Diff{{Field: "record", Want: fmt.Sprintf("%s %d (id map)", ent, m.DestID),
			Got: fmt.Sprintf("Klipy ID %s is on %s %d", sourceID, ent, ids[0])}}
	}
	return nil
}

// notMigrated counts a snapshot record that is not in Pipedrive: left out by an explicit
// decision (mapping.yaml skip, an accepted loss) it is fine; otherwise the plan meant to
// move it and it is missing.
func (c *checker) notMigrated(kind source.Kind, id string, m store.Mapping, cnt *Count, res *Result) {
	cnt.NotMigrated++
	if _, decided := migrate.Accounted(m); decided {
		return
	}
	reason := migrate.LossReason(m)
	c.lost(kind, id, reason, migrate.ReasonClass(reason), cnt, res)
}

// lost records a loss unless its class was accepted.
func (c *checker) lost(kind source.Kind, id, reason, class string, cnt *Count, res *Result) {
	if c.cfg.AcceptLoss != nil {
		if _, ok := c.cfg.AcceptLoss(class); ok {
			cnt.Accepted++
			return
		}
	}
	cnt.Absent++
	res.add(c.cfg.MaxMismatches, Mismatch{Kind: kind, SourceID: id, Entity: kindEntity[kind], Field: "record",
		Want: "in Pipedrive", Got: "not migrated: " + reason})
}

// extractLosses counts the rows extraction quarantined for kind: source rows the plan
// could not move, missing unless accepted.
func (c *checker) extractLosses(ctx context.Context, kind source.Kind, cnt *Count, res *Result) error {
	items, err := c.cfg.Store.QuarantineItems(ctx, kind)
	if err != nil {
		return fmt.Errorf("verify: %s quarantine: %w", kind, err)
	}
	for _, q := range items {
		if migrate.MappingQuarantine(q) {
			continue
		}
		loc := q.File
		if q.Line > 0 {
			loc = fmt.Sprintf("%s:%d", q.File, q.Line)
		}
		c.lost(kind, loc, "quarantined at extract ("+loc+"): "+q.Reason, migrate.ExtractLossClass(q.Reason), cnt, res)
	}
	return nil
}
