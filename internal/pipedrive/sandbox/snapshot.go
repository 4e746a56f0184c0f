package sandbox

import (
	"encoding/json"
	"fmt"
)

// Snapshot is every stored entity as the API would render it (v2 shapes for v2 entities,
// v1 shapes for notes, files and fields), deleted ones included, for independent checks.
type Snapshot struct {
	Persons       []map[string]any            `json:"persons"`
	Organizations []map[string]any            `json:"organizations"`
	Deals         []map[string]any            `json:"deals"`
	Activities    []map[string]any            `json:"activities"`
	Pipelines     []map[string]any            `json:"pipelines"`
	Stages        []map[string]any            `json:"stages"`
	Notes         []map[string]any            `json:"notes"`
	Files         []map[string]any            `json:"files"`
	Fields        map[string][]map[string]any `json:"fields"` // entity → v2 field objects, deleted excluded
	Users         []map[string]any            `json:"users"`
}

// Snapshot returns a deep copy of the state for tests.
func (s *Server) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Snapshot{Fields: map[string][]map[string]any{}}
	for coll, dst := range map[string]*[]map[string]any{"persons": &out.Persons, "organizations": &out.Organizations,
		"deals": &out.Deals, "activities": &out.Activities, "pipelines": &out.Pipelines, "stages": &out.Stages} {
		k := kindOf(coll)
		for _, rec := range s.st.all(coll) {
			*dst = append(*dst, deepCopy(s.render(k, rec)))
		}
	}
	for _, rec := range s.st.all("notes") {
		out.Notes = append(out.Notes, deepCopy(s.renderNote(rec)))
	}
	for _, rec := range s.st.all("files") {
		out.Files = append(out.Files, deepCopy(s.renderFile("sandbox", rec)))
	}
	for ent := range fieldEntities {
		for _, f := range s.st.Fields[ent] {
			if !f.Deleted {
				out.Fields[ent] = append(out.Fields[ent], deepCopy(renderFieldV2(f)))
			}
		}
	}
	for _, u := range s.st.Users {
		out.Users = append(out.Users, deepCopy(s.renderUser(u, false)))
	}
	return out
}

// kindOf returns the kind of a v2 collection.
func kindOf(coll string) *kind {
	return map[string]*kind{"persons": personKind, "organizations": orgKind, "deals": dealKind,
		"activities": activityKind, "pipelines": pipelineKind, "stages": stageKind}[coll]
}

// deepCopy returns m as a client would decode it from JSON (numbers become float64), so a
// snapshot neither aliases the state nor depends on how values are stored.
func deepCopy(m map[string]any) map[string]any {
	raw, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("sandbox: snapshot of unencodable value: %v", err))
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(fmt.Sprintf("sandbox: snapshot round trip: %v", err))
	}
	return out
}
