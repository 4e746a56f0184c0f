package profile

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestParseDateForms reads every date form exports use with its layout.
func TestParseDateForms(t *testing.T) {
	tests := []struct {
		in, layout, want string // want in RFC 3339 UTC; "" means refused
	}{
		{"2024-02-05T09:30:00+01:00", time.RFC3339, "2024-02-05T08:30:00Z"},
		{"2024-02-05T09:30:00.250-05:00", time.RFC3339, "2024-02-05T14:30:00Z"},
		{"2024-03-05 14:30", "2006-01-02 15:04", "2024-03-05T14:30:00Z"},
		{"31.01.2024 09:15", "02.01.2006 15:04", "2024-01-31T09:15:00Z"},
		{"31.01.2024", "02.01.2006", "2024-01-31T00:00:00Z"},
		{"31/01/2024", "02/01/2006", "2024-01-31T00:00:00Z"},
		{"01/31/2024", "01/02/2006", "2024-01-31T00:00:00Z"},
		{"31/01/2024", "01/02/2006", ""},
		{"1707121800000", LayoutUnixMs, "2024-02-05T08:30:00Z"},
		{"1707121800", LayoutUnix, "2024-02-05T08:30:00Z"},
		{"4155550100", LayoutUnix, ""},     // a US phone number is after 2100
		{"170712180000", LayoutUnixMs, ""}, // twelve digits
		{"-707121800", LayoutUnix, ""},
		{"+707121800", LayoutUnix, ""},
		{"someday", "2006-01-02", ""},
		{"", time.RFC3339, ""},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in, tt.layout)
		s := ""
		if ok {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want {
			t.Errorf("ParseDate(%q, %q) = %q, want %q", tt.in, tt.layout, s, tt.want)
		}
	}
}

// TestParseMoneyForms reads amounts with symbols or codes before or after and every grouping.
func TestParseMoneyForms(t *testing.T) {
	tests := []struct {
		in, locale string
		amount     float64
		cur        string
		ok         bool
	}{
		{"1.234,56 €", "", 1234.56, "EUR", true},
		{"2.450.000,00 €", "", 2450000, "EUR", true},
		{"2.450.000,00\u00a0€", "", 2450000, "EUR", true},
		{"€ 1.234,56", LocaleEU, 1234.56, "EUR", true},
		{"1 234,56 €", "", 1234.56, "EUR", true},
		{"1\u00a0234\u00a0567,8 EUR", "", 1234567.8, "EUR", true},
		{"1\u202f234,50 €", "", 1234.5, "EUR", true},
		{"CHF 1'250.50", "", 1250.5, "CHF", true},
		{"1’250.- CHF", "", 1250, "CHF", true},
		{"1.500,- €", LocaleEU, 1500, "EUR", true},
		{"1.500,-€", LocaleEU, 1500, "EUR", true},
		{"$12,500.00", "", 12500, "USD", true},
		{"USD12,500", LocaleUS, 12500, "USD", true},
		{"12500 USD", "", 12500, "USD", true},
		{"12500USD", "", 12500, "USD", true},
		{"£99", "", 99, "GBP", true},
		{"1 23,5 €", "", 0, "EUR", false}, // a group of two digits
		{"1  234 €", "", 0, "EUR", false}, // doubled mark
		{"12,500.00", LocaleUS, 0, "", false},
		{"$12,500.00", LocaleEU, 12500, "USD", true}, // its own marks, not the column's locale
		{"1.234,56 €", LocaleUS, 1234.56, "EUR", true},
	}
	for _, tt := range tests {
		a, c, ok := ParseMoney(tt.in, tt.locale)
		if ok != tt.ok || c != tt.cur || (ok && a != tt.amount) {
			t.Errorf("ParseMoney(%q, %q) = %v, %q, %v; want %v, %q, %v", tt.in, tt.locale, a, c, ok, tt.amount, tt.cur, tt.ok)
		}
	}
}

// TestParseNumericForms reads plain numbers and percentages.
func TestParseNumericForms(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"45%", 45, true}, {"12,5 %", 12.5, true}, {"-3.5%", -3.5, true}, {"100%", 100, true},
		{"12,500.00", 12500, true}, {"1 250", 1250, true}, {"1'250.75", 1250.75, true},
		{"1.234,-", 1234, true}, {"%", 0, false}, {"45%%", 0, false}, {"11-50", 0, false},
		{"51-200", 0, false}, {"1,2,3", 0, false}, {"1 2", 0, false}, {"0x10", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseNumeric(tt.in, "")
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseNumeric(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestParseBoolLanguages reads yes/no in the languages exports use.
func TestParseBoolLanguages(t *testing.T) {
	yes := []string{"yes", "Ja", "oui", "Sí", "si", "TRUE", "wahr", "vrai", "1", "x", "X", "✓", "j", "sim"}
	no := []string{"no", "Nein", "non", "FALSE", "falsch", "faux", "0", "n", "nee", "não"}
	for _, s := range yes {
		if v, ok := ParseBool(s); !ok || !v {
			t.Errorf("ParseBool(%q) = %v, %v; want true", s, v, ok)
		}
	}
	for _, s := range no {
		if v, ok := ParseBool(s); !ok || v {
			t.Errorf("ParseBool(%q) = %v, %v; want false", s, v, ok)
		}
	}
	for _, s := range []string{"maybe", "", "-", "jein", "yes please"} {
		if _, ok := ParseBool(s); ok {
			t.Errorf("ParseBool(%q) accepted", s)
		}
	}
}

// TestSplitList splits multi-select values at ;, | or ,.
func TestSplitList(t *testing.T) {
	tests := []struct {
		in, sep string
		want    []string
	}{
		{"CRM;Analytics", ";", []string{"CRM", "Analytics"}},
		{"VIP, Newsletter", ",", []string{"VIP", "Newsletter"}},
		{"a | b ||c", "|", []string{"a", "b", "c"}},
		{"a;b", "", []string{"a", "b"}},
		{" ", ",", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, SplitList(tt.in, tt.sep)); diff != "" {
			t.Errorf("SplitList(%q, %q) (-want +got):\n%s", tt.in, tt.sep, diff)
		}
	}
}

// TestParseDurationForms reads minutes, h:mm, mm:ss and h:mm:ss.
func TestParseDurationForms(t *testing.T) {
	tests := []struct {
		in, form string
		want     time.Duration
		ok       bool
	}{
		{"45", DurMinutes, 45 * time.Minute, true},
		{"90", "", 90 * time.Minute, true},
		{"1,5", "", 90 * time.Second, true},
		{"1:30", DurHM, 90 * time.Minute, true},
		{"04:30", DurMS, 4*time.Minute + 30*time.Second, true},
		{"1:02:03", "", time.Hour + 2*time.Minute + 3*time.Second, true},
		{"1:02:03", DurHMS, time.Hour + 2*time.Minute + 3*time.Second, true},
		{"1:60", DurHM, 0, false},
		{"1:5", DurHM, 0, false},
		{"-5", DurMinutes, 0, false},
		{"99999", DurMinutes, 0, false},
		{"1:30", "fortnights", 0, false},
		{"a:bc", DurMS, 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseDuration(tt.in, tt.form)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseDuration(%q, %q) = %v, %v; want %v, %v", tt.in, tt.form, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseDate: no layout panics, and what parses lies between 0001 and 9999 (epochs: 2000–2100).
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-02-05T09:30:00+01:00", "31.01.2024 09:15", "1707121800000", "1707121800",
		"01/31/2024", "2024-03-05 14:30", "Jan 2, 2024", "99999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range DateLayouts {
			d, ok := ParseDate(s, l)
			if ok && (l == LayoutUnix || l == LayoutUnixMs) && (d.Year() < 2000 || d.Year() > 2100) {
				t.Fatalf("ParseDate(%q, %q) = %v", s, l, d)
			}
		}
	})
}

// FuzzParseNumeric: numbers, money and percentages are finite, and a grouped number parses
// the same with or without its groups.
func FuzzParseNumeric(f *testing.F) {
	for _, s := range []string{"1.234,56 €", "CHF 1'250.-", "1\u00a0234,5", "45%", "12,500.00", "1.500,-", "$", "-,-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, loc := range []string{"", LocaleUS, LocaleEU} {
			if n, ok := ParseNumeric(s, loc); ok && (math.IsNaN(n) || math.IsInf(n, 0)) {
				t.Fatalf("ParseNumeric(%q, %q) = %v", s, loc, n)
			}
			if n, _, ok := ParseMoney(s, loc); ok && (math.IsNaN(n) || math.IsInf(n, 0)) {
				t.Fatalf("ParseMoney(%q, %q) = %v", s, loc, n)
			}
		}
	})
}

// FuzzParseBoolListDuration: no panic; durations stay within a week, list items are trimmed
// and non-empty.
func FuzzParseBoolListDuration(f *testing.F) {
	for _, s := range []string{"Ja", "1:30", "04:30", "1:02:03", "CRM;Analytics", "a|b", "x, y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseBool(s)
		for _, form := range []string{"", DurMinutes, DurHM, DurMS, DurHMS} {
			if d, ok := ParseDuration(s, form); ok && (d < 0 || d > maxDuration) {
				t.Fatalf("ParseDuration(%q, %q) = %v", s, form, d)
			}
		}
		for _, sep := range []string{"", ";", "|", ","} {
			for _, it := range SplitList(s, sep) {
				if it == "" || it != trimmed(it) {
					t.Fatalf("SplitList(%q, %q) item %q", s, sep, it)
				}
			}
		}
	})
}

func trimmed(s string) string { return strings.TrimSpace(s) }
