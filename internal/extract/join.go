package extract

import (
	"context"
	"errors"
	"hash/maphash"

	"ferry/internal/source"
	"ferry/internal/store"
)

var errStop = errors.New("stop iteration")

// peekable holds the current record of one id-ordered stream.
type peekable struct {
	next func() (source.Record, error, bool)
	cur  source.Record
	ok   bool
}

func (p *peekable) advance() error {
	r, err, ok := p.next()
	if !ok {
		p.ok = false
		return nil
	}
	if err != nil {
		p.ok = false
		return err
	}
	p.cur, p.ok = r, true
	return nil
}

func minID(streams []*peekable) (string, bool) {
	var id string
	found := false
	for _, s := range streams {
		if s.ok && (!found || s.cur.ID < id) {
			id, found = s.cur.ID, true
		}
	}
	return id, found
}

// idSet remembers ids by a 64-bit hash: bounded memory (about 8 bytes an id) for a million
// ids. A collision can only make a removed record look seen (kept one more extraction); it
// can never remove a record that a channel still supplies.
type idSet struct {
	seed maphash.Seed
	m    map[uint64]struct{}
}

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed(), m: map[uint64]struct{}{}} }

func (s *idSet) add(id string) { s.m[maphash.String(s.seed, id)] = struct{}{} }

func (s *idSet) has(id string) bool {
	_, ok := s.m[maphash.String(s.seed, id)]
	return ok
}

// removeUnseen deletes target records of kind that no channel supplied in this extraction,
// unless guard refuses (a *TooManyRemoved; nothing is removed then). It walks the target only
// when it holds more records than were merged; added counts the merged records that are new.
func removeUnseen(ctx context.Context, target store.Store, k source.Kind, seen *idSet, merged, added int, guard *Guard) (int, error) {
	n, err := target.CountRecords(ctx, k)
	if err != nil || n <= merged {
		return 0, err
	}
	var gone []string
	err = target.EachRecord(ctx, k, func(r source.Record) error {
		if !seen.has(r.ID) {
			gone = append(gone, r.ID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := guard.Check(k, len(gone), n-added); err != nil {
		return 0, err
	}
	return len(gone), target.DeleteRecords(ctx, k, gone)
}
