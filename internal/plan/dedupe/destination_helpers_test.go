package dedupe

import (
	"testing"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

func normalizeName(s string) string { return normalize.CompanyName(s) }

// firstWith returns the first cluster ok accepts.
func firstWith(t *testing.T, cs []Cluster, ok func(Cluster) bool) Cluster {
	t.Helper()
	for _, c := range cs {
		if ok(c) {
			return c
		}
	}
	t.Fatal("no cluster fits")
	return Cluster{}
}

// allRecords returns the fields of every person and company by id.
func allRecords(t *testing.T, src Records) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, k := range []source.Kind{source.Company, source.Person} {
		err := src.EachRecord(t.Context(), k, func(r source.Record) error {
			out[r.ID] = r.Fields
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// comps maps company ids to their registrable domain.
func comps(t *testing.T, src Records) map[string]string {
	out := map[string]string{}
	err := src.EachRecord(t.Context(), source.Company, func(r source.Record) error {
		if d, ok := normalize.Domain(r.Fields["domain"]); ok {
			out[r.ID] = d
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// clustered returns the ids of every clustered record.
func clustered(cs []Cluster) map[string]bool {
	m := map[string]bool{}
	for _, c := range cs {
		for _, id := range c.Members {
			m[id] = true
		}
	}
	return m
}

// singlePerson returns an unclustered person with a valid personal address.
func singlePerson(t *testing.T, src Records, res *Result) (string, string) {
	in := clustered(res.PersonClusters)
	var id, email string
	err := src.EachRecord(t.Context(), source.Person, func(r source.Record) error {
		e, ok := normalize.Email(r.Fields["email"])
		if id == "" && !in[r.ID] && ok && !normalize.IsGenericEmail(e) {
			id, email = r.ID, e
		}
		return nil
	})
	if err != nil || id == "" {
		t.Fatalf("no single person with an email (err %v)", err)
	}
	return id, email
}

// companyWithout returns an unclustered company without domain or website.
func companyWithout(t *testing.T, src Records, res *Result) source.Record {
	in := clustered(res.CompanyClusters)
	var found source.Record
	err := src.EachRecord(t.Context(), source.Company, func(r source.Record) error {
		if found.ID == "" && !in[r.ID] && r.Fields["domain"] == "" && r.Fields["website"] == "" {
			found = r
		}
		return nil
	})
	if err != nil || found.ID == "" {
		t.Fatalf("no company without a domain (err %v)", err)
	}
	return found
}
