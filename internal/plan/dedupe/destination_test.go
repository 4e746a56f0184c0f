package dedupe

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

const sbToken = "dedupe-test-token"

// newPipedrive starts the sandbox and returns a client for it.
func newPipedrive(t *testing.T) (*pipedrive.Client, *sandbox.Server) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Token: sbToken, Seed: 1})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: srv.URL, Token: sbToken})
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

func create(t *testing.T, c *pipedrive.Client, k pipedrive.Kind, body pipedrive.Entity) int64 {
	t.Helper()
	e, err := c.Create(t.Context(), k, body)
	if err != nil {
		t.Fatalf("create %s %v: %v", k, body, err)
	}
	return e.ID()
}

func emails(vs ...string) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = map[string]any{"value": v}
	}
	return out
}

// TestDestinationMatches seeds Pipedrive with records that match generated clusters and
// checks the proposals: persons by email (a cluster, a single record, an ambiguous one),
// organizations by domain and by name, and a same-name organization with another domain
// that must not match.
func TestDestinationMatches(t *testing.T) {
	src := genSource{gen.New(gen.Config{People: 400, Seed: 5})}
	plain := run(t, src, Options{DefaultRegion: "US"})
	all := allRecords(t, src)
	fieldOf := func(c Cluster, f string) string { return c.Merged(all[c.Survivor])[f] }
	pc := firstWith(t, plain.PersonClusters, func(c Cluster) bool { return fieldOf(c, "email") != "" })
	email, _ := normalize.Email(source.List(fieldOf(pc, "email"))[0])
	cc := firstWith(t, plain.CompanyClusters, func(c Cluster) bool { return fieldOf(c, "domain") != "" })
	dom := comps(t, src)[cc.Survivor]
	single, singleEmail := singlePerson(t, src, plain)
	noDom := companyWithout(t, src, plain)

	c, sb := newPipedrive(t)
	pPerson := create(t, c, pipedrive.Persons, pipedrive.Entity{"name": "Existing", "emails": emails(strings.ToUpper(email))})
	pSingle1 := create(t, c, pipedrive.Persons, pipedrive.Entity{"name": "S1", "emails": emails("Someone <" + singleEmail + ">")})
	pSingle2 := create(t, c, pipedrive.Persons, pipedrive.Entity{"name": "S2", "emails": emails("x@nowhere.io", singleEmail)})
	create(t, c, pipedrive.Persons, pipedrive.Entity{"name": "Unrelated", "emails": emails("nobody@nowhere.io")})
	oDomain := create(t, c, pipedrive.Organizations, pipedrive.Entity{"name": "Whatever Name", "website": "https://www." + dom + "/about"})
	oName := create(t, c, pipedrive.Organizations, pipedrive.Entity{"name": noDom.Fields["name"] + ", Inc."})
	// Same name as another cluster, but another domain: must not match it.
	other := firstWith(t, plain.CompanyClusters, func(c Cluster) bool {
		return c.Survivor != cc.Survivor && fieldOf(c, "domain") != ""
	})
	create(t, c, pipedrive.Organizations, pipedrive.Entity{"name": fieldOf(other, "name"), "website": "https://elsewhere-entirely.com"})

	before := sb.Stats().Requests
	dest, err := LoadDestination(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if n := sb.Stats().Requests - before; n != 2 {
		t.Errorf("LoadDestination made %d requests, want 2 (one list page each)", n)
	}
	res := run(t, src, Options{DefaultRegion: "US", Policy: Overwrite, Destination: dest})
	got := map[string]DestinationMatch{}
	for _, m := range res.DestinationMatches {
		got[m.Survivor] = m
	}
	want := map[string]DestinationMatch{
		pc.Survivor: {Kind: source.Person, Survivor: pc.Survivor, Members: pc.Members, DestID: pPerson, On: "email", Key: email, Policy: Overwrite},
		single: {Kind: source.Person, Survivor: single, Members: []string{single}, Candidates: []int64{pSingle1, pSingle2},
			On: "email", Key: singleEmail, Policy: Overwrite},
		cc.Survivor: {Kind: source.Company, Survivor: cc.Survivor, Members: cc.Members, DestID: oDomain, On: "domain", Key: dom, Policy: Overwrite},
		noDom.ID: {Kind: source.Company, Survivor: noDom.ID, Members: []string{noDom.ID}, DestID: oName, On: "name",
			Key: normalizeName(noDom.Fields["name"]), Policy: Overwrite},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("destination matches (-want +got):\n%s", diff)
	}
	if res.Stats.PersonDestMatches != 2 || res.Stats.OrgDestMatches != 2 {
		t.Errorf("stats: %d person and %d org matches, want 2 and 2", res.Stats.PersonDestMatches, res.Stats.OrgDestMatches)
	}
}
