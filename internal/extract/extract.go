package extract

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"ferry/internal/source"
	"ferry/internal/store"
)

// Counts says what one channel supplied for one kind.
type Counts struct {
	Read        int `json:"read"`
	Loaded      int `json:"loaded"`
	Quarantined int `json:"quarantined"`
}

// Channel is one supplier of source records: the harvest folder, the Klipy API or the
// captured webhook events.
type Channel interface {
	// Name is the channel the records carry.
	Name() source.Channel
	// Extract emits the channel's records in batches and its unreadable rows to quarantine.
	// It may keep resumption cursors in cursors; a repeated call after a crash continues.
	Extract(ctx context.Context, cursors Cursors, emit func([]source.Record) error,
		quarantine func(store.QuarantineItem) error) (map[source.Kind]Counts, error)
}

// Cursors keeps named resumption points (the staging store implements it).
type Cursors interface {
	PutCursor(ctx context.Context, name, value string) error
	GetCursor(ctx context.Context, name string) (string, error)
}

// Change says how the snapshot of one kind changed.
type Change struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
	Total     int `json:"total"`
}

// Report is what an extraction did.
type Report struct {
	Channels map[source.Channel]map[source.Kind]Counts `json:"channels"`
	Changes  map[source.Kind]Change                    `json:"changes"`
	// Discovered lists the companies made from references: names that records link by but
	// that no company record carries (see DiscoveredOrigin). They are in the snapshot and in
	// Changes like any other company.
	Discovered []Discovered `json:"discovered,omitempty"`
}

// stagedKind is the staging-store kind holding one channel's records of kind.
func stagedKind(ch source.Channel, k source.Kind) source.Kind {
	return source.Kind(string(ch) + "/" + string(k))
}

// Progress is told how far an extraction is: the step ("stage harvest", "merge person") and
// how many records it has handled so far. It may be nil.
type Progress func(step string, records int)

// Options tune an extraction.
type Options struct {
	Progress Progress
	// Guard, when set, refuses to remove more records of a kind than it allows (see Guard);
	// nil removes whatever no channel supplies any more.
	Guard *Guard
	// ScratchDir holds the sorted runs an extraction spills past its memory budget (the
	// system's temporary directory when empty); they are removed when it ends.
	ScratchDir string
	// staged forces the staging-store path even where the sorted one applies (tests
	// compare the two).
	staged bool
}

// Run extracts every channel into staging, then merges staging into target. staging must be
// a store used only for this extraction (kept across a crash so the API channel resumes).
func Run(ctx context.Context, target, staging store.Store, channels []Channel, progress Progress) (Report, error) {
	return RunWith(ctx, target, staging, channels, Options{Progress: progress})
}

// RunWith is Run with options. When the guard refuses a kind's removals, that kind keeps
// every record (new and changed ones are still merged), the other kinds are merged as usual,
// and the error wraps ErrTooManyRemoved naming each refused kind with its counts.
//
// When no channel keeps cursors (the harvest folder and captured events) and target is a
// SortedTarget, staging is not used: the records are sorted in memory and in run files under
// opts.ScratchDir, and each kind is merge-joined with the snapshot (see runSorted). The
// snapshot that results is the same.
func RunWith(ctx context.Context, target, staging store.Store, channels []Channel, opts Options) (Report, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int) {}
	}
	if st, ok := target.(SortedTarget); ok && !opts.staged && sortable(channels) {
		return runSorted(ctx, st, channels, opts, progress)
	}
	return loadChannels(channels, loader{
		stage: func(ch Channel, observe func(source.Channel, source.Record)) (map[source.Kind]Counts, error) {
			return stage(ctx, target, staging, ch, progress, observe)
		},
		discover: func(d *discovery, partial bool) ([]Discovered, error) {
			return discover(ctx, target, staging, d, partial)
		},
		merge: func(k source.Kind, partial bool) (Change, error) {
			return mergeKind(ctx, target, staging, k, progress, opts.Guard, partial)
		},
	})
}

// loader is one way of loading channels into the snapshot: through the staging store, or
// sorted in memory (runSorted). loadChannels drives either the same way.
type loader struct {
	stage    func(ch Channel, observe func(source.Channel, source.Record)) (map[source.Kind]Counts, error)
	discover func(d *discovery, partialCompanies bool) ([]Discovered, error)
	merge    func(k source.Kind, partial bool) (Change, error)
}

// loadChannels stages every channel, discovers the companies named only by references, then
// merges kind by kind. A kind refused by the removal guard does not stop the others: every
// refusal is returned, joined, after all kinds were merged.
func loadChannels(channels []Channel, l loader) (Report, error) {
	rep := Report{Channels: map[source.Channel]map[source.Kind]Counts{}, Changes: map[source.Kind]Change{}}
	disc := newDiscovery()
	for _, ch := range channels {
		counts, err := l.stage(ch, disc.observe)
		if err != nil {
			return rep, fmt.Errorf("extract %s channel: %w", ch.Name(), err)
		}
		rep.Channels[ch.Name()] = counts
	}
	partial := partialKinds(channels)
	var err error
	if rep.Discovered, err = l.discover(disc, partial[source.Company]); err != nil {
		return rep, err
	}
	var refused []error
	for _, k := range source.Kinds {
		c, err := l.merge(k, partial[k])
		var tm *TooManyRemoved
		if errors.As(err, &tm) {
			refused = append(refused, err)
			err = nil
		}
		if err != nil {
			return rep, fmt.Errorf("merge %s records: %w", k, err)
		}
		rep.Changes[k] = c
	}
	return rep, errors.Join(refused...)
}

// Partial is implemented by channels that may supply only part of some kinds in one
// extraction (a harvest file that could not be read): those kinds keep every record the
// snapshot has that no channel supplied this time, instead of losing them.
type Partial interface {
	PartialKinds() []source.Kind
}

// partialKinds collects the kinds some channel supplied only in part.
func partialKinds(chs []Channel) map[source.Kind]bool {
	out := map[source.Kind]bool{}
	for _, ch := range chs {
		if p, ok := ch.(Partial); ok {
			for _, k := range p.PartialKinds() {
				out[k] = true
			}
		}
	}
	return out
}

// BulkPutter is implemented by staging stores that take a whole stream of records in one
// transaction, written in key order (sqlite.Store). A harvest folder of millions of rows in
// no particular id order stages several times faster that way than in batches, each of which
// rewrites about a page per record.
type BulkPutter interface {
	BulkPutRecords(ctx context.Context, each func(put func(source.Record) error) error) (int, error)
}

// bulkStaged is implemented by channels that keep no cursors in the staging store, so that
// staging them in one transaction loses no resumption point.
type bulkStaged interface{ keepsNoCursors() }

// stage extracts one channel into staging, showing each record to observe before it is staged.
func stage(ctx context.Context, target, staging store.Store, ch Channel, progress Progress,
	observe func(source.Channel, source.Record)) (map[source.Kind]Counts, error) {
	step, n := "stage "+string(ch.Name()), 0
	restage := func(recs []source.Record) []source.Record {
		n += len(recs)
		progress(step, n)
		staged := make([]source.Record, len(recs))
		for i, r := range recs {
			observe(ch.Name(), r)
			r.Channel = ch.Name()
			r.Kind = stagedKind(ch.Name(), r.Kind)
			staged[i] = r
		}
		return staged
	}
	quarantine := func(q store.QuarantineItem) error { return target.Quarantine(ctx, q) }
	bulk, ok := staging.(BulkPutter)
	if _, cursorless := ch.(bulkStaged); !ok || !cursorless {
		return ch.Extract(ctx, staging, func(recs []source.Record) error {
			_, err := staging.PutRecords(ctx, restage(recs))
			return err
		}, quarantine)
	}
	var counts map[source.Kind]Counts
	_, err := bulk.BulkPutRecords(ctx, func(put func(source.Record) error) error {
		var err error
		counts, err = ch.Extract(ctx, staging, func(recs []source.Record) error {
			for _, r := range restage(recs) {
				if err := put(r); err != nil {
					return err
				}
			}
			return nil
		}, quarantine)
		return err
	})
	return counts, err
}

// mergeKind merge-joins the channels' staged records of kind (all in id order), writes the
// merged records to target and removes target records no channel supplies any more.
func mergeKind(ctx context.Context, target, staging store.Store, k source.Kind, progress Progress, guard *Guard, keep bool) (Change, error) {
	var streams []*peekable
	for _, ch := range Precedence {
		next, stop := iter.Pull2(records(ctx, staging, stagedKind(ch, k)))
		defer stop()
		p := &peekable{next: next}
		if err := p.advance(); err != nil {
			return Change{}, err
		}
		streams = append(streams, p)
	}
	var c Change
	seen := newIDSet()
	batch := make([]source.Record, 0, 1000)
	flush := func() error {
		progress("merge "+string(k), c.Total)
		res, err := target.PutRecords(ctx, batch)
		c.Added, c.Changed, c.Unchanged = c.Added+res.Added, c.Changed+res.Changed, c.Unchanged+res.Unchanged
		batch = batch[:0]
		return err
	}
	for {
		id, ok := minID(streams)
		if !ok {
			break
		}
		var versions []source.Record
		for _, s := range streams {
			if s.ok && s.cur.ID == id {
				r := s.cur
				r.Kind = k
				versions = append(versions, r)
				if err := s.advance(); err != nil {
					return c, err
				}
			}
		}
		batch = append(batch, Merge(versions))
		seen.add(id)
		c.Total++
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return c, err
			}
		}
	}
	if err := flush(); err != nil {
		return c, err
	}
	if keep {
		return c, nil // a channel supplied this kind only in part: nothing leaves the snapshot
	}
	removed, err := removeUnseen(ctx, target, k, seen, c.Total, c.Added, guard)
	c.Removed = removed
	return c, err
}

// records adapts EachRecord to an iterator of (record, error).
func records(ctx context.Context, st store.Store, k source.Kind) iter.Seq2[source.Record, error] {
	return func(yield func(source.Record, error) bool) {
		stopped := errStop
		err := st.EachRecord(ctx, k, func(r source.Record) error {
			if !yield(r, nil) {
				return stopped
			}
			return nil
		})
		if err != nil && err != stopped {
			yield(source.Record{}, err)
		}
	}
}
