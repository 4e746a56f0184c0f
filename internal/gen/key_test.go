package gen

import (
	"net/mail"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/publicsuffix"

	"ferry/internal/source"
)

// normEmail applies the only normalization that makes two spellings the same address.
func normEmail(s string) string {
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err == nil {
		s = a.Address
	}
	return strings.ToLower(s)
}

func normLinkedIn(s string) string {
	s = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "/"))
	for _, p := range []string{"https://", "http://", "www."} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// normDomain reduces a domain spelling to its registrable domain.
func normDomain(t *testing.T, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s, _, _ = strings.Cut(s, "/")
	s, _, _ = strings.Cut(s, ":")
	d, err := publicsuffix.EffectiveTLDPlusOne(s)
	if err != nil {
		t.Errorf("domain %q: %v", s, err)
	}
	return d
}

// e164 resolves a phone as written, using the region the key gives for national formats.
func e164(t *testing.T, raw, region string) string {
	if region == "" {
		region = "ZZ"
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		t.Errorf("phone %q (region %s) is not a valid number: %v", raw, region, err)
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// TestPersonClusters checks the person clusters against the data: members exist, every
// cluster is connected by a shared normalized email, E.164 phone or LinkedIn URL, and no
// such key is shared across clusters (the key never asks for an impossible merge nor hides
// a false one).
func TestPersonClusters(t *testing.T) {
	fx := sharedHarvest(t)
	people := readCSV(t, filepath.Join(fx.dir, "people.csv")).records(source.Person)
	regions := map[string]string{}
	for _, p := range fx.key.Phones {
		regions[p.ID] = p.Region
	}
	cluster := map[string]int{} // person id → cluster number
	for n, c := range fx.key.PersonClusters {
		for _, id := range c {
			if people[id] == nil {
				t.Fatalf("cluster %v names %s, not in people.csv", c, id)
			}
			if _, seen := cluster[id]; seen {
				t.Fatalf("%s is in two clusters", id)
			}
			cluster[id] = n
		}
	}
	next := len(fx.key.PersonClusters)
	for id := range people {
		if _, ok := cluster[id]; !ok {
			cluster[id], next = next, next+1
		}
	}
	if next != fx.key.Distinct.People {
		t.Errorf("%d clusters incl. singletons, key says %d distinct people", next, fx.key.Distinct.People)
	}
	owner := map[string]int{} // dedupe key → cluster
	links := newUnion()
	for id, f := range people {
		var keys []string
		if e := f["email"]; e != "" && !strings.Contains(e, "@@") {
			keys = append(keys, "e:"+normEmail(e))
		}
		if ph := f["phone"]; ph != "" {
			keys = append(keys, "p:"+e164(t, ph, regions[id]))
		}
		if l := f["linkedin_url"]; l != "" {
			keys = append(keys, "l:"+normLinkedIn(l))
		}
		for _, k := range keys {
			if c, ok := owner[k]; ok && c != cluster[id] {
				t.Errorf("key %s shared by clusters %d and %d", k, c, cluster[id])
			}
			owner[k] = cluster[id]
			links.join(k, id)
		}
	}
	for _, c := range fx.key.PersonClusters {
		for _, id := range c[1:] {
			if links.find(id) != links.find(c[0]) {
				t.Errorf("cluster %v: %s shares no email, phone or LinkedIn with %s", c, id, c[0])
			}
		}
	}
}

type union map[string]string

func newUnion() union { return union{} }

func (u union) find(x string) string {
	for u[x] != "" && u[x] != x {
		x = u[x]
	}
	return x
}

func (u union) join(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[ra] = rb
	}
}

// TestCompanyClusters checks that each company cluster shares one registrable domain and
// that no domain spans two clusters.
func TestCompanyClusters(t *testing.T) {
	fx := sharedHarvest(t)
	companies := readCSV(t, filepath.Join(fx.dir, "companies.csv")).records(source.Company)
	org := map[string]int{}
	for n, c := range fx.key.CompanyClusters {
		for _, id := range c {
			if companies[id] == nil {
				t.Fatalf("cluster %v names %s, not in companies.csv", c, id)
			}
			org[id] = n
		}
	}
	next := len(fx.key.CompanyClusters)
	byDomain := map[string]int{}
	for id, f := range companies {
		if _, ok := org[id]; !ok {
			org[id], next = next, next+1
		}
		if f["domain"] == "" {
			continue
		}
		dom := normDomain(t, f["domain"])
		if c, ok := byDomain[dom]; ok && c != org[id] {
			t.Errorf("domain %s in two organizations", dom)
		}
		byDomain[dom] = org[id]
	}
	if next != fx.key.Distinct.Organizations {
		t.Errorf("%d organizations from clusters, key says %d", next, fx.key.Distinct.Organizations)
	}
}

func TestPhonesResolveWithKeyRegion(t *testing.T) {
	fx := sharedHarvest(t)
	if len(fx.key.Phones) == 0 {
		t.Fatal("no national-format phones in the key")
	}
	regions := map[string]bool{}
	for _, p := range fx.key.Phones {
		if got := e164(t, p.Raw, p.Region); got != p.E164 {
			t.Errorf("%s: %q with %s resolves to %s, key says %s", p.ID, p.Raw, p.Region, got, p.E164)
		}
		regions[p.Region] = true
	}
	if len(regions) < 5 {
		t.Errorf("national phones from only %d regions: %v", len(regions), regions)
	}
	for _, p := range fx.key.Phones {
		if p.Region == "US" || p.Region == "CA" {
			if got := e164(t, p.Raw, fx.key.DefaultRegion); got != p.E164 {
				t.Errorf("%s: %q does not resolve with the default region", p.ID, p.Raw)
			}
		}
	}
}

func TestNameVariantsDiffer(t *testing.T) {
	fx := sharedHarvest(t)
	if len(fx.key.NameVariants) == 0 {
		t.Fatal("no name variants")
	}
	inCluster := map[string]string{}
	for _, c := range fx.key.PersonClusters {
		for _, id := range c {
			inCluster[id] = c[0]
		}
	}
	for _, v := range fx.key.NameVariants {
		if v.AName == v.BName || inCluster[v.A] == "" || inCluster[v.A] != inCluster[v.B] {
			t.Errorf("bad name variant %+v", v)
		}
	}
}

func TestClustersFileMatchesInlineKey(t *testing.T) {
	fx := sharedHarvest(t)
	var people, companies, variants, phones int
	for _, l := range readClusterLines(t, filepath.Join(fx.dir, ClustersFile)) {
		switch l.Type {
		case "person_cluster":
			people++
		case "company_cluster":
			companies++
		case "name_variant":
			variants++
		case "phone":
			phones++
		default:
			t.Errorf("unknown line type %q", l.Type)
		}
	}
	k := fx.key
	got := []int{people, companies, variants, phones}
	want := []int{len(k.PersonClusters), len(k.CompanyClusters), len(k.NameVariants), len(k.Phones)}
	for i := range got {
		if got[i] != want[i] || got[i] == 0 {
			t.Errorf("clusters file counts %v, inline key %v (none may be zero)", got, want)
			break
		}
	}
}
