package migrate

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

// TestRefKeyForms: every spelling exports use for one reference comes down to one key.
func TestRefKeyForms(t *testing.T) {
	cases := []struct {
		kind  source.Kind
		by    string
		forms []string
		want  string
	}{
		{source.Person, ByEmail, []string{"olivia.hart@northwind-traders.com", "Olivia.Hart@Northwind-Traders.COM",
			`"Olivia Hart" <olivia.hart@northwind-traders.com>`, "Olivia Hart <OLIVIA.HART@northwind-traders.com>",
			"mailto:olivia.hart@northwind-traders.com", "MAILTO:olivia.hart@northwind-traders.com?subject=Hi",
			"  olivia.hart@northwind-traders.com  ", "olivia.hart@northwind-traders.com.", "\tolivia.hart@northwind-traders.com;"},
			"olivia.hart@northwind-traders.com"},
		{source.Company, ByDomain, []string{"acme.co.uk", "ACME.CO.UK.", "www.acme.co.uk", "https://www.eu.acme.co.uk/about?x=1",
			"http://shop.acme.co.uk:8080", "//acme.co.uk", "mailto:sales@acme.co.uk"}, "acme.co.uk"},
		{source.Company, ByDomain, []string{"northwind-traders.com", "https://northwind-traders.com/", "app.northwind-traders.com"}, "northwind-traders.com"},
		{source.Company, ByName, []string{"Müller & Söhne GmbH", "MÜLLER & SÖHNE", "Muller & Sohne", "Müller & Söhne GmbH & Co. KG", " müller  &  söhne  gmbh "}, "muller sohne"},
		{source.Company, ByName, []string{"Bäckerei Groß KG", "Backerei Gross", "BÄCKEREI GROSS"}, "backerei gross"},
		{source.Company, ByName, []string{"Sable & Finch LLP", "Sable & Finch", "sable & finch llp"}, "sable finch"},
		{source.Company, ByName, []string{"Acme, Inc.", "ACME Inc", "Acme"}, "acme"},
		{source.Company, ByName, []string{"Elbtal Logistik AG", "Elbtal Logistik"}, "elbtal logistik"},
		{source.Person, ByName, []string{"Sofía Marín", "sofia marin", "SOFIA  MARIN"}, "sofia marin"},
	}
	for _, c := range cases {
		for _, f := range c.forms {
			got, ok := RefKey(c.kind, c.by, f)
			if !ok || got != c.want {
				t.Errorf("RefKey(%s, %s, %q) = %q, %v; want %q", c.kind, c.by, f, got, ok, c.want)
			}
		}
	}
	for _, bad := range []struct {
		kind      source.Kind
		by, value string
	}{{source.Person, ByEmail, "olivia hart"}, {source.Person, ByEmail, ""}, {source.Company, ByDomain, "co.uk"},
		{source.Company, ByDomain, "not a domain"}, {source.Company, ByName, "  "}, {source.Company, "phone", "x"}} {
		if got, ok := RefKey(bad.kind, bad.by, bad.value); ok {
			t.Errorf("RefKey(%s, %s, %q) = %q, want no key", bad.kind, bad.by, bad.value, got)
		}
	}
}

// TestRefIndexResolves: references resolve to the record that carries them; duplicates that
// dedupe merged are one record (the survivor's cluster); records that merely share a key are
// ambiguous; an unknown value is an error naming it.
func TestRefIndexResolves(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := []source.Record{
		{Kind: source.Person, ID: "51001", Fields: map[string]string{"first_name": "Dana", "last_name": "Whitfield", "email": "dana.whitfield@harborline.com"}},
		{Kind: source.Person, ID: "51011", Fields: map[string]string{"first_name": "Dana", "last_name": "Whitfield", "email": "Dana.Whitfield@harborline.com;dana@harborline.com"}},
		{Kind: source.Person, ID: "p3", Fields: map[string]string{"first_name": "Info", "last_name": "A", "email": "info@shared-inbox.com"}},
		{Kind: source.Person, ID: "p4", Fields: map[string]string{"first_name": "Info", "last_name": "B", "email": "INFO@shared-inbox.com"}},
		{Kind: source.Company, ID: "3001", Fields: map[string]string{"name": "Harborline Logistics Inc.", "domain": "harborline.com"}},
		{Kind: source.Company, ID: "3007", Fields: map[string]string{"name": "Harborline Logistics", "website": "https://www.harborline.com"}},
		{Kind: source.Company, ID: "c3", Fields: map[string]string{"name": "Twin A", "domain": "twins-shop.com"}},
		{Kind: source.Company, ID: "c4", Fields: map[string]string{"name": "Twin B", "website": "http://b.twins-shop.com"}},
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	survivor := map[string]string{"51011": "51001", "3007": "3001"}
	root := func(id string) string {
		if s := survivor[id]; s != "" {
			return s
		}
		return id
	}
	cases := []struct {
		kind      source.Kind
		by, value string
		want      []string // acceptable ids (any member of the merged cluster)
		err       string
	}{
		{source.Person, ByEmail, `"Dana" <DANA.WHITFIELD@harborline.com>`, []string{"51001", "51011"}, ""},
		{source.Person, ByEmail, "mailto:dana@harborline.com", []string{"51011"}, ""},
		{source.Person, ByEmail, "info@shared-inbox.com", nil, "several person records"},
		{source.Person, ByEmail, "nobody@harborline.com", nil, `no person with email "nobody@harborline.com"`},
		{source.Person, ByEmail, "not-an-email", nil, `"not-an-email" is not a person email`},
		{source.Company, ByName, "HARBORLINE LOGISTICS", []string{"3001", "3007"}, ""},
		{source.Company, ByDomain, "https://portal.harborline.com/login", []string{"3001", "3007"}, ""},
		{source.Company, ByDomain, "twins-shop.com", nil, "several company records"},
		{source.Company, ByName, "Fjord Analytics", nil, `no company with name "Fjord Analytics"`},
		{source.Person, ByName, "dana whitfield", []string{"51001", "51011"}, ""},
	}
	for _, c := range cases {
		ix, err := BuildRefIndex(ctx, st, c.kind, c.by, root)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ResolveRef(ix, c.kind, c.by, c.value)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s by %s %q: error %v, want one containing %q", c.kind, c.by, c.value, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s by %s %q: %v", c.kind, c.by, c.value, err)
		case c.err == "" && !slices.Contains(c.want, got):
			t.Errorf("%s by %s %q = %q, want one of %v", c.kind, c.by, c.value, got, c.want)
		}
	}
}

// FuzzRefKey: any reference value gives a key or none without panicking, and a key is its
// own key (so an index built from keys and a lookup by a raw value agree).
func FuzzRefKey(f *testing.F) {
	for _, s := range []string{"\"A\" <a@b.com>", "mailto:x@y.co.uk.", "https://www.eu.acme.co.uk/x", "Müller & Söhne GmbH", "", "@", "<>", "a@b@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, c := range []struct {
			kind source.Kind
			by   string
		}{{source.Person, ByEmail}, {source.Company, ByDomain}, {source.Company, ByName}, {source.Person, ByName}} {
			k, ok := RefKey(c.kind, c.by, v)
			if !ok {
				continue
			}
			if k2, ok2 := RefKey(c.kind, c.by, k); !ok2 || k2 != k {
				t.Errorf("RefKey(%s, %s, %q) = %q, but its key gives %q, %v", c.kind, c.by, v, k, k2, ok2)
			}
		}
	})
}
