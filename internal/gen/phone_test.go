package gen

import (
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestPhonePlansValid draws many numbers per region and checks that every spelling is a
// valid number that resolves to the same E.164 (with the region when it needs one).
func TestPhonePlansValid(t *testing.T) {
	for _, c := range countries {
		t.Run(c.code, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			seen := map[string]bool{}
			for i := range 1000 {
				p := newPhone(r, c.code, i)
				if seen[p.E164()] {
					t.Fatalf("number %s drawn twice", p.E164())
				}
				seen[p.E164()] = true
				raw, needsRegion := p.Format(r)
				region := "ZZ"
				if needsRegion {
					region = c.code
				}
				n, err := phonenumbers.Parse(raw, region)
				if err != nil || !phonenumbers.IsValidNumber(n) {
					t.Fatalf("%q (region %s) invalid: %v", raw, region, err)
				}
				if got := phonenumbers.Format(n, phonenumbers.E164); got != p.E164() {
					t.Fatalf("%q resolves to %s, want %s", raw, got, p.E164())
				}
			}
		})
	}
}
