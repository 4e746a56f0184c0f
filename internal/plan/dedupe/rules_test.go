package dedupe

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/source"
)

// groups renders clusters as sorted member lists, for comparison.
func groups(cs []Cluster) [][]string {
	out := [][]string{}
	for _, c := range cs {
		m := slices.Clone(c.Members)
		slices.Sort(m)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b []string) int { return compareStr(a[0], b[0]) })
	return out
}

func TestPersonRules(t *testing.T) {
	cases := []struct {
		name    string
		people  []source.Record
		comps   []source.Record
		want    [][]string
		refused int
	}{
		{"email spellings join", []source.Record{
			person("p1", "email", `"Jane Doe" <JANE@Acme.com>`),
			person("p2", "email", " jane@acme.com "),
			person("p3", "email", "mailto:Jane@ACME.com"),
		}, nil, [][]string{{"p1", "p2", "p3"}}, 0},
		{"second email in a list joins", []source.Record{
			person("p1", "email", "jane@acme.com;jane.doe@gmail.com"),
			person("p2", "email", "jane.doe@gmail.com"),
		}, nil, [][]string{{"p1", "p2"}}, 0},
		{"switchboard phone with different emails stays apart", []source.Record{
			person("p1", "email", "jane@acme.com", "phone", "+1 415 555 0132"),
			person("p2", "email", "john@acme.com", "phone", "(415) 555-0132"),
		}, nil, [][]string{}, 1},
		{"phone joins when one side has no email", []source.Record{
			person("p1", "email", "jane@acme.com", "phone", "+1 415 555 0132"),
			person("p2", "phone", "415.555.0132"),
		}, nil, [][]string{{"p1", "p2"}}, 0},
		{"generic address never joins", []source.Record{
			person("p1", "first_name", "Jane", "email", "info@acme.com"),
			person("p2", "first_name", "John", "email", "INFO@acme.com"),
		}, nil, [][]string{}, 0},
		{"generic address blocks a phone join with a personal one", []source.Record{
			person("p1", "email", "info@acme.com", "phone", "+1 415 555 0132"),
			person("p2", "email", "jane@acme.com", "phone", "+1 415 555 0132"),
		}, nil, [][]string{}, 1},
		{"guard holds across clusters", []source.Record{
			person("p1", "email", "a@acme.com", "phone", "+1 415 555 0132"),
			person("p2", "phone", "+1 415 555 0132", "linkedin_url", "linkedin.com/in/ann"),
			person("p3", "email", "c@acme.com", "linkedin_url", "https://uk.linkedin.com/in/Ann/"),
		}, nil, [][]string{{"p1", "p2"}}, 1},
		{"linkedin spellings join", []source.Record{
			person("p1", "linkedin_url", "https://www.linkedin.com/in/jane-doe"),
			person("p2", "linkedin_url", "http://uk.linkedin.com/in/Jane-Doe/?trk=x"),
		}, nil, [][]string{{"p1", "p2"}}, 0},
		{"shared email overrides the guard", []source.Record{
			person("p1", "email", "jane@acme.com;j@x.io", "phone", "+1 415 555 0132"),
			person("p2", "email", "j@x.io", "phone", "+1 415 555 0199"),
			person("p3", "email", "jane@acme.com", "phone", "+1 415 555 0199"),
		}, nil, [][]string{{"p1", "p2", "p3"}}, 0},
		{"national phone read with the company's country", []source.Record{
			person("p1", "phone", "030 1234567", "company_id", "c1"),
			person("p2", "phone", "+49 30 1234567"),
		}, []source.Record{company("c1", "country", "Germany")}, [][]string{{"p1", "p2"}}, 0},
		{"national phone read with the country of the company named (no company id)", []source.Record{
			person("p1", "phone", "030 1234567", "company_name", "MÜLLER & SÖHNE"),
			person("p2", "phone", "+49 30 1234567"),
		}, []source.Record{company("c1", "name", "Müller & Söhne GmbH", "country", "DE")}, [][]string{{"p1", "p2"}}, 0},
		{"a company name in two countries gives no region", []source.Record{
			person("p1", "phone", "030 1234567", "company_name", "Nord"),
			person("p2", "phone", "+49 30 1234567"),
		}, []source.Record{company("c1", "name", "Nord GmbH", "country", "DE"), company("c2", "name", "Nord AB", "country", "SE")},
			[][]string{}, 0},
		{"national phone without a region stays unresolved", []source.Record{
			person("p1", "phone", "030 1234567"),
			person("p2", "phone", "+49 30 1234567"),
		}, nil, [][]string{}, 0},
		{"person's own country wins", []source.Record{
			person("p1", "phone", "020 7946 0018", "country", "GB", "company_id", "c1"),
			person("p2", "phone", "+44 20 7946 0018"),
		}, []source.Record{company("c1", "country", "DE")}, [][]string{{"p1", "p2"}}, 0},
		{"extensions must agree", []source.Record{
			person("p1", "phone", "+1 415 555 0132 x1"),
			person("p2", "phone", "+1 415 555 0132 ext. 2"),
			person("p3", "phone", "+1 (415) 555-0132 x1"),
		}, nil, [][]string{{"p1", "p3"}}, 0},
		{"invalid identifiers join nothing", []source.Record{
			person("p1", "email", "a@@b.com", "phone", "000-000-0000"),
			person("p2", "email", "a@@b.com", "phone", "000-000-0000"),
		}, nil, [][]string{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, sliceSource{source.Person: c.people, source.Company: c.comps}, Options{DefaultRegion: "US"})
			if diff := cmp.Diff(c.want, groups(res.PersonClusters)); diff != "" {
				t.Errorf("clusters (-want +got):\n%s", diff)
			}
			if len(res.Refused) != c.refused {
				t.Errorf("refused links = %v, want %d", res.Refused, c.refused)
			}
		})
	}
}

func TestCompanyRules(t *testing.T) {
	cases := []struct {
		name    string
		comps   []source.Record
		want    [][]string
		refused int
	}{
		{"domain spellings join", []source.Record{
			company("c1", "name", "Acme Inc.", "domain", "acme.co.uk"),
			company("c2", "name", "Acme", "domain", "http://WWW.Acme.co.uk:8080/"),
			company("c3", "name", "ACME Ltd", "website", "https://acme.co.uk/about"),
		}, [][]string{{"c1", "c2", "c3"}}, 0},
		{"no-domain record joins the one cluster with its name", []source.Record{
			company("c1", "name", "Nord Systems GmbH", "domain", "nord.de"),
			company("c2", "name", "Nord Systems"),
		}, [][]string{{"c1", "c2"}}, 0},
		{"name shared by two domains joins nothing", []source.Record{
			company("c1", "name", "Nord Systems GmbH", "domain", "nord.de"),
			company("c2", "name", "Nord Systems Inc.", "domain", "nord.com"),
			company("c3", "name", "Nord Systems"),
		}, [][]string{}, 1},
		{"no-domain records join by name", []source.Record{
			company("c1", "name", "Société Générale SA"),
			company("c2", "name", "societe generale"),
		}, [][]string{{"c1", "c2"}}, 0},
		{"free-mail website is no key", []source.Record{
			company("c1", "name", "Alpha", "website", "https://sites.google.com/alpha"),
			company("c2", "name", "Beta", "website", "https://www.google.com/beta"),
		}, [][]string{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, sliceSource{source.Company: c.comps}, Options{})
			if diff := cmp.Diff(c.want, groups(res.CompanyClusters)); diff != "" {
				t.Errorf("clusters (-want +got):\n%s", diff)
			}
			if len(res.Refused) != c.refused {
				t.Errorf("refused links = %v, want %d", res.Refused, c.refused)
			}
		})
	}
}

func TestDestinationRules(t *testing.T) {
	comps := []source.Record{
		company("c1", "name", "Nord Systems GmbH", "domain", "nord.de"),
		company("c2", "name", "Nord Systems Inc.", "domain", "nord.com"),
		company("c3", "name", "Polar Labs", "domain", "polar.io"),
	}
	people := []source.Record{
		person("p1", "email", "info@nord.de"),
		person("p2", "email", "Ann@Polar.io"),
	}
	dest := &Destination{
		Persons: []DestPerson{{ID: 1, Emails: []string{"info@nord.de"}}, {ID: 2, Emails: []string{"ann@polar.io"}}},
		Organizations: []DestOrg{{ID: 5, Name: "Nord Systems"}, {ID: 6, Name: "Polar Labs", Website: "polar.com"},
			{ID: 7, Name: "Polar", Website: "https://polar.io"}},
	}
	res := run(t, sliceSource{source.Company: comps, source.Person: people}, Options{Destination: dest, Policy: Overwrite})
	want := []DestinationMatch{
		{Kind: source.Company, Survivor: "c1", Members: []string{"c1"}, DestID: 5, On: "name", Key: "nord systems", Policy: Overwrite, Contested: true},
		{Kind: source.Company, Survivor: "c2", Members: []string{"c2"}, DestID: 5, On: "name", Key: "nord systems", Policy: Overwrite, Contested: true},
		{Kind: source.Company, Survivor: "c3", Members: []string{"c3"}, DestID: 7, On: "domain", Key: "polar.io", Policy: Overwrite},
		{Kind: source.Person, Survivor: "p2", Members: []string{"p2"}, DestID: 2, On: "email", Key: "ann@polar.io", Policy: Overwrite},
	}
	if diff := cmp.Diff(want, res.DestinationMatches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
}

func TestSurvivorAndMerge(t *testing.T) {
	people := []source.Record{
		person("p3", "email", "Jane@Acme.com", "first_name", "Jane", "last_name", "Doe",
			"created_at", "2023-05-01T00:00:00Z", "tags", "VIP;east", "title", "CTO"),
		person("p1", "email", "jane@acme.com;jdoe@gmail.com", "first_name", "Jane", "last_name", "Doe",
			"phone", "+1 415 555 0132", "created_at", "2024-01-01T00:00:00Z", "tags", "vip;west",
			"title", "VP", "updated_at", "2025-01-01T00:00:00Z"),
		person("p2", "email", "jane@acme.com", "first_name", "Jane", "last_name", "Doe",
			"created_at", "2022-01-01T00:00:00Z", "updated_at", "2023-01-01T00:00:00Z"),
	}
	res := run(t, sliceSource{source.Person: people}, Options{})
	if len(res.PersonClusters) != 1 {
		t.Fatalf("clusters = %+v, want 1", res.PersonClusters)
	}
	c := res.PersonClusters[0]
	// p1 has 8 fields, p3 7, p2 6: p1 survives, then p3, then p2.
	if diff := cmp.Diff([]string{"p1", "p3", "p2"}, c.Members); diff != "" || c.Survivor != "p1" {
		t.Errorf("survivor %s, members (-want +got):\n%s", c.Survivor, diff)
	}
	want := []MergedField{
		{Field: "created_at", Value: "2022-01-01T00:00:00Z", From: []string{"p2"}},
		{Field: "tags", Value: "vip;west;east", From: []string{"p1", "p3"}},
		{Field: "title", Value: "VP", From: []string{"p1"}, Alternatives: []SourceValue{{ID: "p3", Value: "CTO"}}},
	}
	if diff := cmp.Diff(want, c.Fields); diff != "" {
		t.Errorf("merged fields (-want +got):\n%s", diff)
	}
	merged := map[string]string{"id": "p1", "email": "jane@acme.com;jdoe@gmail.com", "first_name": "Jane",
		"last_name": "Doe", "phone": "+1 415 555 0132", "created_at": "2022-01-01T00:00:00Z",
		"tags": "vip;west;east", "title": "VP", "updated_at": "2025-01-01T00:00:00Z"}
	if diff := cmp.Diff(merged, c.Merged(people[1].Fields)); diff != "" {
		t.Errorf("merged record (-want +got):\n%s", diff)
	}
}

// TestMergeFillsBlanksAndUnions checks a survivor's blanks are filled from the next-best
// member and list items are deduplicated by their normalised key.
func TestMergeFillsBlanksAndUnions(t *testing.T) {
	people := []source.Record{
		person("a", "email", "x@acme.com", "first_name", "Ann", "title", "CEO", "tags", "VIP", "city", "Paris"),
		person("b", "email", "X@Acme.com;ann@gmail.com", "phone", "+33 1 42 68 53 00", "linkedin_url", "linkedin.com/in/ann/", "tags", "vip;Board"),
		person("c", "email", "<x@acme.com>", "phone", "01 42 68 53 00;+33142685300", "country", "FR", "owner", "o1"),
	}
	res := run(t, sliceSource{source.Person: people}, Options{DefaultRegion: "US"})
	if len(res.PersonClusters) != 1 {
		t.Fatalf("clusters: %+v", res.PersonClusters)
	}
	c := res.PersonClusters[0]
	want := []MergedField{
		{Field: "country", Value: "FR", From: []string{"c"}},
		{Field: "email", Value: "x@acme.com;ann@gmail.com", From: []string{"a", "b"}},
		{Field: "linkedin_url", Value: "https://www.linkedin.com/in/ann", From: []string{"b"}},
		{Field: "owner", Value: "o1", From: []string{"c"}},
		{Field: "phone", Value: "+33142685300", From: []string{"b"}},
		{Field: "tags", Value: "VIP;Board", From: []string{"a", "b"}},
	}
	if diff := cmp.Diff(want, c.Fields); diff != "" {
		t.Errorf("survivor %s; merged fields (-want +got):\n%s", c.Survivor, diff)
	}
}

func TestSurvivorTieBreaks(t *testing.T) {
	cases := []struct {
		name   string
		people []source.Record
		want   string
	}{
		{"oldest wins a tie", []source.Record{
			person("a", "email", "x@acme.com", "created_at", "2024-01-01T00:00:00Z"),
			person("b", "email", "x@acme.com", "created_at", "2023-01-01T00:00:00Z"),
		}, "b"},
		{"then the smaller id", []source.Record{
			person("b", "email", "x@acme.com", "created_at", "2023-01-01T00:00:00Z"),
			person("a", "email", "x@acme.com", "created_at", "2023-01-01T00:00:00Z"),
		}, "a"},
		{"a missing date loses", []source.Record{
			person("a", "email", "x@acme.com", "title", "CEO"),
			person("b", "email", "x@acme.com", "created_at", "2023-01-01T00:00:00Z"),
		}, "b"},
	}
	for _, c := range cases {
		res := run(t, sliceSource{source.Person: c.people}, Options{})
		if len(res.PersonClusters) != 1 || res.PersonClusters[0].Survivor != c.want {
			t.Errorf("%s: clusters %+v, want survivor %s", c.name, res.PersonClusters, c.want)
		}
	}
}

func TestNameVariants(t *testing.T) {
	cases := []struct {
		first, last string
		class       string // "" = not flagged
	}{
		{"Jane", "Doe", ""},
		{" Jane ", "Doe", ""},
		{"José", "Pérez", VariantSpelling},
		{"Jon", "Smith", VariantNickname},
		{"Bill", "Walker", VariantNickname},
		{"Janet", "Doe", VariantDifferent},
	}
	base := map[string][2]string{"Jane": {"Jane", "Doe"}, "José": {"Jose", "Perez"},
		"Jon": {"John", "Smith"}, "Bill": {"William", "Walker"}, "Janet": {"Jane", "Doe"}, " Jane ": {"Jane", "Doe"}}
	for _, c := range cases {
		b := base[c.first]
		people := []source.Record{
			person("a", "email", "x@acme.com", "first_name", b[0], "last_name", b[1], "title", "CEO"),
			person("b", "email", "x@acme.com", "first_name", c.first, "last_name", c.last),
		}
		res := run(t, sliceSource{source.Person: people}, Options{})
		got := ""
		if len(res.NameVariants) == 1 {
			got = res.NameVariants[0].Class
			if n := res.NameVariants[0].Names; len(n) != 2 || n[0].ID != "a" {
				t.Errorf("%s %s: names %+v, want survivor a first", c.first, c.last, n)
			}
		}
		if got != c.class || len(res.PersonClusters) != 1 {
			t.Errorf("%q %q vs %v: class %q, want %q (clusters %d: never split)", c.first, c.last, b, got, c.class, len(res.PersonClusters))
		}
	}
}

func TestRunErrors(t *testing.T) {
	src := sliceSource{}
	for _, o := range []Options{{Policy: "merge_all"}, {DefaultRegion: "Atlantis"}} {
		if _, err := Run(t.Context(), src, o); err == nil {
			t.Errorf("Run(%+v) = nil error, want one", o)
		}
	}
}

// changing serves different people on each walk, as if the snapshot changed mid-plan.
type changing struct{ walks int }

func (c *changing) EachRecord(_ context.Context, kind source.Kind, fn func(source.Record) error) error {
	if kind != source.Person {
		return nil
	}
	c.walks++
	ids := []string{"a", "b"}
	if c.walks > 1 {
		ids = []string{"a", "c"}
	}
	for _, id := range ids {
		if err := fn(person(id, "email", "x@acme.com")); err != nil {
			return err
		}
	}
	return nil
}

func TestSnapshotChangedBetweenPasses(t *testing.T) {
	_, err := Run(t.Context(), &changing{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "snapshot changed") {
		t.Fatalf("Run = %v, want a snapshot-changed error", err)
	}
}

func TestDeterministic(t *testing.T) {
	d := genSource{gen.New(gen.Config{People: 600, Seed: 9})}
	a, b := run(t, d, Options{DefaultRegion: "US"}), run(t, d, Options{DefaultRegion: "US"})
	a.Stats.ElapsedMillis, b.Stats.ElapsedMillis = 0, 0
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
}
