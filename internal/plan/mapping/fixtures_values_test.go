package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"ferry/internal/plan/profile"
	"ferry/internal/sharedtest"
	"ferry/internal/source"
)

// TestFixtureCustomFieldTypes profiles the three shared hand-made exports' columns and checks
// the proposed Pipedrive type of every custom field their expected.json names.
func TestFixtureCustomFieldTypes(t *testing.T) {
	root := sharedtest.Require(t, filepath.Join("fixtures", "harvests"))
	for _, folder := range []string{"sheets-export", "excel-eu", "crm-dump"} {
		t.Run(folder, func(t *testing.T) {
			dir := filepath.Join(root, folder)
			raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			var exp struct {
				CustomFields map[string]string `json:"custom_fields"`
			}
			if err := json.Unmarshal(raw, &exp); err != nil {
				t.Fatalf("%s/expected.json: %v", folder, err)
			}
			if len(exp.CustomFields) == 0 {
				t.Fatalf("%s/expected.json names no custom_fields", folder)
			}
			p := profileCSVDir(t, dir)
			m := Propose(p, Schema{}, Options{})
			for col, want := range exp.CustomFields {
				f, kind := findCustom(m, source.CustomPrefix+col)
				if kind == "" {
					t.Errorf("column %q: in no harvest file", col)
					continue
				}
				if f.CustomField == "" || f.Type != want {
					t.Errorf("%s column %q: proposed %s custom field %q (target %q, skip %q; %s), want %s",
						kind, col, f.Type, f.CustomField, f.Target, f.Skip, f.Reason, want)
				}
				if want == "monetary" {
					checkCurrencies(t, m, kind, dir, col)
				}
			}
		})
	}
}

// findCustom finds the proposed field of a source column in any object.
func findCustom(m Mapping, name string) (Field, source.Kind) {
	for _, o := range m.Objects {
		for _, f := range o.Fields {
			if f.Source == name {
				return f, o.Source
			}
		}
	}
	return Field{}, ""
}

// checkCurrencies applies the mapping to every row of a monetary column and checks that each
// amount carries the currency its symbol or code names.
func checkCurrencies(t *testing.T, m Mapping, kind source.Kind, dir, col string) {
	t.Helper()
	for name, k := range fileKinds {
		if k != kind {
			continue
		}
		for _, r := range readCSVCustom(t, filepath.Join(dir, name), kind) {
			v := r.Fields[source.CustomPrefix+col]
			if v == "" {
				continue
			}
			body, ps := Apply(m, kind, r, NameResolver{})
			cf, _ := body["custom_fields"].(map[string]any)
			got, _ := cf[col].(map[string]any)
			_, cur, _ := profile.ParseMoney(v, "")
			if got == nil || cur == "" || got["currency"] != cur {
				t.Errorf("%s %s %q: custom field %v (problems %v), want an amount in %q", r.ID, col, v, cf[col], ps, cur)
			}
		}
	}
}
