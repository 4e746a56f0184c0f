package dedupe

import (
	"hash/maphash"
	"math"
	"time"

	"ferry/internal/source"
)

// Key classes. A keyRef packs a class and an interned id.
const (
	kEmail    = iota // person: non-generic normalised email
	kGeneric         // person: generic (role) email; guard only, never joins
	kPhone           // person: E.164 (with ";ext=")
	kLinkedIn        // person: canonical profile URL
	kDomain          // company: registrable domain
	kName            // company: normalised name
	nClasses
)

const classShift = 28

type keyRef uint32

func ref(class int, id uint32) keyRef { return keyRef(uint32(class)<<classShift | id) }
func (k keyRef) class() int           { return int(k >> classShift) }
func (k keyRef) id() uint32           { return uint32(k) & (1<<classShift - 1) }

// classNames names each class in links and matches.
var classNames = [nClasses]string{"email", "generic_email", "phone", "linkedin", "domain", "name"}

// interner assigns dense ids to the distinct strings of one key class. It indexes them by a
// 64-bit hash (a quarter of the memory of a string-keyed map); a hash collision between two
// different strings is detected by comparing the stored key and resolved through overflow,
// so ids are exact.
type interner struct {
	seed     maphash.Seed
	ids      map[uint64]uint32
	overflow map[string]uint32
	keys     []string
}

func (in *interner) id(s string) uint32 {
	if in.ids == nil {
		in.seed, in.ids, in.overflow = maphash.MakeSeed(), map[uint64]uint32{}, map[string]uint32{}
	}
	h := maphash.String(in.seed, s)
	if id, ok := in.ids[h]; ok {
		if in.keys[id] == s {
			return id
		}
		if id, ok := in.overflow[s]; ok {
			return id
		}
		id := uint32(len(in.keys))
		in.overflow[s] = id
		in.keys = append(in.keys, s)
		return id
	}
	id := uint32(len(in.keys))
	in.ids[h] = id
	in.keys = append(in.keys, s)
	return id
}

// done drops the index once interning is over; the key strings stay.
func (in *interner) done() { in.ids, in.overflow = nil, nil }

// table holds the compact per-record data of one kind: ids, rank data and key refs.
type table struct {
	kind    source.Kind
	ids     []string
	score   []uint16
	created []int64
	keyOff  []uint32 // keys of record i: keys[keyOff[i]:keyOff[i+1]]
	keys    []keyRef
	in      *[nClasses]interner
}

func newTable(kind source.Kind, in *[nClasses]interner) *table {
	return &table{kind: kind, keyOff: []uint32{0}, in: in}
}

// item is what the first pass keeps of one record, computed off the reading goroutine.
type item struct {
	id      string
	score   uint16
	created int64
	keys    []classKey
	region  string // companies: the ISO region of the country field
}

// add appends a record's item, interning its keys.
func (t *table) add(it item) int32 {
	i := int32(len(t.ids))
	t.ids = append(t.ids, it.id)
	t.score = append(t.score, it.score)
	t.created = append(t.created, it.created)
	for _, k := range it.keys {
		t.keys = append(t.keys, ref(k.class, t.in[k.class].id(k.key)))
	}
	t.keyOff = append(t.keyOff, uint32(len(t.keys)))
	return i
}

// classKey is a normalised key before interning.
type classKey struct {
	class int
	key   string
}

func (t *table) keysOf(i int32) []keyRef   { return t.keys[t.keyOff[i]:t.keyOff[i+1]] }
func (t *table) keyString(k keyRef) string { return t.in[k.class()].keys[k.id()] }
func (t *table) len() int                  { return len(t.ids) }

// better reports whether record a ranks before record b: more complete, then older, then
// smaller id.
func (t *table) better(a, b int32) bool {
	if t.score[a] != t.score[b] {
		return t.score[a] > t.score[b]
	}
	if t.created[a] != t.created[b] {
		return t.created[a] < t.created[b]
	}
	return t.ids[a] < t.ids[b]
}

// completeness counts a record's non-empty fields besides its id.
func completeness(r source.Record) uint16 {
	n := 0
	for k, v := range r.Fields {
		if k != "id" && v != "" {
			n++
		}
	}
	return uint16(min(n, math.MaxUint16))
}

// createdAt returns created_at in Unix seconds; missing or unreadable sorts last.
func createdAt(r source.Record) int64 {
	t, err := time.Parse(time.RFC3339, r.Fields["created_at"])
	if err != nil {
		return math.MaxInt64
	}
	return t.Unix()
}
