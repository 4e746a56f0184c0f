package pipedrive_test

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/spectest"
)

// TestCreateOnlyKeysMatchSpec derives, for each v2 collection ferry writes records to, the
// body keys POST declares and PATCH does not from openapi-v2.yaml, and requires
// pipedrive.CreateOnly to say the same.
func TestCreateOnlyKeysMatchSpec(t *testing.T) {
	specs := spectest.Load(t)
	for _, k := range []pipedrive.Kind{pipedrive.Persons, pipedrive.Organizations, pipedrive.Deals, pipedrive.Activities} {
		post, err := specs.BodyProperties("POST", "/api/v2/"+string(k))
		if err != nil {
			t.Fatal(err)
		}
		patch, err := specs.BodyProperties("PATCH", "/api/v2/"+string(k)+"/1")
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for p := range post {
			if !patch[p] {
				want = append(want, p)
			}
		}
		sort.Strings(want)
		got := pipedrive.CreateOnly(k)
		sort.Strings(got)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: create-only keys (-spec +pipedrive.CreateOnly):\n%s", k, diff)
		}
		body := pipedrive.Entity{"name": "x", "title": "y"}
		for p := range post {
			body[p] = nil
		}
		for p := range pipedrive.ForUpdate(k, body) {
			if !patch[p] && p != "name" && p != "title" {
				t.Errorf("%s: ForUpdate kept %q, which PATCH does not declare", k, p)
			}
		}
	}
}
