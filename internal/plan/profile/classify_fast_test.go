package profile

import (
	"regexp"
	"testing"
)

// TestIsIDLikeRegexp checks the hand-written id test against the pattern it replaces.
func TestIsIDLikeRegexp(t *testing.T) {
	re := regexp.MustCompile(`^[a-z]{2,8}_[a-z0-9]{6,}$`)
	for _, v := range []string{"per_2q1f7w2ahy0lx", "int_0000572fc0gtg", "p_123456", "pe_12345", "pe_123456",
		"abcdefgh_123456", "abcdefghi_123456", "per_12345_", "per__123456", "Per_123456", "per_12345A",
		"9er_123456", "per-123456", "", "_", "per_", "deal_00064szjj7wwk", "cmp_ü23456"} {
		if got, want := isID(v), re.MatchString(v); got != want {
			t.Errorf("isID(%q) = %v; the pattern says %v", v, got, want)
		}
	}
}

func TestHasMonthName(t *testing.T) {
	for v, want := range map[string]bool{"Jan 2, 2006": true, "2 jan 2006": true, "SEPTEMBER 3, 2020": true,
		"2026-05-09T18:11:18Z": false, "Janet": true, "xjan 2": false, "Ja": false, "12 Mär 2020": false} {
		if got := hasMonthName(v); got != want {
			t.Errorf("hasMonthName(%q) = %v; want %v", v, got, want)
		}
	}
}

// FuzzSplitCurrency checks that the quick edge test never hides a currency the full
// search finds.
func FuzzSplitCurrency(f *testing.F) {
	for _, s := range []string{"$1,200.50", "1.200,50 €", "EUR 300", "300 USD", "C$5", "100 US$", "12", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, cur := splitCurrency(s)
		slowCur := ""
		for _, c := range currencySymbols {
			if len(s) >= len(c.sym) && (s[:len(c.sym)] == c.sym && startsNumeric(s[len(c.sym):]) ||
				s[len(s)-len(c.sym):] == c.sym && endsNumeric(s[:len(s)-len(c.sym)])) {
				slowCur = c.code
				break
			}
		}
		if slowCur != "" && cur == "" {
			t.Errorf("splitCurrency(%q) found no currency; %s is there", s, slowCur)
		}
	})
}

// BenchmarkClassifyValue measures classification of values every interaction carries.
func BenchmarkClassifyValue(b *testing.B) {
	for _, v := range []string{"2026-05-09T18:11:18Z", "int_0000572fc0gtg", "EMAIL",
		"<div>Re: a discount request<br>They asked for a call &amp; a quote.</div>", "Jan 2, 2006"} {
		b.Run(v[:min(len(v), 12)], func(b *testing.B) {
			for b.Loop() {
				classify(v)
				dateLayoutsOf(v, func(int) {})
			}
		})
	}
}

// TestMayBeRangeKeepsEveryBand checks the prefilter on bands of every form and on values
// it must turn away without the expression.
func TestMayBeRangeKeepsEveryBand(t *testing.T) {
	for _, v := range []string{"11-50", "1,000 to 5,000", "10–20k", "1000+", "<10", "> 500", "≤ 5", "UP TO 10",
		"bis 50", "5 bis 10", "1.000.", "10 K", "10\u212a"} {
		if !mayBeRange(v) && reRange.MatchString(v) {
			t.Errorf("mayBeRange(%q) = false for a band", v)
		}
	}
	for _, v := range []string{"per_19e6is15aenxk", "2023-11-14T09:02:00Z", "+44 20 7946 0958", "a1@b.c"} {
		if mayBeRange(v) {
			t.Errorf("mayBeRange(%q) = true, want the cheap refusal", v)
		}
	}
}

func FuzzMayBeRangeKeepsEveryBand(f *testing.F) {
	for _, s := range []string{"11-50", "1000+", "<10", "up to 5", "10\u212a", "bis 3", "2023-11-14"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !mayBeRange(v) && reRange.MatchString(v) {
			t.Errorf("mayBeRange(%q) = false, but reRange matches it", v)
		}
	})
}
