package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// refTable resolves links from a table: ids by "entity:id", keyed links by "entity:by=value";
// anything else is not found (as the engine says of a reference naming no record).
type refTable struct {
	NameResolver
	ids map[string]any
}

func (r refTable) LinkID(entity, id string) (any, error) {
	if v, ok := r.ids[entity+":"+id]; ok {
		return v, nil
	}
	return nil, errors.New(entity + " " + id + " is not migrated")
}

func (r refTable) LinkBy(entity, by, value string) (any, error) {
	if v, ok := r.ids[entity+":"+by+"="+value]; ok {
		return v, nil
	}
	return nil, errors.New("no " + entity + " with " + by + " \"" + value + "\" in the snapshot")
}

// linkMapping is the proposal's reference fields for deals, interactions and notes.
func linkMapping() Mapping {
	f := func(src, target string, ts ...string) Field {
		return Field{Source: src, Target: target, Transforms: ts}
	}
	return Mapping{Version: Version, DefaultRegion: "US", Objects: []Object{
		{Source: source.Deal, Target: EntityDeal, Fields: []Field{f("name", "title", TTrim),
			f("person_id", "person_id", "link:person"), f("person_email", "person_id", "link_email:person"),
			f("company_id", "org_id", "link:organization"), f("company_name", "org_id", "link_name:organization"),
			f("company_domain", "org_id", "link_domain:organization")}},
		{Source: source.Interaction, Target: EntityActivity, ActivityType: "task", Fields: []Field{f("title", "subject", TTrim),
			f("person_ids", "participants", "link:person"), f("person_emails", "participants", "link_email:person")}},
		{Source: source.Note, Target: EntityNote, Fields: []Field{f("body", "content", TTrim),
			f("person_email", "person_id", "link_email:person"), f("company_name", "org_id", "link_name:organization")}},
	}}
}

// TestApplyKeyedLinks: references by email, company name and domain fill their targets after
// the id links; one that names no record is a warning with its value and the record still
// maps; participants from ids and emails are one list without repeats; a note none of whose
// references resolve is an error (Pipedrive refuses a note attached to nothing).
func TestApplyKeyedLinks(t *testing.T) {
	m := linkMapping()
	if ps := validate(m); len(ps) > 0 {
		t.Fatalf("mapping invalid: %v", ps)
	}
	refs := refTable{ids: map[string]any{
		"person:p1": 11, "person:email=ann@acme.com": 11, "person:email=bob@acme.com": 12,
		"organization:name=Acme GmbH": 21, "organization:domain=https://acme.com": 22,
	}}
	cases := []struct {
		name   string
		kind   source.Kind
		in     map[string]string
		want   map[string]any
		warns  []string // substrings, one per warning
		errors bool
	}{
		{name: "deal by email and company name", kind: source.Deal,
			in:   map[string]string{"name": "D", "person_email": "ann@acme.com", "company_name": "Acme GmbH"},
			want: map[string]any{"title": "D", "person_id": 11, "org_id": 21}},
		{name: "failed id link, email stands in", kind: source.Deal,
			in:    map[string]string{"name": "D", "person_id": "p9", "person_email": "bob@acme.com"},
			want:  map[string]any{"title": "D", "person_id": 12},
			warns: []string{"person p9 is not migrated; linked by email instead"}},
		{name: "unknown email moves without the link", kind: source.Deal,
			in:    map[string]string{"name": "D", "person_email": "zoe@nowhere.com", "company_domain": "https://acme.com"},
			want:  map[string]any{"title": "D", "org_id": 22},
			warns: []string{`deal.person_email: no person with email "zoe@nowhere.com" in the snapshot; moved without this link`}},
		{name: "name fails, domain resolves", kind: source.Deal,
			in:    map[string]string{"name": "D", "company_name": "Acme Holdings", "company_domain": "https://acme.com"},
			want:  map[string]any{"title": "D", "org_id": 22},
			warns: []string{`name "Acme Holdings"`}},
		{name: "participants from ids and emails, once each", kind: source.Interaction,
			in: map[string]string{"title": "Call", "person_ids": "p1", "person_emails": "ann@acme.com;bob@acme.com;eve@acme.com"},
			want: map[string]any{"subject": "Call", "type": "task", "participants": []any{
				map[string]any{"person_id": 11, "primary": true}, map[string]any{"person_id": 12, "primary": false}}},
			warns: []string{`"eve@acme.com"`}},
		{name: "note by company name only", kind: source.Note,
			in:   map[string]string{"body": "Hi", "person_email": "", "company_name": "Acme GmbH"},
			want: map[string]any{"content": "Hi", "org_id": 21}},
		{name: "note attached to nothing", kind: source.Note,
			in:    map[string]string{"body": "Hi", "person_email": "zoe@nowhere.com"},
			want:  map[string]any{"content": "Hi"},
			warns: []string{"zoe@nowhere.com", "must be attached to a deal, person, organization or lead"}, errors: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ps := Apply(m, c.kind, source.Record{Kind: c.kind, ID: "x", Fields: c.in}, refs)
			if diff := cmp.Diff(c.want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if Errors(ps) != c.errors {
				t.Errorf("errors = %v, want %v: %+v", Errors(ps), c.errors, ps)
			}
			if len(ps) != len(c.warns) {
				t.Fatalf("problems = %+v, want %d", ps, len(c.warns))
			}
			for i, w := range c.warns {
				if got := ps[i].Format("mapping.yaml"); !strings.Contains(got, w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got, w)
				}
			}
		})
	}
}
