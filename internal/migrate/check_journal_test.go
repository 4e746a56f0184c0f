package migrate

import (
	"context"
	"fmt"
	"strings"

	"ferry/internal/store"
)

// checkJournal checks that everything ferry made in the sandbox is journaled with what
// undoes it: every record carrying a Klipy ID or marker, every file, the Klipy ID fields and
// every stage of a pipeline ferry created.
func (f *fixture) checkJournal() {
	journaled := map[string]bool{} // "entity:id"
	err := f.store.EachJournal(context.Background(), 0, false, func(j store.JournalEntry) error {
		entity := j.Entity
		if i := strings.Index(entity, ":"); i > 0 && j.Op == OpSchemaCreate {
			entity = entity[:i]
		}
		journaled[entity+":"+j.DestID] = true
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	want := func(entity string, id any) {
		key := fmt.Sprintf("%s:%v", entity, id)
		if fl, ok := id.(float64); ok {
			key = fmt.Sprintf("%s:%.0f", entity, fl)
		}
		if !journaled[key] {
			f.t.Errorf("%s is in Pipedrive but not in the journal", key)
		}
	}
	v := f.view()
	for kind, ent := range kindColl {
		for _, recs := range v.byKlipy[kind] {
			for _, r := range recs {
				if !f.intoExisting(kind, v.idOf[kind][r["id"].(float64)]) {
					want(ent, r["id"])
				}
			}
		}
	}
	for kind, byID := range f.childIndex() {
		ent := "activity"
		if kind == "note" {
			ent = "note"
		}
		for _, recs := range byID {
			for _, r := range recs {
				want(ent, r["id"])
			}
		}
	}
	snap := f.sb.Snapshot()
	for _, fl := range snap.Files {
		if active, ok := fl["active_flag"].(bool); !ok || active {
			want("file", fl["id"])
		}
	}
	for _, fields := range snap.Fields {
		for _, fd := range fields {
			if fd["field_name"] == KlipyIDField {
				want("field", fd["field_code"])
			}
		}
	}
}
