package sandbox

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive/spectest"
)

// documentedExtras are body keys the sandbox accepts beyond the v2 document, each with the
// documentation that allows it.
var documentedExtras = map[string]map[string]string{
	"persons": {
		"first_name": "Pipedrive's v1→v2 migration guide: first_name and last_name build name",
		"last_name":  "Pipedrive's v1→v2 migration guide: first_name and last_name build name",
	},
}

// refusedDespiteSpec are keys the v2 document declares that Pipedrive refuses, with the
// report that shows it (API-NOTES.md); the sandbox refuses them too.
var refusedDespiteSpec = map[string]map[string]string{
	"activities": {"person_id": "v2 answers 400 \"'person_id' is a read-only field. Add a primary participant\" (devcommunity report)"},
}

// TestBodyKeysMatchSpec: the keys each v2 collection of the sandbox accepts on create and on
// update are the ones openapi-v2.yaml declares for POST and PATCH (plus documented extras):
// a client whose bodies pass here passes at Pipedrive, and a PATCH with a create-only key
// (add_time on persons) is refused as Pipedrive refuses it.
func TestBodyKeysMatchSpec(t *testing.T) {
	specs := spectest.Load(t)
	for _, k := range []*kind{personKind, orgKind, dealKind, activityKind, pipelineKind, stageKind} {
		for _, c := range []struct {
			method, path string
			create       bool
		}{{"POST", "/api/v2/" + k.coll, true}, {"PATCH", "/api/v2/" + k.coll + "/1", false}} {
			spec, err := specs.BodyProperties(c.method, c.path)
			if err != nil {
				t.Fatal(err)
			}
			delete(spec, "custom_fields")
			for key := range refusedDespiteSpec[k.coll] {
				delete(spec, key)
			}
			var want, got []string
			for p := range spec {
				want = append(want, p)
			}
			for key, a := range k.attrs {
				if (a.create && !c.create) || documentedExtras[k.coll][key] != "" {
					continue
				}
				got = append(got, key)
			}
			sort.Strings(want)
			sort.Strings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %s: body keys (-spec +sandbox):\n%s", c.method, c.path, diff)
			}
		}
	}
}
