package profile

import (
	"math"
	"testing"
)

// FuzzValues feeds arbitrary cell values to the classifier and the value parsers: none may
// panic, and parsed numbers are finite.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"$1,200.50", "1.200,50 €", "12/31/2027", "2024-01-02T03:04:05Z", "+1 415 555 0100",
		"a@b.co", "yes", "per_abc1234;per_def5678", "<p>x</p>", "EUR 3", "-", "€", "1,2,3",
		"11-50", "1000+", "45%", "1707121800000", "31.01.2024 09:15", "CHF 1'250.-", "Golf|Tennis", "1:30", "DE", "Ja"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			return
		}
		_ = classify(v)
		dateLayoutsOf(v, func(int) {})
		for _, loc := range []string{"", LocaleUS, LocaleEU} {
			if n, ok := ParseNumber(v, loc); ok && (math.IsNaN(n) || math.IsInf(n, 0)) {
				t.Fatalf("ParseNumber(%q, %q) = %v", v, loc, n)
			}
			if n, _, ok := ParseMoney(v, loc); ok && (math.IsNaN(n) || math.IsInf(n, 0)) {
				t.Fatalf("ParseMoney(%q, %q) = %v", v, loc, n)
			}
		}
		pr := NewProfiler()
		pr.Add(recordWith(0, "custom.X", v))
		_ = pr.Profile()
	})
}
