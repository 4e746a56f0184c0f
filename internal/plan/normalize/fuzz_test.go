package normalize

import (
	"testing"
	"unicode/utf8"
)

// fixedPoint fails when norm is not idempotent on an accepted input.
func fixedPoint(t *testing.T, name, in string, fn func(string) (string, bool)) {
	out, ok := fn(in)
	if !ok {
		if out != "" {
			t.Fatalf("%s(%q) rejected but returned %q", name, in, out)
		}
		return
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q: invalid UTF-8", name, in, out)
	}
	again, ok := fn(out)
	if !ok || again != out {
		t.Fatalf("%s not idempotent: %q → %q → %q, %v", name, in, out, again, ok)
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{`"Jane Doe" <JANE@Acme.com>`, "mailto:a@b.co?x", "a@@b.com",
		"jürgen@müller.de", "x@y.z.", "<a@b.c", "a@b.c>,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fixedPoint(t, "Email", s, Email)
		// EmailDomain's output is a registrable domain: Domain keeps it as it is.
		if d, ok := EmailDomain(s); ok {
			if again, ok := Domain(d); !ok || again != d {
				t.Fatalf("Domain(EmailDomain(%q)) = %q, %v; want %q", s, again, ok, d)
			}
		}
		if e, ok := Email(s); ok {
			IsGenericEmail(e)
		}
	})
}

func FuzzDomain(f *testing.F) {
	for _, s := range []string{"https://WWW.Acme.co.uk:8080/about", "müller.de", "co.uk",
		"http://[::1]:80/", "a.b.c.d.e.com", "//x.io"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fixedPoint(t, "Domain", s, Domain) })
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"(415) 555-0132", "0049 30 1234567", "+44 (0)20 7946 0018",
		"+1 415 555 0132 x204", "tel:+33142685300"} {
		f.Add(s, "US")
		f.Add(s, "DE")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		fixedPoint(t, "Phone", s, func(x string) (string, bool) { return Phone(x, region) })
		// An E.164 output resolves to itself whatever the region.
		if e, ok := Phone(s, region); ok {
			if again, ok := Phone(e, "ZZ"); !ok || again != e {
				t.Fatalf("Phone(%q, ZZ) = %q, %v; want %q", e, again, ok, e)
			}
		}
		fixedPoint(t, "Region", region, Region)
	})
}

func FuzzLinkedIn(f *testing.F) {
	for _, s := range []string{"https://uk.linkedin.com/in/Jane-Doe/?trk=x", "linkedin.com/in/j%C3%BCrgen",
		"https://www.linkedin.com/company/acme", "http://linkedin.com/in/a/b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fixedPoint(t, "LinkedIn", s, LinkedIn) })
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"Jürgen", "O'Brien-Smith", "ﬁona", "太郎", "İstanbul", "ǅ"} {
		f.Add(s, "Doe")
	}
	f.Fuzz(func(t *testing.T, first, last string) {
		n := Name(first, last)
		if again := Name(n, ""); again != n {
			t.Fatalf("Name not idempotent: %q %q → %q → %q", first, last, n, again)
		}
		k := NameKey(first, last)
		if again := NameKey(k, ""); again != k {
			t.Fatalf("NameKey not idempotent: %q %q → %q → %q", first, last, k, again)
		}
		c := CompanyName(first + " " + last)
		if again := CompanyName(c); again != c {
			t.Fatalf("CompanyName not idempotent: %q → %q → %q", first+" "+last, c, again)
		}
	})
}

func FuzzCompanyName(f *testing.F) {
	for _, s := range []string{"Müller Bau GmbH & Co. KG", "株式会社東京 商事", "Acme, Inc.", "Co Inc", "S.A. de C.V."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CompanyName(s)
		if again := CompanyName(c); again != c {
			t.Fatalf("CompanyName not idempotent: %q → %q → %q", s, c, again)
		}
	})
}
