package extract

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unicode/utf8"

	"ferry/internal/source"
	"ferry/internal/store"
)

// SortedTarget is implemented by target stores that take a kind's merged records as one
// sorted stream (sqlite.Store): the merge reads the stored hashes and provenance in id order
// beside the channels' sorted records and writes only what changed, without reading any
// record's fields, and a first extraction into an empty snapshot appends in key order.
type SortedTarget interface {
	store.Store
	// EachRecordMeta calls fn with the id, hash and provenance of each record of kind in id
	// order, reading in pages; fn may write records of kind with ids up to the one it was given.
	EachRecordMeta(ctx context.Context, kind source.Kind, fn func(store.RecordMeta) error) error
	// WriteRecords runs fn with a writer whose writes are committed together; fn's error
	// rolls them back.
	WriteRecords(ctx context.Context, fn func(store.RecordWriter) error) error
}

// sortedBudget is how many bytes of staged records the sorted extraction keeps in memory
// before it spills them, sorted, to run files.
var sortedBudget = 128 << 20

// sortedMemoryLimit is the soft limit of the Go heap while a sorted extraction runs, unless
// one is set already (GOMEMLIMIT): the garbage collector then works harder instead of letting
// the heap grow to twice what is live, and a million people extract within 1.5 GB.
const sortedMemoryLimit = 1 << 30

// writeChunk is how many records the sorted merge writes per transaction.
var writeChunk = 20000

// sortable reports whether every channel can be extracted without a staging store.
func sortable(chs []Channel) bool {
	for _, ch := range chs {
		if _, ok := ch.(bulkStaged); !ok {
			return false
		}
	}
	return true
}

// runSorted is RunWith for channels that keep no cursors, into a SortedTarget: each channel's
// records are encoded and hashed once, on every core, and sorted in memory (spilling sorted
// runs to opts.ScratchDir past sortedBudget); each kind is then one merge-join of the sorted
// channel streams with the snapshot's stored hashes.
func runSorted(ctx context.Context, target SortedTarget, channels []Channel, opts Options, progress Progress) (Report, error) {
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(sortedMemoryLimit))
	}
	srt := newSorter(opts.ScratchDir, sortedBudget)
	defer srt.close()
	return loadChannels(channels, loader{
		stage: func(ch Channel, observe func(source.Channel, source.Record)) (map[source.Kind]Counts, error) {
			return stageSorted(ctx, target, ch, srt, progress, observe)
		},
		discover: func(d *discovery, partial bool) ([]Discovered, error) {
			return discoverSorted(ctx, target, srt, d, partial)
		},
		merge: func(k source.Kind, partial bool) (Change, error) {
			return mergeSorted(ctx, target, srt, k, progress, opts.Guard, partial)
		},
	})
}

// stageSorted runs one channel, encoding and hashing its batches on every core into srt.
func stageSorted(ctx context.Context, target store.Store, ch Channel, srt *sorter, progress Progress,
	observe func(source.Channel, source.Record)) (map[source.Kind]Counts, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type batch struct {
		recs []source.Record
		seq  uint64
	}
	jobs := make(chan batch, runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for b := range jobs {
				enc, err := encodeBatch(b.recs, ch.Name())
				if err == nil {
					mu.Lock()
					for i, r := range enc {
						r.seq = b.seq + uint64(i)
						if err = srt.addSeq(r); err != nil {
							break
						}
					}
					mu.Unlock()
				}
				if err != nil {
					cancel(err)
				}
			}
		})
	}
	step, n, seq := "stage "+string(ch.Name()), 0, uint64(0)
	emit := func(recs []source.Record) error {
		if err := context.Cause(ctx); err != nil {
			return err
		}
		n += len(recs)
		progress(step, n)
		for _, r := range recs {
			observe(ch.Name(), r)
		}
		select {
		case jobs <- batch{recs: append([]source.Record(nil), recs...), seq: seq}:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		seq += uint64(len(recs))
		return nil
	}
	quarantine := func(q store.QuarantineItem) error { return target.Quarantine(ctx, q) }
	counts, err := ch.Extract(ctx, noCursors{}, emit, quarantine)
	close(jobs)
	wg.Wait()
	if cerr := context.Cause(ctx); err == nil && cerr != nil {
		err = cerr
	}
	return counts, err
}

// encodeBatch checks each record as the store would, drops its blank fields (Merge ignores
// them) and hashes it; its fields are encoded only when they must be written.
func encodeBatch(recs []source.Record, ch source.Channel) ([]stagedRecord, error) {
	out := make([]stagedRecord, len(recs))
	for i, r := range recs {
		if r.Kind == "" || r.ID == "" {
			return nil, fmt.Errorf("record %d (kind %q, id %q): kind and id are required", i, r.Kind, r.ID)
		}
		if !utf8.ValidString(r.ID) {
			return nil, fmt.Errorf("record %s/%q: id is not valid UTF-8", r.Kind, r.ID)
		}
		blank := false
		for k, v := range r.Fields {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("record %s/%s: field %q is not valid UTF-8; decode the source first", r.Kind, r.ID, k)
			}
			blank = blank || strings.TrimSpace(v) == ""
		}
		fields := r.Fields
		if blank {
			fields = make(map[string]string, len(r.Fields))
			for k, v := range r.Fields {
				if strings.TrimSpace(v) != "" {
					fields[k] = v
				}
			}
		}
		out[i] = staged(source.Record{Kind: r.Kind, ID: r.ID, Channel: ch, Origin: r.Origin, Fields: fields})
	}
	return out, nil
}

// staged hashes a record and packs its fields.
func staged(r source.Record) stagedRecord {
	packed, hash := packFields(r.Kind, r.ID, r.Fields)
	return stagedRecord{EncodedRecord: store.EncodedRecord{Kind: r.Kind, ID: r.ID, Channel: r.Channel,
		Origin: r.Origin, Hash: hash}, packed: packed}
}

// discoverSorted is discover for the sorted extraction: the companies every channel
// supplied are read from srt (one per id, as they will merge), and the companies found are
// added to srt with the channel that named them, after every record of it.
func discoverSorted(ctx context.Context, target store.Store, srt *sorter, d *discovery, partial bool) ([]Discovered, error) {
	if len(d.refs) == 0 {
		return nil, nil
	}
	for _, ch := range Precedence {
		err := srt.each(ch, source.Company, func(r stagedRecord) error {
			fields, err := r.fieldMap()
			if err == nil {
				d.company(source.Record{Kind: source.Company, ID: r.ID, Channel: ch, Origin: r.Origin, Fields: fields})
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read the extracted companies: %w", err)
		}
	}
	if partial {
		if err := d.knowSnapshot(ctx, target); err != nil {
			return nil, fmt.Errorf("read the snapshot's companies: %w", err)
		}
	}
	found := d.result()
	out := make([]Discovered, len(found))
	for i, f := range found {
		r := staged(source.Record{Kind: source.Company, ID: f.ID, Channel: f.channel,
			Origin: DiscoveredOrigin + f.First, Fields: map[string]string{"id": f.ID, "name": f.Name}})
		r.seq = math.MaxUint64 // after every record the channel supplied
		if err := srt.addSeq(r); err != nil {
			return nil, err
		}
		out[i] = f.Discovered
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// noCursors is the Cursors of a channel that keeps none.
type noCursors struct{}

func (noCursors) PutCursor(context.Context, string, string) error { return nil }
func (noCursors) GetCursor(context.Context, string) (string, error) {
	return "", store.ErrNotFound
}
