package migrate

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
)

// goneParents resolves nothing: every linked record was not migrated (quarantined).
type goneParents struct{}

func (goneParents) FieldCode(pipedrive.FieldEntity, string) (string, bool)       { return "", false }
func (goneParents) OptionID(pipedrive.FieldEntity, string, string) (int64, bool) { return 0, false }
func (goneParents) LinkID(kind source.Kind, id string) (int64, error) {
	return 0, fmt.Errorf("%w: %s %s is quarantined", ErrHeld, kind, id)
}
func (goneParents) LinkBy(source.Kind, string, string) (int64, error) {
	return 0, errors.New("no record carries it")
}
func (goneParents) OwnerID(string) (int64, bool)                           { return 0, false }
func (goneParents) LabelIDs(pipedrive.FieldEntity, []string) []int64       { return nil }
func (goneParents) Stage(string, string, []string, bool) (Placement, bool) { return Placement{}, false }
func (goneParents) ActivityType(string, string) (string, bool, bool)       { return "", false, false }
func (goneParents) Now() time.Time                                         { return time.Unix(0, 0) }

// TestOnMissingParent: a person whose organization was not migrated moves without the link
// and says so (unlink, the default); with on_missing_parent: hold it is held instead.
func TestOnMissingParent(t *testing.T) {
	obj := mapping.Object{Source: source.Person, Target: mapping.EntityPerson, Fields: []mapping.Field{
		{Source: "first_name", Target: "name"},
		{Source: "company_id", Target: "org_id", Transforms: []string{"link:organization"}},
	}}
	rec := source.Record{Kind: source.Person, ID: "p1", Fields: map[string]string{"first_name": "Ann", "company_id": "c9"}}
	for _, tt := range []struct {
		policy   string
		wantHeld bool
	}{{"", false}, {mapping.Unlink, false}, {mapping.Hold, true}} {
		o := obj
		o.OnMissingParent = tt.policy
		fm := FileMapper{M: mapping.Mapping{Version: 1, Objects: []mapping.Object{o}}}
		body, warns, err := fm.PayloadWarnings(source.Person, rec, goneParents{})
		if tt.wantHeld {
			if !errors.Is(err, ErrHeld) {
				t.Errorf("policy %q: err = %v, want the record held", tt.policy, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("policy %q: %v", tt.policy, err)
		}
		if _, linked := body["org_id"]; linked || body["name"] != "Ann" {
			t.Errorf("policy %q: body %v, want the person without org_id", tt.policy, body)
		}
		if len(warns) != 1 || !strings.Contains(warns[0], "unlinked") || !strings.Contains(warns[0], "company c9") {
			t.Errorf("policy %q: warnings %q, want one naming the unlinked company c9", tt.policy, warns)
		}
	}
}

// someParents resolves the persons it lists (as migrated, with their Pipedrive ids); every
// other link is a record that was not migrated.
type someParents struct {
	goneParents
	persons map[string]int64
}

func (s someParents) LinkID(kind source.Kind, id string) (int64, error) {
	if pid, ok := s.persons[id]; ok && kind == source.Person {
		return pid, nil
	}
	return s.goneParents.LinkID(kind, id)
}

// TestParticipantMustExist: an activity's participants are only persons ferry migrated (a
// participant Pipedrive does not have is refused); one that was not migrated is left out and
// named (unlink, the default), or holds the activity (hold), and the body keeps Pipedrive's
// rules.
func TestParticipantMustExist(t *testing.T) {
	obj := mapping.Object{Source: source.Interaction, Target: mapping.EntityActivity, ActivityType: "call", Fields: []mapping.Field{
		{Source: "subject", Target: "subject"},
		{Source: "person_ids", Target: "participants", Transforms: []string{"link:person"}},
	}}
	rec := source.Record{Kind: source.Interaction, ID: "i1", Fields: map[string]string{"subject": "Intro", "person_ids": "p2;p1"}}
	refs := someParents{persons: map[string]int64{"p1": 41}}
	for _, tt := range []struct {
		policy   string
		wantHeld bool
	}{{"", false}, {mapping.Hold, true}} {
		o := obj
		o.OnMissingParent = tt.policy
		fm := FileMapper{M: mapping.Mapping{Version: 1, Objects: []mapping.Object{o}}}
		body, warns, err := fm.PayloadWarnings(source.Interaction, rec, refs)
		if tt.wantHeld {
			if !errors.Is(err, ErrHeld) {
				t.Errorf("policy %q: err = %v, want the activity held", tt.policy, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("policy %q: %v", tt.policy, err)
		}
		want := []any{map[string]any{"person_id": int64(41), "primary": true}}
		if got := fmt.Sprint(body["participants"]); got != fmt.Sprint(want) {
			t.Errorf("policy %q: participants %s, want only the migrated person %v", tt.policy, got, want)
		}
		if len(warns) != 1 || !strings.Contains(warns[0], "person p2") {
			t.Errorf("policy %q: warnings %q, want one naming the person p2 left out", tt.policy, warns)
		}
		if why := refusal("activity", body, nil); why != "" {
			t.Errorf("policy %q: Pipedrive's rules refuse the body: %s", tt.policy, why)
		}
	}
}
