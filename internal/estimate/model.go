package estimate

import (
	"fmt"
	"net/http"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/costs"
	"ferry/internal/source"
)

// Call is one kind of request the migration makes: its endpoint, how often, and its price
// from Pipedrive's spec.
type Call struct {
	Stage    string  `json:"stage"` // "schema", a phase's kind ("person", …) or "verify"
	Method   string  `json:"method"`
	Template string  `json:"template"`
	Count    float64 `json:"count"` // fractional for expected lookups after lost responses
	Cost     int     `json:"cost"`  // tokens per call
	Why      string  `json:"why"`
}

// Tokens returns Count × Cost.
func (c Call) Tokens() float64 { return c.Count * float64(c.Cost) }

// endpoints are the requests of one record phase.
type endpoints struct {
	create, item, lookup string // create collection, one record (GET/PATCH), lookup template
	lookupMethod         string
	verify               string // list read back
}

// phaseEndpoints mirrors migrate's phases: v2 records, v1 notes and files.
var phaseEndpoints = map[source.Kind]endpoints{
	source.Company:     v2Record("organizations", "organization"),
	source.Person:      v2Record("persons", "person"),
	source.Deal:        v2Record("deals", "deal"),
	source.Interaction: {create: "/api/v2/activities", lookup: "/api/v2/activities", verify: "/api/v2/activities"},
	source.Task:        {create: "/api/v2/activities", lookup: "/api/v2/activities", verify: "/api/v2/activities"},
	source.Note:        {create: "/api/v1/notes", lookup: "/api/v1/notes", verify: "/api/v1/notes"},
	source.Attachment:  {create: "/api/v1/files", lookup: "/api/v1/deals/{id}/files", verify: "/api/v1/files"},
}

func v2Record(coll, _ string) endpoints {
	p := "/api/v2/" + coll
	return endpoints{create: p, item: p + "/{id}", lookup: p, verify: p} // lookups list what changed since the create
}

// pricer builds calls with their spec cost; unknown templates are collected as an error.
type pricer struct {
	calls   []Call
	missing []string
}

func (p *pricer) add(stage, method, tmpl string, n float64, why string) {
	if n <= 0 {
		return
	}
	cost, ok := costs.Lookup(method, tmpl)
	if !ok {
		p.missing = append(p.missing, method+" "+tmpl)
	}
	p.calls = append(p.calls, Call{Stage: stage, Method: method, Template: tmpl, Count: n, Cost: cost, Why: why})
}

func (p *pricer) err() error {
	if len(p.missing) == 0 {
		return nil
	}
	return fmt.Errorf("estimate: Pipedrive's spec has no cost for %v", p.missing)
}

// schemaCalls mirrors migrate.setupSchema.
func (p *pricer) schemaCalls(s SchemaWork) {
	const st = "schema"
	p.add(st, http.MethodGet, "/api/v1/users", 1, "owners: read users")
	for _, ent := range recordEntities {
		p.add(st, http.MethodGet, "/api/v2/"+string(ent)+"Fields", 1, "read custom fields")
		p.add(st, http.MethodPost, "/api/v2/"+string(ent)+"Fields", float64(s.Fields[ent]), "create custom fields")
	}
	for i, ent := range recordEntities {
		p.add(st, http.MethodGet, "/api/v1/"+string(ent)+"Fields", 1, "read the label field")
		if i < s.LabelPuts {
			p.add(st, http.MethodGet, "/api/v1/"+string(ent)+"Fields", 1, "re-read the label field before adding")
			p.add(st, http.MethodPut, "/api/v1/"+string(ent)+"Fields/{id}", 1, "add label options")
		}
	}
	p.add(st, http.MethodGet, "/api/v2/pipelines", 1, "read pipelines")
	p.add(st, http.MethodGet, "/api/v2/stages", 1, "read stages")
	p.add(st, http.MethodPost, "/api/v2/pipelines", float64(s.Pipelines), "create pipelines")
	p.add(st, http.MethodPost, "/api/v2/stages", float64(s.Stages), "create stages")
}

// phaseCalls mirrors one record phase: creates, merges into existing records, and the
// expected lookups after lost responses.
func (p *pricer) phaseCalls(w PhaseWork, lostRate float64) {
	ep, ok := phaseEndpoints[w.Kind]
	if !ok {
		return
	}
	st := string(w.Kind)
	p.add(st, http.MethodPost, ep.create, float64(w.Create), "create")
	if ep.item != "" {
		p.add(st, http.MethodGet, ep.item, float64(w.MergeInto), "read the existing record (pre-image)")
		p.add(st, http.MethodPatch, ep.item, float64(w.MergeInto), "merge into the existing record")
	}
	p.add(st, http.MethodGet, ep.lookup, lostRate*float64(w.Create), "look up after a lost response")
}

// verifyCalls mirrors ferry verify (package verify): it reads the schema as schema setup
// finds it (users; the v2 fields of each record entity, whose label_ids carries the label
// options; pipelines; stages), then
// lists every collection the id map points into, and the link targets (organizations,
// persons, deals; activities for files): v2 lists and v1 notes 500 a page, v1 files 100.
// A collection is listed once even when empty.
func (p *pricer) verifyCalls(ws []PhaseWork) {
	const st = "verify"
	in := map[string]int{}
	migrated := false
	for _, w := range ws {
		if ep, ok := phaseEndpoints[w.Kind]; ok && w.Migrated() > 0 {
			in[ep.verify] += w.Migrated()
			migrated = true
		}
	}
	if !migrated {
		return
	}
	p.add(st, http.MethodGet, "/api/v1/users", 1, "read users")
	for _, ent := range recordEntities {
		p.add(st, http.MethodGet, "/api/v2/"+string(ent)+"Fields", 1, "read custom fields and label options (label_ids)")
	}
	p.add(st, http.MethodGet, "/api/v2/pipelines", 1, "read pipelines")
	p.add(st, http.MethodGet, "/api/v2/stages", 1, "read stages")
	links := in["/api/v2/persons"]+in["/api/v2/deals"]+in["/api/v2/activities"]+in["/api/v1/notes"]+in["/api/v1/files"] > 0
	for _, c := range verifyLists {
		n, listed := in[c.tmpl]
		if !listed && !(links && c.link) && !(c.tmpl == "/api/v2/activities" && in["/api/v1/files"] > 0) {
			continue
		}
		p.add(st, http.MethodGet, c.tmpl, float64(max(pagesOf(n, c.page), 1)), fmt.Sprintf("read back %d records", n))
	}
}

// verifyLists are the collections verification lists, in its order, with their page size
// and whether they are link targets read whenever any child is verified.
var verifyLists = []struct {
	tmpl string
	page int
	link bool
}{
	{"/api/v2/organizations", pipedrive.PageSize, true}, {"/api/v2/persons", pipedrive.PageSize, true},
	{"/api/v2/deals", pipedrive.PageSize, true}, {"/api/v2/activities", pipedrive.PageSize, false},
	{"/api/v1/notes", pipedrive.PageSize, false}, {"/api/v1/files", filesPageSize, false},
}

// filesPageSize is the v1 files list maximum (the client's page size for files).
const filesPageSize = 100

// pagesOf returns the list calls needed for n items at size a page.
func pagesOf(n, size int) int { return (n + size - 1) / size }

// pages returns the list calls needed for n items at pipedrive.PageSize a page.
func pages(n int) int { return pagesOf(n, pipedrive.PageSize) }
