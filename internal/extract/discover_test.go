package extract

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy/harvest"
	"ferry/internal/source"
	"ferry/internal/store"
)

// fakeChannel supplies fixed records as channel name; partial names the kinds it supplied
// only in part (an unreadable file).
type fakeChannel struct {
	name    source.Channel
	recs    []source.Record
	partial []source.Kind
}

func (f *fakeChannel) Name() source.Channel { return f.name }

func (f *fakeChannel) PartialKinds() []source.Kind { return f.partial }

func (f *fakeChannel) Extract(_ context.Context, _ Cursors, emit func([]source.Record) error,
	_ func(store.QuarantineItem) error) (map[source.Kind]Counts, error) {
	return map[source.Kind]Counts{}, emit(f.recs)
}

func refRec(kind source.Kind, id, origin string, kv ...string) source.Record {
	f := map[string]string{"id": id}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return source.Record{Kind: kind, ID: id, Origin: origin, Fields: f}
}

// TestDiscoverCompaniesFromReferences: a company name that records name without an id and
// that no company of any channel carries becomes one company (spellings that differ in case,
// accents and legal form are one); names of known companies (in any spelling, or with a
// known domain beside them) and references by id never do.
func TestDiscoverCompaniesFromReferences(t *testing.T) {
	fjordID := harvest.SynthID(source.Company, "name:fjord analytics")
	tests := []struct {
		name string
		api  []source.Record // companies the API channel supplies
		recs []source.Record // the harvest channel's records
		want []Discovered
	}{
		{name: "unknown name in two spellings is one company",
			recs: []source.Record{
				refRec(source.Company, "c1", "companies.csv:2", "name", "Acme GmbH", "domain", "acme.com"),
				refRec(source.Person, "p1", "people.csv:2", "company_name", "Fjord Analytics GmbH"),
				refRec(source.Deal, "d1", "deals.csv:2", "company_name", "fjord analytics"),
				refRec(source.Note, "n1", "notes.csv:2", "company_name", "Fjord Analytics"),
				refRec(source.Task, "t1", "tasks.csv:2", "company_name", "Fjord Analytics"),
			},
			want: []Discovered{{ID: fjordID, Name: "Fjord Analytics", References: 4, First: "people.csv:2"}}},
		{name: "spellings used alike: the first seen names it",
			recs: []source.Record{
				refRec(source.Person, "p1", "people.csv:2", "company_name", "Fjord Analytics GmbH"),
				refRec(source.Deal, "d1", "deals.csv:2", "company_name", "fjord analytics"),
			},
			want: []Discovered{{ID: fjordID, Name: "Fjord Analytics GmbH", References: 2, First: "people.csv:2"}}},
		{name: "messy spellings of a known company resolve to it",
			recs: []source.Record{
				refRec(source.Company, "c1", "companies.csv:2", "name", "Müller Bau GmbH & Co. KG"),
				refRec(source.Person, "p1", "people.csv:2", "company_name", "MULLER BAU"),
				refRec(source.Deal, "d1", "deals.csv:2", "company_name", "Muller-Bau GmbH"),
				refRec(source.Task, "t1", "tasks.csv:2", "company_name", " müller bau kg "),
			}},
		{name: "a known company of another channel counts",
			api:  []source.Record{refRec(source.Company, "cmp_1", "api", "name", "株式会社東京商事")},
			recs: []source.Record{refRec(source.Person, "p1", "people.csv:2", "company_name", "東京商事")}},
		{name: "a reference with a known domain links by domain",
			recs: []source.Record{
				refRec(source.Company, "c1", "companies.csv:2", "name", "Acme", "website", "https://www.acme.com/"),
				refRec(source.Deal, "d1", "deals.csv:2", "company_name", "Acme Europe", "company_domain", "sales.acme.com"),
			}},
		{name: "a reference by id is never a new company",
			recs: []source.Record{
				refRec(source.Person, "p1", "people.csv:2", "company_id", "cmp_gone", "company_name", "Gone Ltd"),
				refRec(source.Interaction, "i1", "interactions.csv:2", "company_ids", "cmp_gone", "company_name", "Gone"),
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := openStore(t, "state.db")
			chs := []Channel{&fakeChannel{name: source.Harvest, recs: tc.recs}}
			if tc.api != nil {
				chs = append(chs, &fakeChannel{name: source.API, recs: tc.api})
			}
			rep, err := Run(context.Background(), target, openStore(t, "staging.db"), chs, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rep.Discovered); diff != "" {
				t.Errorf("discovered (-want +got):\n%s", diff)
			}
			for _, d := range tc.want {
				r, err := target.GetRecord(context.Background(), source.Company, d.ID)
				if err != nil {
					t.Fatalf("discovered company %s is not in the snapshot: %v", d.ID, err)
				}
				if !IsDiscovered(r) || r.Fields["name"] != d.Name {
					t.Errorf("snapshot company %+v: want name %q and a reference origin", r, d.Name)
				}
			}
		})
	}
}

// TestDiscoveredCompanyStableAndKeptWhenCompaniesPartial: a second extract gives the same id
// (nothing changes); when the companies file could not be read, the companies the snapshot
// keeps still count as known, so their names do not become new companies.
func TestDiscoveredCompanyStableAndKeptWhenCompaniesPartial(t *testing.T) {
	ctx := context.Background()
	target := openStore(t, "state.db")
	recs := []source.Record{
		refRec(source.Company, "c1", "companies.csv:2", "name", "Lumen Health"),
		refRec(source.Person, "p1", "people.csv:2", "company_name", "Lumen Health Inc."),
		refRec(source.Person, "p2", "people.csv:3", "company_name", "Fjord Analytics"),
	}
	run := func(ch *fakeChannel) Report {
		t.Helper()
		rep, err := Run(ctx, target, openStore(t, "staging.db"), []Channel{ch}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := run(&fakeChannel{name: source.Harvest, recs: recs})
	second := run(&fakeChannel{name: source.Harvest, recs: recs})
	if diff := cmp.Diff(first.Discovered, second.Discovered); diff != "" || len(first.Discovered) != 1 {
		t.Errorf("discovered on the first extract %v; the second differs (-first +second):\n%s", first.Discovered, diff)
	}
	if c := second.Changes[source.Company]; c.Unchanged != 2 || c.Added+c.Changed+c.Removed != 0 {
		t.Errorf("second extract's companies %+v, want 2 unchanged", c)
	}
	third := run(&fakeChannel{name: source.Harvest, recs: recs[1:], partial: []source.Kind{source.Company}})
	if diff := cmp.Diff(first.Discovered, third.Discovered); diff != "" {
		t.Errorf("with companies unreadable, discovered (-want +got):\n%s", diff)
	}
	if n, _ := target.CountRecords(ctx, source.Company); n != 2 {
		t.Errorf("snapshot holds %d companies, want 2 (Lumen Health kept, Fjord Analytics discovered)", n)
	}
}
