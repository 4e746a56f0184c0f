package profile

import (
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in, locale string
		amount     float64
		cur        string
		ok         bool
	}{
		{"$1,200.50", LocaleUS, 1200.5, "USD", true},
		{"1.200,50 €", LocaleEU, 1200.5, "EUR", true},
		{"€1.200,50", LocaleEU, 1200.5, "EUR", true},
		{"EUR 300", "", 300, "EUR", true},
		{"300 GBP", "", 300, "GBP", true},
		{"-$5.00", LocaleUS, 0, "", false},
		{"1,200.50", LocaleUS, 0, "", false}, // no currency: a number, not money
		{"$1,20.50", LocaleUS, 0, "USD", false},
		{"$", LocaleUS, 0, "", false},
		{"", "", 0, "", false},
	}
	for _, tt := range tests {
		a, c, ok := ParseMoney(tt.in, tt.locale)
		if ok != tt.ok || (ok && (a != tt.amount || c != tt.cur)) {
			t.Errorf("ParseMoney(%q, %q) = %v, %q, %v; want %v, %q, %v", tt.in, tt.locale, a, c, ok, tt.amount, tt.cur, tt.ok)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in, locale string
		want       float64
		ok         bool
	}{
		{"26", "", 26, true}, {"-3.5", "", -3.5, true}, {"1,234,567.8", LocaleUS, 1234567.8, true},
		{"1.234.567,8", LocaleEU, 1234567.8, true}, {"1.234.567,8", "", 1234567.8, true},
		{"12,5", "", 12.5, true}, {"1,200", "", 1200, true}, {"1e5", "", 0, false},
		{"NaN", "", 0, false}, {"12a", "", 0, false}, {"1,2,3", LocaleUS, 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseNumber(tt.in, tt.locale)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseNumber(%q, %q) = %v, %v; want %v, %v", tt.in, tt.locale, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseBoolAndDate(t *testing.T) {
	for in, want := range map[string]bool{"Yes": true, "no": false, "TRUE": true, "n": false} {
		if got, ok := ParseBool(in); !ok || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseBool("maybe"); ok {
		t.Error("ParseBool(maybe) accepted")
	}
	if d, ok := ParseDate("12/31/2027", "01/02/2006"); !ok || d.Format("2006-01-02") != "2027-12-31" {
		t.Errorf("ParseDate US = %v, %v", d, ok)
	}
	if _, ok := ParseDate("31/02/2024 25:61", "2006-01-02T15:04:05Z07:00"); ok {
		t.Error("an impossible date parsed")
	}
}

// TestDetect checks the detected type of small hand-made columns.
func TestDetect(t *testing.T) {
	tests := []struct {
		header string
		values []string
		want   Type
		layout string
	}{
		{"custom.Contact", []string{"a@x.com", "b@y.org", "c@z.net"}, TypeEmail, ""},
		{"custom.When", []string{"31/01/2024", "01/02/2024", "15/03/2024"}, TypeDate, "02/01/2006"},
		{"custom.When", []string{"01/31/2024", "02/01/2024"}, TypeDate, "01/02/2006"},
		{"custom.At", []string{"2024-01-02T03:04:05Z", "2024-02-03T04:05:06+01:00"}, TypeDateTime, ""},
		{"custom.Site", []string{"acme.com", "globex.de", "https://initech.com/x"}, TypeDomain, ""},
		{"custom.Flag", []string{"yes", "no", "Yes", "no"}, TypeBoolean, ""},
		{"custom.Body", []string{"<p>hi</p>", "plain", "<b>x</b>"}, TypeHTML, ""},
		{"custom.Size", []string{"S", "M", "L", "M", "S", "L", "M", "S", "L"}, TypeEnum, ""},
		{"custom.Name", []string{"Ace", "Doc", "Ace", "Doc", "Ace", "Doc"}, TypeText, ""},
		{"custom.Langs", []string{"Go;Rust", "Go", "Rust;Python", "Python;Go"}, TypeSet, ""},
		{"custom.Ref", []string{"per_abc1234", "per_def5678"}, TypeID, ""},
		{"custom.Mobile", []string{"+49 30 1234567", "(415) 555-0100", "030/8091535"}, TypePhone, ""},
		{"custom.Empty", nil, TypeEmpty, ""},
	}
	for _, tt := range tests {
		pr := NewProfiler()
		pr.Add(emptyPerson(tt.header))
		for i, v := range tt.values {
			pr.Add(recordWith(i, tt.header, v))
		}
		o, _ := pr.Profile().Object("person")
		f, _ := o.Field(tt.header)
		if f.Type != tt.want || (tt.layout != "" && f.Layout != tt.layout) {
			t.Errorf("%s %q: type %s layout %q, want %s %q", tt.header, tt.values, f.Type, f.Layout, tt.want, tt.layout)
		}
	}
}
