package harvest

import "hash/maphash"

// idSet remembers the ids loaded from one file and the line of each, for the duplicate
// check. It keeps a 128-bit hash per id instead of the id itself: about 25 bytes an id,
// half of what a map of strings takes, so a 1,000,000-row file costs some 30 MiB. Two
// different ids collide with a probability near n²/2¹²⁹ (about 10⁻²⁷ for a million ids);
// the cost of a collision would be one row wrongly quarantined as a duplicate, with a
// reason naming the line, never a silent loss.
type idSet struct {
	seeds [2]maphash.Seed
	lines map[[2]uint64]uint32
}

// newIDSet returns an empty set.
func newIDSet() idSet {
	return idSet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, lines: make(map[[2]uint64]uint32)}
}

// key hashes an id.
func (s idSet) key(id string) [2]uint64 {
	return [2]uint64{maphash.String(s.seeds[0], id), maphash.String(s.seeds[1], id)}
}

// add records that id was loaded at line.
func (s idSet) add(id string, line int) { s.lines[s.key(id)] = uint32(line) }

// line returns the line where id was loaded, if it was.
func (s idSet) line(id string) (int, bool) {
	l, ok := s.lines[s.key(id)]
	return int(l), ok
}

// bump counts one more occurrence of id and returns the count (a set used as a counter).
func (s idSet) bump(id string) int {
	k := s.key(id)
	s.lines[k]++
	return int(s.lines[k])
}
