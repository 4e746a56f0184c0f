package extract

import (
	"context"
	"fmt"
	"iter"

	"ferry/internal/source"
	"ferry/internal/store"
)

// mergeSorted merge-joins the channels' sorted records of kind with the snapshot's stored
// hashes: a new id is inserted, a different hash replaces the record, an equal hash with new
// provenance updates only the provenance, and nothing else is written. Snapshot records no
// channel supplied are removed afterwards, unless keep is set or guard refuses.
func mergeSorted(ctx context.Context, target SortedTarget, srt *sorter, k source.Kind, progress Progress, guard *Guard, keep bool) (Change, error) {
	var streams []*sortedStream
	for _, ch := range Precedence {
		s, err := srt.stream(ch, k)
		if err != nil {
			return Change{}, err
		}
		defer s.close()
		if err := s.advance(); err != nil {
			return Change{}, err
		}
		streams = append(streams, s)
	}
	stored, stop := iter.Pull2(recordMetas(ctx, target, k))
	defer stop()
	t := &metaCursor{next: stored}
	if err := t.advance(); err != nil {
		return Change{}, err
	}
	var c Change
	var gone []string
	w := &chunkWriter{ctx: ctx, target: target, progress: func() { progress("merge "+string(k), c.Total) }}
	for {
		versions, err := nextVersions(streams)
		if err != nil {
			return c, err
		}
		if len(versions) == 0 {
			break
		}
		rec, err := mergeStaged(k, versions)
		if err != nil {
			return c, err
		}
		for t.ok && t.cur.ID < rec.ID {
			gone = append(gone, t.cur.ID)
			if err := t.advance(); err != nil {
				return c, err
			}
		}
		c.Total++
		switch {
		case !t.ok || t.cur.ID > rec.ID:
			c.Added++
			err = w.add(rec, false)
		case t.cur.Hash != rec.Hash:
			c.Changed++
			err = w.add(rec, false)
		default:
			c.Unchanged++
			if t.cur.Channel != rec.Channel || t.cur.Origin != rec.Origin {
				err = w.add(rec, true)
			}
		}
		if err != nil {
			return c, err
		}
		if t.ok && t.cur.ID == rec.ID {
			if err := t.advance(); err != nil {
				return c, err
			}
		}
	}
	for t.ok {
		gone = append(gone, t.cur.ID)
		if err := t.advance(); err != nil {
			return c, err
		}
	}
	if err := w.flush(); err != nil {
		return c, err
	}
	if keep || len(gone) == 0 {
		return c, nil // keep: a channel supplied this kind only in part; nothing leaves the snapshot
	}
	if err := guard.Check(k, len(gone), c.Changed+c.Unchanged+len(gone)); err != nil {
		return c, err
	}
	c.Removed = len(gone)
	return c, target.DeleteRecords(ctx, k, gone)
}

// nextVersions takes the smallest id's record from each stream that has it.
func nextVersions(streams []*sortedStream) ([]stagedRecord, error) {
	var id string
	found := false
	for _, s := range streams {
		if s.ok && (!found || s.cur.ID < id) {
			id, found = s.cur.ID, true
		}
	}
	if !found {
		return nil, nil
	}
	var versions []stagedRecord
	for _, s := range streams {
		if s.ok && s.cur.ID == id {
			versions = append(versions, s.cur)
			if err := s.advance(); err != nil {
				return nil, err
			}
		}
	}
	return versions, nil
}

// mergeStaged applies the conflict rule to one id's versions. A record from one channel
// alone is taken as staged (hashed once, blank fields dropped as Merge drops them);
// versions from several channels are merged and hashed again.
func mergeStaged(k source.Kind, versions []stagedRecord) (stagedRecord, error) {
	if len(versions) == 1 {
		v := versions[0]
		v.Kind = k
		v.Origin = originOf(source.Record{Channel: v.Channel, Origin: v.Origin})
		return v, nil
	}
	recs := make([]source.Record, len(versions))
	for i, v := range versions {
		fields, err := v.fieldMap()
		if err != nil {
			return stagedRecord{}, err
		}
		recs[i] = source.Record{Kind: k, ID: v.ID, Channel: v.Channel, Origin: v.Origin, Fields: fields}
	}
	return staged(Merge(recs)), nil
}

// recordMetas adapts EachRecordMeta to an iterator.
func recordMetas(ctx context.Context, st SortedTarget, k source.Kind) iter.Seq2[store.RecordMeta, error] {
	return func(yield func(store.RecordMeta, error) bool) {
		err := st.EachRecordMeta(ctx, k, func(m store.RecordMeta) error {
			if !yield(m, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(store.RecordMeta{}, err)
		}
	}
}

// metaCursor holds the current stored record of the merge-join.
type metaCursor struct {
	next func() (store.RecordMeta, error, bool)
	cur  store.RecordMeta
	ok   bool
}

func (m *metaCursor) advance() error {
	r, err, ok := m.next()
	if !ok || err != nil {
		m.ok = false
		return err
	}
	m.cur, m.ok = r, true
	return nil
}

// chunkWriter writes the merge's changes writeChunk at a time, each chunk in one transaction.
type chunkWriter struct {
	ctx      context.Context
	target   SortedTarget
	progress func()
	recs     []store.EncodedRecord
	provOnly []bool
}

func (w *chunkWriter) add(sr stagedRecord, provenanceOnly bool) error {
	r := sr.EncodedRecord
	if !provenanceOnly {
		var err error
		if r, err = sr.encoded(); err != nil {
			return err
		}
	}
	w.recs = append(w.recs, r)
	w.provOnly = append(w.provOnly, provenanceOnly)
	if len(w.recs) >= writeChunk {
		return w.flush()
	}
	return nil
}

func (w *chunkWriter) flush() error {
	w.progress()
	if len(w.recs) == 0 {
		return nil
	}
	err := w.target.WriteRecords(w.ctx, func(rw store.RecordWriter) error {
		for i, r := range w.recs {
			var err error
			if w.provOnly[i] {
				err = rw.SetProvenance(r.Kind, r.ID, r.Channel, r.Origin)
			} else {
				err = rw.Upsert(r)
			}
			if err != nil {
				return fmt.Errorf("record %s/%s: %w", r.Kind, r.ID, err)
			}
		}
		return nil
	})
	w.recs, w.provOnly = w.recs[:0], w.provOnly[:0]
	return err
}
