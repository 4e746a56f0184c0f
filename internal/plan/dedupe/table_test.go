package dedupe

import (
	"hash/maphash"
	"testing"
)

func TestInternerCollision(t *testing.T) {
	var in interner
	a, b := in.id("a@x.com"), in.id("b@x.com")
	// Force a collision: file "c@x.com" under a's hash and check it still gets its own id.
	h := maphashOf(&in, "c@x.com")
	in.ids[h] = a
	c := in.id("c@x.com")
	if a == b || c == a || c == b || in.id("c@x.com") != c || in.id("a@x.com") != a {
		t.Fatalf("ids a=%d b=%d c=%d (again c=%d, a=%d)", a, b, c, in.id("c@x.com"), in.id("a@x.com"))
	}
	if in.keys[c] != "c@x.com" {
		t.Fatalf("keys[%d] = %q", c, in.keys[c])
	}
}

func maphashOf(in *interner, s string) uint64 { return maphash.String(in.seed, s) }
