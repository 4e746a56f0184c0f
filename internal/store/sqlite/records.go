package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"ferry/internal/source"
	"ferry/internal/store"
)

// PutRecords upserts records by (kind, id) in one transaction and reports how many were added,
// changed (different content hash) or unchanged. The hash covers kind, id and fields; a record
// with the same hash but a new channel or origin counts as unchanged and its channel and origin
// are updated. Every record needs a kind and an id, and all text must be valid UTF-8;
// otherwise nothing is written and the error names the record.
func (s *Store) PutRecords(ctx context.Context, recs []source.Record) (store.PutResult, error) {
	var res store.PutResult
	rows, err := encodeRecords(recs)
	if err != nil || len(rows) == 0 {
		return res, err
	}
	now := time.Now().UnixNano()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res = store.PutResult{}
		if err := putRecordRows(ctx, tx, rows, now, &res); err != nil {
			return err
		}
		if res.Added+res.Changed == 0 {
			return nil
		}
		return bumpRecordsVersion(ctx, tx)
	})
	if err != nil {
		return store.PutResult{}, fmt.Errorf("put %d records: %w", len(recs), err)
	}
	return res, nil
}

type recordRow struct {
	rec  source.Record
	hash string
}

// encodeRecords checks every record and hashes it; fields are encoded later, only for the
// records that are written.
func encodeRecords(recs []source.Record) ([]recordRow, error) {
	rows := make([]recordRow, len(recs))
	for i, r := range recs {
		if r.Kind == "" || r.ID == "" {
			return nil, fmt.Errorf("put records: record %d (kind %q, id %q): kind and id are required", i, r.Kind, r.ID)
		}
		if err := checkUTF8(r); err != nil {
			return nil, err
		}
		rows[i] = recordRow{rec: r, hash: r.Hash()}
	}
	return rows, nil
}

// checkUTF8 refuses text that JSON would silently alter (invalid UTF-8 becomes U+FFFD), so a
// record always reads back exactly as it was put.
func checkUTF8(r source.Record) error {
	if !utf8.ValidString(r.ID) {
		return fmt.Errorf("put records: record %s/%q: id is not valid UTF-8", r.Kind, r.ID)
	}
	for k, v := range r.Fields {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("put records: record %s/%s: field %q is not valid UTF-8; decode the source first", r.Kind, r.ID, k)
		}
	}
	return nil
}

func putRecordRows(ctx context.Context, tx *sql.Tx, rows []recordRow, now int64, res *store.PutResult) error {
	w, err := prepareRecordWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	for _, r := range rows {
		if err := w.put(ctx, r, now, res); err != nil {
			return fmt.Errorf("record %s/%s: %w", r.rec.Kind, r.rec.ID, err)
		}
	}
	return nil
}

// recordWriter holds the statements PutRecords prepares once per transaction.
type recordWriter struct {
	get, upsert, provenance *sql.Stmt
}

func prepareRecordWriter(ctx context.Context, tx *sql.Tx) (*recordWriter, error) {
	w := &recordWriter{}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.get, `SELECT hash, channel, origin FROM records WHERE kind = ? AND id = ?`},
		{&w.upsert, `INSERT INTO records (kind, id, channel, origin, fields, hash, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, id) DO UPDATE SET channel = excluded.channel, origin = excluded.origin,
				fields = excluded.fields, hash = excluded.hash, updated_at = excluded.updated_at`},
		{&w.provenance, `UPDATE records SET channel = ?, origin = ? WHERE kind = ? AND id = ?`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.stmt = st
	}
	return w, nil
}

func (w *recordWriter) close() {
	for _, st := range []*sql.Stmt{w.get, w.upsert, w.provenance} {
		if st != nil {
			st.Close()
		}
	}
}

// put writes one record unless its stored hash matches, and counts what it did in res.
func (w *recordWriter) put(ctx context.Context, r recordRow, now int64, res *store.PutResult) error {
	kind, id, channel := string(r.rec.Kind), r.rec.ID, string(r.rec.Channel)
	var oldHash, oldChannel, oldOrigin string
	err := w.get.QueryRowContext(ctx, kind, id).Scan(&oldHash, &oldChannel, &oldOrigin)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res.Added++
	case err != nil:
		return err
	case oldHash == r.hash:
		res.Unchanged++
		if oldChannel == channel && oldOrigin == r.rec.Origin {
			return nil
		}
		// Same content found elsewhere (a row moved in a harvest file): keep the provenance
		// current without touching updated_at.
		_, err = w.provenance.ExecContext(ctx, channel, r.rec.Origin, kind, id)
		return err
	default:
		res.Changed++
	}
	fields, err := source.MarshalFields(r.rec.Fields)
	if err != nil {
		return fmt.Errorf("encode fields: %w", err)
	}
	_, err = w.upsert.ExecContext(ctx, kind, id, channel, r.rec.Origin, fields, r.hash, now)
	return err
}

// GetRecord returns one record, or an error wrapping store.ErrNotFound.
func (s *Store) GetRecord(ctx context.Context, kind source.Kind, id string) (source.Record, error) {
	row := s.r.QueryRowContext(ctx, `SELECT kind, id, channel, origin, fields FROM records WHERE kind = ? AND id = ?`,
		string(kind), id)
	r, err := scanRecord(row)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("get record %s/%s", kind, id)
	}
	if err != nil {
		return r, fmt.Errorf("get record %s/%s: %w", kind, id, err)
	}
	return r, nil
}

type scanner interface{ Scan(...any) error }

func scanRecord(sc scanner) (source.Record, error) {
	var r source.Record
	var fields string
	if err := sc.Scan(&r.Kind, &r.ID, &r.Channel, &r.Origin, &fields); err != nil {
		return r, err
	}
	var err error
	if r.Fields, err = source.UnmarshalFields(fields); err != nil {
		return r, fmt.Errorf("decode fields of %s/%s: %w", r.Kind, r.ID, err)
	}
	return r, nil
}

// EachRecord calls fn for each record of kind in id order (byte order), or of every kind in
// (kind, id) order when kind is empty. fn may call any other method; fn's error stops the walk
// and is returned as is.
func (s *Store) EachRecord(ctx context.Context, kind source.Kind, fn func(source.Record) error) error {
	q := recordPageQuery(kind)
	scan := func(rows *sql.Rows) (source.Record, error) { return scanRecord(rows) }
	fetch := func(after source.Record) ([]source.Record, error) {
		recs, err := collect(ctx, s.r, scan, q, string(kind), string(after.Kind), after.ID, pageSize)
		if err != nil {
			return nil, fmt.Errorf("walk records of kind %q: %w", kind, err)
		}
		return recs, nil
	}
	key := func(r source.Record) source.Record { return source.Record{Kind: r.Kind, ID: r.ID} }
	return walk(ctx, source.Record{}, fetch, key, fn)
}

// recordPageQuery is the page query of EachRecord, in two forms so that the planner seeks the
// primary key in both. Parameters: ?1 kind, ?2 and ?3 the last key read, ?4 the page size.
func recordPageQuery(kind source.Kind) string {
	if kind == "" {
		return `SELECT kind, id, channel, origin, fields FROM records
			WHERE ?1 = '' AND (kind, id) > (?2, ?3) ORDER BY kind, id LIMIT ?4`
	}
	return `SELECT kind, id, channel, origin, fields FROM records
		WHERE kind = ?1 AND id > ?3 ORDER BY id LIMIT ?4`
}

// CountRecords counts the records of kind (of every kind when kind is empty).
func (s *Store) CountRecords(ctx context.Context, kind source.Kind) (int, error) {
	var n int
	q := `SELECT count(*) FROM records WHERE kind = ?`
	if kind == "" {
		q = `SELECT count(*) FROM records WHERE ? = ''`
	}
	err := s.r.QueryRowContext(ctx, q, string(kind)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count records of kind %q: %w", kind, err)
	}
	return n, nil
}

// DeleteRecords removes the records of kind with the given ids in one transaction; ids the
// store does not hold are ignored.
func (s *Store) DeleteRecords(ctx context.Context, kind source.Kind, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		del, err := tx.PrepareContext(ctx, `DELETE FROM records WHERE kind = ? AND id = ?`)
		if err != nil {
			return err
		}
		defer del.Close()
		for _, id := range ids {
			if _, err := del.ExecContext(ctx, string(kind), id); err != nil {
				return err
			}
		}
		return bumpRecordsVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("delete %d records of kind %q: %w", len(ids), kind, err)
	}
	return nil
}
