package klipy_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/klipy"
	"ferry/internal/source"
)

// genSource collects what a generated dataset's Each gives for the kinds the API serves.
func genSource(t testing.TB, d *gen.Dataset) memSource {
	t.Helper()
	m := memSource{}
	for _, k := range []source.Kind{source.Person, source.Company, source.Interaction} {
		if err := d.Each(k, func(r source.Record) error {
			m[k] = append(m[k], r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// TestExtractGeneratedDataset serves a generated workspace through both generations and
// checks the extraction against the dataset's own Each: every person and interaction once,
// and every company a person or interaction refers to.
func TestExtractGeneratedDataset(t *testing.T) {
	d := gen.New(gen.Config{People: 400, Seed: 7})
	src := genSource(t, d)
	w := want(src)
	if len(src[source.Person]) != 400 || len(src[source.Interaction]) < 1000 {
		t.Fatalf("generated %d people, %d interactions; the dataset is smaller than expected", len(src[source.Person]), len(src[source.Interaction]))
	}
	unreachable := len(src[source.Company])
	for k := range w {
		if len(k) > 8 && k[:8] == "company/" {
			unreachable--
		}
	}
	t.Logf("%d people, %d interactions, %d companies of which %d are referenced by nobody (not extractable through the API)",
		len(src[source.Person]), len(src[source.Interaction]), len(src[source.Company]), unreachable)
	for _, api := range []string{"new", "old"} {
		t.Run(api, func(t *testing.T) {
			// The dataset itself is the sandbox's source, as in `ferry sandbox klipy`.
			_, base, key := serve(t, api, d, nil)
			c := newClient(t, klipy.Config{BaseURL: base, APIKey: key})
			m := newMemStore()
			st, err := klipy.Extract(context.Background(), c, m, m.emit)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(w, got(m)); d != "" {
				t.Errorf("extracted records (-want +got):\n%s", d)
			}
			if m.emitted != len(m.records) || len(st.MissingCompanies) != 0 {
				t.Errorf("emitted %d records for %d distinct; missing companies %v", m.emitted, len(m.records), st.MissingCompanies)
			}
		})
	}
}
