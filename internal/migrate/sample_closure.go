package migrate

import (
	"ferry/internal/source"
)

// recordIndex finds sample candidates by kind and id, and companies by folded name.
type recordIndex struct {
	byID      map[string]*candidate // kind \x00 id
	companies map[string]string     // folded company name → id (the first one)
}

func indexRecords(recs []*candidate) *recordIndex {
	ix := &recordIndex{byID: map[string]*candidate{}, companies: map[string]string{}}
	for _, c := range recs {
		ix.byID[string(c.rec.Kind)+"\x00"+c.rec.ID] = c
		if c.rec.Kind == source.Company {
			if name := fold(c.rec.Fields["name"]); name != "" && ix.companies[name] == "" {
				ix.companies[name] = c.rec.ID
			}
		}
	}
	return ix
}

// ref names a source record.
type ref struct {
	kind source.Kind
	id   string
}

// parentRefs lists the records a record links to by id (the fields the standard mapping
// resolves through the id map).
func parentRefs(r source.Record) []ref {
	var out []ref
	add := func(k source.Kind, ids ...string) {
		for _, id := range ids {
			if id != "" {
				out = append(out, ref{k, id})
			}
		}
	}
	add(source.Company, r.Fields["company_id"])
	add(source.Company, source.List(r.Fields["company_ids"])...)
	add(source.Person, r.Fields["person_id"])
	add(source.Person, source.List(r.Fields["person_ids"])...)
	add(source.Deal, r.Fields["deal_id"])
	add(source.Interaction, r.Fields["interaction_id"])
	return out
}

// add selects a chosen candidate, marks its classes covered and closes the selection over
// its parents (by id, and the company named by company_name) and merge survivors.
func (s *Sample) add(e *Engine, ix *recordIndex, c *candidate, covered map[string]bool) {
	var gained []string
	for _, cl := range c.classes {
		if !covered[cl] {
			covered[cl] = true
			gained = append(gained, cl)
		}
	}
	s.Only.Add(c.rec.Kind, c.rec.ID)
	s.Records = append(s.Records, SampleRecord{Kind: c.rec.Kind, ID: c.rec.ID, Covers: gained})
	queue := []source.Record{c.rec}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		deps := parentRefs(r)
		if name := fold(r.Fields["company_name"]); name != "" && r.Fields["company_id"] == "" && ix.companies[name] != "" {
			deps = append(deps, ref{source.Company, ix.companies[name]})
		}
		if sv := e.merges[r.Kind].survivorOf(r.ID); sv != "" {
			deps = append(deps, ref{r.Kind, sv})
		}
		for _, d := range deps {
			p := ix.byID[string(d.kind)+"\x00"+d.id]
			if p == nil || !s.Only.Add(d.kind, d.id) {
				continue // not in the snapshot (the record will be held) or already in
			}
			for _, cl := range p.classes {
				covered[cl] = true
			}
			s.Records = append(s.Records, SampleRecord{Kind: d.kind, ID: d.id, Closure: true})
			queue = append(queue, p.rec)
		}
	}
}
