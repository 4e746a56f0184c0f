package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

// EachRecordMeta calls fn with the id, content hash and provenance of each record of kind in
// id order, reading in pages without decoding fields; it holds no cursor while fn runs.
func (s *Store) EachRecordMeta(ctx context.Context, kind source.Kind, fn func(store.RecordMeta) error) error {
	if kind == "" {
		return fmt.Errorf("walk record hashes: a kind is required")
	}
	q := `SELECT id, hash, channel, origin FROM records WHERE kind = ?1 AND id > ?2 ORDER BY id LIMIT ?3`
	scan := func(rows *sql.Rows) (store.RecordMeta, error) {
		var m store.RecordMeta
		err := rows.Scan(&m.ID, &m.Hash, &m.Channel, &m.Origin)
		return m, err
	}
	fetch := func(after store.RecordMeta) ([]store.RecordMeta, error) {
		page, err := collect(ctx, s.r, scan, q, string(kind), after.ID, metaPageSize)
		if err != nil {
			return nil, fmt.Errorf("walk record hashes of kind %q: %w", kind, err)
		}
		return page, nil
	}
	return walkPagesOf(ctx, metaPageSize, store.RecordMeta{}, fetch, func(m store.RecordMeta) store.RecordMeta { return m },
		func(page []store.RecordMeta) error {
			for _, m := range page {
				if err := fn(m); err != nil {
					return err
				}
			}
			return nil
		})
}

// metaPageSize is the page of EachRecordMeta: rows are small, so pages are large.
var metaPageSize = 10000

// WriteRecords runs fn with a writer of already encoded records, all in one transaction:
// committed when fn returns nil, rolled back otherwise. Kinds and ids are required and text
// must be valid UTF-8, as for PutRecords; the caller encoded the fields and computed the
// hashes (source.MarshalFields, source.Record.Hash).
func (s *Store) WriteRecords(ctx context.Context, fn func(store.RecordWriter) error) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		w := &encodedWriter{ctx: ctx, now: time.Now().UnixNano()}
		// A bulk write dirties more pages than the default cache of 2 MiB holds; spilled
		// early, the same interior pages would be written to the WAL again and again.
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
			return err
		}
		var err error
		if w.upsert, err = tx.PrepareContext(ctx, upsertRowsSQL(1)); err != nil {
			return err
		}
		defer w.upsert.Close()
		if w.upsertN, err = tx.PrepareContext(ctx, upsertRowsSQL(upsertRows)); err != nil {
			return err
		}
		defer w.upsertN.Close()
		if w.prov, err = tx.PrepareContext(ctx, `UPDATE records SET channel = ?, origin = ? WHERE kind = ? AND id = ?`); err != nil {
			return err
		}
		defer w.prov.Close()
		if err := fn(w); err != nil {
			return err
		}
		for _, r := range w.pending {
			if _, err := w.upsert.ExecContext(ctx, w.args(nil, r)...); err != nil {
				return fmt.Errorf("record %s/%s: %w", r.Kind, r.ID, err)
			}
		}
		if !w.wrote {
			return nil // provenance alone: the content is the same
		}
		return bumpRecordsVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("write records: %w", err)
	}
	return nil
}

// upsertRows is how many records one upsert statement writes: one statement per record
// costs more in binding and stepping than the b-tree insert itself.
const upsertRows = 64

// upsertRowsSQL is the upsert of n records; the content and provenance of a record the
// snapshot holds are replaced.
func upsertRowsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO records (kind, id, channel, origin, fields, hash, updated_at) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`(?, ?, ?, ?, ?, ?, ?)`)
	}
	b.WriteString(` ON CONFLICT (kind, id) DO UPDATE SET channel = excluded.channel, origin = excluded.origin,
		fields = excluded.fields, hash = excluded.hash, updated_at = excluded.updated_at`)
	return b.String()
}

type encodedWriter struct {
	ctx                   context.Context
	now                   int64
	upsert, upsertN, prov *sql.Stmt
	pending               []store.EncodedRecord
	argBuf                []any
	wrote                 bool
}

// args appends the upsert arguments of r to a.
func (w *encodedWriter) args(a []any, r store.EncodedRecord) []any {
	return append(a, string(r.Kind), r.ID, string(r.Channel), r.Origin, r.Fields, r.Hash, w.now)
}

// Upsert queues r and writes the queue upsertRows at a time; the rest is written when the
// transaction's function returns.
func (w *encodedWriter) Upsert(r store.EncodedRecord) error {
	if r.Kind == "" || r.ID == "" {
		return fmt.Errorf("write record (kind %q, id %q): kind and id are required", r.Kind, r.ID)
	}
	w.pending, w.wrote = append(w.pending, r), true
	if len(w.pending) < upsertRows {
		return nil
	}
	a := w.argBuf[:0]
	for _, p := range w.pending {
		a = w.args(a, p)
	}
	w.argBuf = a
	_, err := w.upsertN.ExecContext(w.ctx, a...)
	if err != nil {
		err = fmt.Errorf("records %s/%s to %s: %w", w.pending[0].Kind, w.pending[0].ID, w.pending[len(w.pending)-1].ID, err)
	}
	w.pending = w.pending[:0]
	return err
}

func (w *encodedWriter) SetProvenance(kind source.Kind, id string, channel source.Channel, origin string) error {
	_, err := w.prov.ExecContext(w.ctx, string(channel), origin, string(kind), id)
	return err
}
