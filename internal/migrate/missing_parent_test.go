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
