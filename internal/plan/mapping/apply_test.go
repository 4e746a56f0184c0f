package mapping

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// spellingMapping proposes the mapping of the snake_case spelling fixture, with two custom
// person columns added through an edit (as a person would).
func spellingMapping(t *testing.T) Mapping {
	t.Helper()
	p, err := profile.Build(context.Background(), readHarvest(t, writeSpelling(t, 0)))
	if err != nil {
		t.Fatal(err)
	}
	m := Propose(p, Schema{}, Options{DefaultRegion: "US"})
	for i := range m.Objects {
		if m.Objects[i].Source == source.Person {
			m.Objects[i].Fields = append(m.Objects[i].Fields,
				Field{Source: "custom.Tier", CustomField: "Tier", Type: "enum", Options: []string{"Gold", "Silver"},
					Values: map[string]string{"gld": "Gold"}, Transforms: []string{TMapEnum}},
				Field{Source: "custom.Newsletter", CustomField: "Newsletter", Type: "enum", Options: []string{"Yes", "No"},
					Transforms: []string{TBoolean}},
				Field{Source: "custom.ARR", CustomField: "ARR", Type: "monetary", Transforms: []string{TParseMoney + ":eu"}},
				Field{Source: "custom.Renewal", CustomField: "Renewal", Type: "date", Transforms: []string{TParseDate + ":01/02/2006"}})
		}
	}
	if ps := validate(m); len(ps) > 0 {
		t.Fatalf("edited mapping invalid: %v", ps)
	}
	return m
}

func TestApply(t *testing.T) {
	m := spellingMapping(t)
	tests := []struct {
		name     string
		kind     source.Kind
		fields   map[string]string
		want     map[string]any
		problems []string // substrings, in order
	}{
		{"person", source.Person, map[string]string{"id": "per_1", "first_name": " Jane ", "last_name": "O'Brien",
			"email": "Jane@Acme.com; jane.o@gmail.com", "phone": "(415) 555-0134 ; 12", "company_id": "", "company_name": "Acme",
			"tags": "VIP;vip ;Partner", "created_at": "2024-02-03T04:05:06+02:00", "custom.Tier": "gld",
			"custom.Newsletter": "yes", "custom.ARR": "1.200,50 €", "custom.Renewal": "12/31/2027"},
			map[string]any{"name": "Jane O'Brien", "org_id": "organization:name=Acme", "add_time": "2024-02-03T02:05:06Z",
				"emails": []any{map[string]any{"value": "jane@acme.com", "primary": true, "label": "work"},
					map[string]any{"value": "jane.o@gmail.com", "primary": false, "label": "work"}},
				"phones": []any{map[string]any{"value": "+14155550134", "primary": true, "label": "work"},
					map[string]any{"value": "12", "primary": false, "label": "work"}}, // unreadable: kept as written
				"label_ids": []any{"label:vip", "label:partner"},
				"custom_fields": map[string]any{"Klipy ID": "per_1", "Tier": "Tier=Gold", "Newsletter": "Newsletter=Yes",
					"ARR": map[string]any{"value": 1200.5, "currency": "EUR"}, "Renewal": "2027-12-31"}},
			[]string{`person.phone: not a valid phone number: "12"; kept as written`}},
		{"person without a name", source.Person, map[string]string{"id": "per_2", "company_id": "cmp_1", "company_name": "Acme", "custom.Tier": "Bronze"},
			map[string]any{"org_id": "organization:cmp_1", "custom_fields": map[string]any{"Klipy ID": "per_2"}},
			[]string{`person.custom.Tier: value "Bronze" has no option`, "required person field name"}},
		{"open deal", source.Deal, map[string]string{"id": "deal_1", "name": "Renewal", "value": "1,200.50", "currency": "USD",
			"pipeline": "Sales", "stage": "Proposal", "status": "open", "closed_at": "2024-05-06T07:08:09Z", "lost_reason": "Budget",
			"created_at": "2024-03-04T05:06:07Z", "expected_close_date": "2025-06-30"},
			map[string]any{"title": "Renewal", "value": 1200.5, "currency": "USD", "stage_id": "stage:Sales/Proposal", "status": "open",
				"expected_close_date": "2025-06-30", "custom_fields": map[string]any{"Klipy ID": "deal_1", "Klipy created at": "2024-03-04"}},
			nil},
		{"lost deal", source.Deal, map[string]string{"id": "deal_2", "name": "Pilot", "status": "Lost", "closed_at": "2024-05-06T07:08:09Z",
			"lost_reason": "Budget", "person_id": "per_1", "company_id": "cmp_1"},
			map[string]any{"title": "Pilot", "status": "lost", "close_time": "2024-05-06T07:08:09Z", "lost_time": "2024-05-06T07:08:09Z",
				"lost_reason": "Budget", "person_id": "person:per_1", "org_id": "organization:cmp_1",
				"custom_fields": map[string]any{"Klipy ID": "deal_2"}},
			nil},
		{"bad deal status", source.Deal, map[string]string{"id": "deal_3", "name": "X", "status": "pending"},
			map[string]any{"title": "X", "custom_fields": map[string]any{"Klipy ID": "deal_3"}},
			[]string{`deal status "pending" is not open, won or lost`}},
		{"interaction", source.Interaction, map[string]string{"id": "int_1", "type": "MEETING", "channel": "meeting", "direction": "IN<BOUND>",
			"title": "Kick-off", "summary": `<p onclick="x()">Hi <script>alert(1)</script><b>there</b></p>`,
			"interaction_date": "2024-04-06T09:30:00Z", "person_ids": "per_1;per_2", "company_ids": "cmp_1;cmp_2",
			"created_by": "usr_1", "duration_minutes": "95"},
			map[string]any{"type": "meeting", "subject": "Kick-off", "note": "<p>Hi <b>there</b></p><p>Direction: IN&lt;BOUND&gt;</p>",
				"done": true, "due_date": "2024-04-06", "due_time": "09:30", "duration": "01:35", "org_id": "organization:cmp_1", "owner_id": "owner:usr_1",
				"participants": []any{map[string]any{"person_id": "person:per_1", "primary": true},
					map[string]any{"person_id": "person:per_2", "primary": false}}},
			nil},
		{"task", source.Task, map[string]string{"id": "task_1", "title": "Call back", "due_date": "2024-04-10", "done": "true", "person_id": "per_1"},
			map[string]any{"type": "task", "subject": "Call back", "due_date": "2024-04-10", "done": true,
				"participants": []any{map[string]any{"person_id": "person:per_1", "primary": true}}},
			nil},
		{"note", source.Note, map[string]string{"id": "note_1", "body": "Call notes", "person_id": "per_1", "created_at": "2024-03-06T12:00:00Z",
			"ai_draft": "true", "source_conversation": "int_1", "author": "Jane Smith"},
			map[string]any{"content": "Call notes<p>AI draft: a follow-up drafted by Klipy AI, kept as a draft (not sent)</p><p>Source conversation: int_1</p>", "person_id": "person:per_1",
				"add_time": "2024-03-06 12:00:00", "user_id": "owner:Jane Smith"},
			nil},
		{"owner is skipped", source.Owner, map[string]string{"id": "usr_1", "name": "Jane"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, problems := Apply(m, tt.kind, source.Record{Kind: tt.kind, ID: tt.fields["id"], Fields: tt.fields}, NameResolver{})
			got, _ := jsonable(body)
			want, _ := jsonable(tt.want)
			if tt.want == nil && body == nil {
				got = want
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
			if len(problems) != len(tt.problems) {
				t.Fatalf("problems = %v, want %d like %q", problems, len(tt.problems), tt.problems)
			}
			for i, p := range problems {
				if s := p.Field + ": " + p.Message; !strings.Contains(s, tt.problems[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, s, tt.problems[i])
				}
			}
		})
	}
}

// TestRunTestsCatchesEdits checks that an edit that changes a body fails the mapping's own
// tests, naming the test's line.
func TestRunTestsCatchesEdits(t *testing.T) {
	data := render(t, Propose(genProfile(t, 60, 1), Schema{}, Options{}))
	edited := strings.Replace(string(data), "'join_name:last'", "'join_name:first'", 1)
	m, err := Parse("mapping.yaml", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	ps := RunTests(m)
	if len(ps) == 0 {
		t.Fatal("RunTests found nothing after swapping last name into first")
	}
	if ps[0].Line == 0 || !strings.Contains(ps[0].Message, "body differs") {
		t.Errorf("problem = %+v, want a body diff on the test's line", ps[0])
	}
}

// failingLinks resolves nothing by id, and organizations by name only.
type failingLinks struct{ NameResolver }

func (failingLinks) LinkID(entity, id string) (any, error) {
	return nil, errors.New(entity + " " + id + " is not migrated")
}

// TestApplyLinkFallback checks that a person whose company id does not resolve is linked
// by company name, with the failed id link reported as a warning only.
func TestApplyLinkFallback(t *testing.T) {
	m := spellingMapping(t)
	rec := source.Record{Kind: source.Person, ID: "per_1", Fields: map[string]string{
		"id": "per_1", "first_name": "Ann", "company_id": "cmp_9", "company_name": "Acme"}}
	body, ps := Apply(m, source.Person, rec, failingLinks{})
	if body["org_id"] != "organization:name=Acme" {
		t.Errorf("org_id = %v, want the link by name", body["org_id"])
	}
	if len(ps) != 1 || !ps[0].Warning || !strings.Contains(ps[0].Message, "linked by name instead") {
		t.Errorf("problems = %+v, want one warning about the failed id link", ps)
	}
	delete(rec.Fields, "company_name")
	if _, ps := Apply(m, source.Person, rec, failingLinks{}); !Errors(ps) {
		t.Errorf("without a company name the failed link must be an error: %+v", ps)
	}
}

// TestApplyKeepsUnreadablePhone: a phone ferry cannot read in E.164 moves as written, with a
// warning, and does not make the record an error (which would quarantine it).
func TestApplyKeepsUnreadablePhone(t *testing.T) {
	m := spellingMapping(t)
	rec := source.Record{Kind: source.Person, ID: "per_1", Fields: map[string]string{
		"id": "per_1", "first_name": "Ann", "phone": "03-6202-0264"}}
	body, ps := Apply(m, source.Person, rec, NameResolver{})
	phones, _ := body["phones"].([]any)
	if len(phones) != 1 || phones[0].(map[string]any)["value"] != "03-6202-0264" {
		t.Errorf("phones = %v, want the number as written", body["phones"])
	}
	if Errors(ps) || len(ps) != 1 || !ps[0].Warning {
		t.Errorf("problems = %+v, want one warning and no error", ps)
	}
}

// missingLabels resolves every tag but "Wholesale" (a tag the label decisions do not know).
type missingLabels struct{ NameResolver }

func (missingLabels) LabelID(entity, tag string) (any, error) {
	if tag == "Wholesale" {
		return nil, errors.New(`tag "Wholesale" has no label in the label decisions`)
	}
	return NameResolver{}.LabelID(entity, tag)
}

// TestApplyUnknownTagKeepsRecord: a tag without a label is left out with a warning; the
// record and its other labels still move (one tag must not quarantine a company and hold
// back everything under it).
func TestApplyUnknownTagKeepsRecord(t *testing.T) {
	m := spellingMapping(t)
	rec := source.Record{Kind: source.Person, ID: "per_1", Fields: map[string]string{
		"id": "per_1", "first_name": "Ann", "tags": "VIP;Wholesale"}}
	body, ps := Apply(m, source.Person, rec, missingLabels{})
	if Errors(ps) || len(ps) != 1 || !ps[0].Warning || !strings.Contains(ps[0].Message, "Wholesale") {
		t.Fatalf("problems = %+v, want one warning naming the tag", ps)
	}
	if diff := cmp.Diff([]any{"label:vip"}, body["label_ids"]); diff != "" {
		t.Errorf("label_ids (-want +got):\n%s", diff)
	}
}

// TestValidateOnMissingParent: only unlink and hold are allowed, on any object.
func TestValidateOnMissingParent(t *testing.T) {
	for policy, ok := range map[string]bool{"": true, Unlink: true, Hold: true, "wait": false} {
		m := Mapping{Version: 1, DefaultRegion: "US", Objects: []Object{{Source: source.Note, Target: EntityNote, OnMissingParent: policy,
			Fields: []Field{{Source: "body", Target: "content"}}}}}
		ps := validate(m)
		if got := len(ps) == 0; got != ok {
			t.Errorf("on_missing_parent %q: problems %v, want valid=%v", policy, ps, ok)
		}
	}
}
