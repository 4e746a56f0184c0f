package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"ferry/internal/source"
)

// rawRecord is a record row before its fields are decoded.
type rawRecord struct {
	kind, id, channel, origin, fields string
}

// ScanRecords reads pages of records on the calling goroutine and decodes and hands them out
// on workers goroutines (page i to worker i % workers), so that reading, decoding and fn run
// side by side on several cores. Each page is read fully before it is handed out; no cursor
// stays open while fn runs.
func (s *Store) ScanRecords(ctx context.Context, kind source.Kind, workers int,
	fn func(worker int, page []source.Record) error) error {
	if workers < 1 {
		return fmt.Errorf("scan records of kind %q: %d workers; at least 1 is needed", kind, workers)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ins := make([]chan []rawRecord, workers)
	var wg sync.WaitGroup
	for w := range ins {
		ins[w] = make(chan []rawRecord, 2)
		wg.Go(func() { scanWorker(ctx, cancel, w, ins[w], fn) })
	}
	err := s.readPages(ctx, kind, func(i int, page []rawRecord) error {
		select {
		case ins[i%workers] <- page:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	})
	for _, in := range ins {
		close(in)
	}
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}

// scanWorker decodes the pages it is given and calls fn; after a failure anywhere it only
// drains its queue.
func scanWorker(ctx context.Context, fail context.CancelCauseFunc, w int, in <-chan []rawRecord,
	fn func(int, []source.Record) error) {
	for raw := range in {
		if ctx.Err() != nil {
			continue
		}
		page, err := decodePage(raw)
		if err == nil {
			err = fn(w, page)
		}
		if err != nil {
			fail(err)
		}
	}
}

func decodePage(raw []rawRecord) ([]source.Record, error) {
	page := make([]source.Record, len(raw))
	for i, r := range raw {
		fields, err := source.UnmarshalFields(r.fields)
		if err != nil {
			return nil, fmt.Errorf("decode fields of %s/%s: %w", r.kind, r.id, err)
		}
		page[i] = source.Record{Kind: source.Kind(r.kind), ID: r.id, Channel: source.Channel(r.channel),
			Origin: r.origin, Fields: fields}
	}
	return page, nil
}

// readPages reads the raw records of kind page by page (by key, as EachRecord does) and calls
// fn with each page's index and rows.
func (s *Store) readPages(ctx context.Context, kind source.Kind, fn func(int, []rawRecord) error) error {
	q := recordPageQuery(kind)
	scan := func(rows *sql.Rows) (rawRecord, error) {
		var r rawRecord
		err := rows.Scan(&r.kind, &r.id, &r.channel, &r.origin, &r.fields)
		return r, err
	}
	stmt, err := s.r.PrepareContext(ctx, q) // prepared once: a million people are 12,000 pages
	if err != nil {
		return fmt.Errorf("scan records of kind %q: %w", kind, err)
	}
	defer stmt.Close()
	fetch := func(after rawRecord) ([]rawRecord, error) {
		rows, err := stmt.QueryContext(ctx, string(kind), after.kind, after.id, pageSize)
		page, err := collectRows(rows, err, scan)
		if err != nil {
			return nil, fmt.Errorf("scan records of kind %q: %w", kind, err)
		}
		return page, nil
	}
	i := 0
	return walkPages(ctx, rawRecord{}, fetch, func(r rawRecord) rawRecord { return r }, func(page []rawRecord) error {
		i++
		return fn(i-1, page)
	})
}

// EachRecordHash walks the ids and stored content hashes of kind in pages, as EachRecord
// walks records.
func (s *Store) EachRecordHash(ctx context.Context, kind source.Kind, fn func(id, hash string) error) error {
	if kind == "" {
		return fmt.Errorf("walk record hashes: a kind is required")
	}
	q := `SELECT id, hash FROM records WHERE kind = $1 AND id > $2 ORDER BY id LIMIT $3`
	scan := func(rows *sql.Rows) ([2]string, error) {
		var r [2]string
		err := rows.Scan(&r[0], &r[1])
		return r, err
	}
	fetch := func(after [2]string) ([][2]string, error) {
		page, err := collect(ctx, s.r, scan, q, string(kind), after[0], pageSize)
		if err != nil {
			return nil, fmt.Errorf("walk record hashes of kind %q: %w", kind, err)
		}
		return page, nil
	}
	return walk(ctx, [2]string{}, fetch, func(r [2]string) [2]string { return r },
		func(r [2]string) error { return fn(r[0], r[1]) })
}
