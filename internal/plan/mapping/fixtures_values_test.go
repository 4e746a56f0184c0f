package mapping

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/klipy/harvest"
	"ferry/internal/plan/profile"
	"ferry/internal/sharedtest"
	"ferry/internal/source"
	"ferry/internal/store"
)

// harvested is one hand-made harvest folder read by the harvest reader.
type harvested struct {
	records []source.Record
	profile profile.Profile
	opts    Options // the column map's hints and headers
}

// readHarvest reads a harvest folder with the real reader and profiles it; the column map it
// proposes gives the hints and headers Propose reads.
func readHandMadeHarvest(t *testing.T, dir string) harvested {
	t.Helper()
	var h harvested
	pr := profile.NewProfiler()
	st, err := harvest.Read(context.Background(), dir, harvest.Options{},
		func(r source.Record) error { h.records = append(h.records, r); pr.Add(r); return nil },
		func(store.QuarantineItem) error { return nil })
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	h.profile = pr.Profile()
	h.opts = Options{DefaultRegion: "US", Hints: st.Columns.Hints(), Headers: map[source.Kind]map[string]string{}}
	for _, f := range st.Columns.Files {
		for _, c := range f.Columns {
			if h.opts.Headers[f.Kind] == nil {
				h.opts.Headers[f.Kind] = map[string]string{}
			}
			h.opts.Headers[f.Kind][c.Field] = c.Header
		}
	}
	return h
}

// TestFixtureCustomFieldTypes reads the three shared hand-made exports with the harvest
// reader, profiles them, proposes the mapping and checks the Pipedrive type of every custom
// field their expected.json names; monetary fields must carry each amount's currency.
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
			h := readHandMadeHarvest(t, dir)
			m := Propose(h.profile, Schema{}, h.opts)
			for col, want := range exp.CustomFields {
				f, kind := findCustomField(m, col)
				if kind == "" {
					t.Errorf("no custom field %q proposed (want %s)", col, want)
					continue
				}
				if f.Type != want {
					t.Errorf("%s custom field %q (from %s): %s (%s), want %s", kind, col, f.Source, f.Type, f.Reason, want)
				}
				if want == "monetary" {
					checkCurrencies(t, m, kind, f, h.records)
				}
			}
		})
	}
}

// findCustomField finds the proposed custom field of a name in any object.
func findCustomField(m Mapping, name string) (Field, source.Kind) {
	for _, o := range m.Objects {
		for _, f := range o.Fields {
			if strings.EqualFold(f.CustomField, name) {
				return f, o.Source
			}
		}
	}
	return Field{}, ""
}

// checkCurrencies applies the mapping to every record holding a monetary field and checks
// that each amount carries the currency its symbol or code names.
func checkCurrencies(t *testing.T, m Mapping, kind source.Kind, f Field, recs []source.Record) {
	t.Helper()
	n := 0
	for _, r := range recs {
		v := r.Fields[f.Source]
		if r.Kind != kind || v == "" {
			continue
		}
		n++
		body, ps := Apply(m, kind, r, NameResolver{})
		cf, _ := body["custom_fields"].(map[string]any)
		got, _ := cf[f.CustomField].(map[string]any)
		_, cur, _ := profile.ParseMoney(v, "")
		if got == nil || cur == "" || got["currency"] != cur {
			t.Errorf("%s %s %q: custom field %v (problems %v), want an amount in %q", r.ID, f.CustomField, v, cf[f.CustomField], ps, cur)
		}
	}
	if n == 0 {
		t.Errorf("no %s record holds %s", kind, f.Source)
	}
}
