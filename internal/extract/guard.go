package extract

import (
	"errors"
	"fmt"

	"ferry/internal/source"
)

// ErrTooManyRemoved is wrapped when a guard refuses to drop records from the snapshot.
var ErrTooManyRemoved = errors.New("too many records would be removed")

// DefaultMaxDropPercent is the share of a kind an extraction may drop without --force.
const DefaultMaxDropPercent = 5

// guardFloor is how many records of a kind may always go (small workspaces edit a row or
// two between extracts), unless they are all of the kind.
const guardFloor = 10

// Guard bounds what one extraction may remove from the snapshot: more than MaxPercent of a
// kind's records (and more than a floor of 10, or every record of the kind) is refused. A nil
// Guard allows everything.
type Guard struct {
	MaxPercent float64
}

// TooManyRemoved says which kind an extraction would have shrunk too far.
type TooManyRemoved struct {
	Kind       source.Kind
	Remove     int // records no channel supplies any more
	Of         int // records of the kind before the extraction
	MaxPercent float64
}

func (e *TooManyRemoved) Error() string {
	return fmt.Sprintf("%s: %d of %d records (%.1f%%) are no longer supplied by any channel, more than the %.0f%% allowed; removed none",
		e.Kind, e.Remove, e.Of, 100*float64(e.Remove)/float64(max(e.Of, 1)), e.MaxPercent)
}

func (e *TooManyRemoved) Unwrap() error { return ErrTooManyRemoved }

// Check returns a *TooManyRemoved when removing remove of of records of kind is too many.
func (g *Guard) Check(kind source.Kind, remove, of int) error {
	if g == nil || remove == 0 {
		return nil
	}
	tooMany := float64(remove)*100 > g.MaxPercent*float64(of)
	if tooMany && (remove > guardFloor || remove >= of) {
		return &TooManyRemoved{Kind: kind, Remove: remove, Of: of, MaxPercent: g.MaxPercent}
	}
	return nil
}
