package extract

import (
	"errors"
	"testing"
)

func TestGuardCheck(t *testing.T) {
	g := &Guard{MaxPercent: 5}
	for _, c := range []struct {
		remove, of int
		refuse     bool
	}{
		{0, 100, false},
		{5, 100, false},        // exactly 5%
		{6, 100, false},        // over 5% but within the floor of 10
		{11, 100, true},        // over 5% and over the floor
		{50, 1000, false},      // 5%
		{51, 1000, true},       // over
		{3, 3, true},           // every record of the kind
		{2143, 2143, true},     // the accident
		{1, 30, false},         // a row deleted in a small workspace
		{1000, 1000000, false}, // 0.1%
	} {
		err := g.Check("person", c.remove, c.of)
		if (err != nil) != c.refuse || (err != nil && !errors.Is(err, ErrTooManyRemoved)) {
			t.Errorf("Check(%d of %d) = %v, want refusal %v", c.remove, c.of, err, c.refuse)
		}
	}
	var none *Guard
	if err := none.Check("person", 10, 10); err != nil {
		t.Errorf("a nil guard refused: %v", err)
	}
}
