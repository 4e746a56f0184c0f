package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ferry/internal/source"
)

// LoadRecords bulk-loads records the store does not hold yet: each calls put once per record.
// It is PutRecords for millions of records at once (a first extract, a generated snapshot):
// PutRecords commits in batches, and with ids in no particular order every batch rewrites
// about one page of the snapshot per record. LoadRecords instead appends the records to a
// scratch table, then copies them into the snapshot in key order in the same transaction, so
// each page is written once. It returns how many records it loaded.
//
// Everything or nothing is written: a record without kind or id, with text that is not
// UTF-8, with a (kind, id) the store already holds or that appears twice fails the load and
// the error names it. An error from each is returned as is, after rolling back.
func (s *Store) LoadRecords(ctx context.Context, each func(put func(source.Record) error) error) (int, error) {
	return s.bulk(ctx, "load records", copyInsert, each)
}

// BulkPutRecords is LoadRecords with PutRecords' upsert: a record the store holds is replaced
// (its updated_at kept when the content hash is the same), and of records repeated in the
// stream the last one wins. Extraction stages a harvest folder with it: one transaction, each
// page of the staging store written once.
func (s *Store) BulkPutRecords(ctx context.Context, each func(put func(source.Record) error) error) (int, error) {
	return s.bulk(ctx, "bulk put records", copyUpsert, each)
}

// The statements that copy the scratch table into the snapshot; ?1 is the time of the write.
const (
	copyInsert = `INSERT INTO records (kind, id, channel, origin, fields, hash, updated_at)
		SELECT kind, id, channel, origin, fields, hash, ?1 FROM temp.load_records ORDER BY kind, id`
	copyUpsert = `INSERT INTO records (kind, id, channel, origin, fields, hash, updated_at)
		SELECT kind, id, channel, origin, fields, hash, ?1 FROM temp.load_records WHERE true
		ORDER BY kind, id, rowid
		ON CONFLICT (kind, id) DO UPDATE SET channel = excluded.channel, origin = excluded.origin,
			fields = excluded.fields, hash = excluded.hash,
			updated_at = CASE WHEN records.hash = excluded.hash THEN records.updated_at ELSE excluded.updated_at END`
)

func (s *Store) bulk(ctx context.Context, what, copySQL string, each func(put func(source.Record) error) error) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = loadRecords(ctx, tx, copySQL, each)
		if err != nil {
			return err
		}
		return bumpRecordsVersion(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

func loadRecords(ctx context.Context, tx *sql.Tx, copySQL string, each func(put func(source.Record) error) error) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE load_records (kind TEXT NOT NULL,
		id TEXT NOT NULL, channel TEXT NOT NULL, origin TEXT NOT NULL, fields TEXT NOT NULL,
		hash TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.load_records`)
	ins, err := tx.PrepareContext(ctx, `INSERT INTO temp.load_records VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	err = each(func(r source.Record) error {
		if err := stageRecord(ctx, ins, r, n); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, copySQL, time.Now().UnixNano())
	if err != nil {
		return 0, fmt.Errorf("copy %d records into the snapshot (an id the snapshot already holds, or repeated?): %w", n, err)
	}
	return n, nil
}

// stageRecord checks one record as PutRecords does and appends it to the scratch table.
func stageRecord(ctx context.Context, ins *sql.Stmt, r source.Record, i int) error {
	if r.Kind == "" || r.ID == "" {
		return fmt.Errorf("record %d (kind %q, id %q): kind and id are required", i, r.Kind, r.ID)
	}
	if err := checkUTF8(r); err != nil {
		return err
	}
	fields, err := source.MarshalFields(r.Fields)
	if err != nil {
		return fmt.Errorf("record %s/%s: encode fields: %w", r.Kind, r.ID, err)
	}
	_, err = ins.ExecContext(ctx, string(r.Kind), r.ID, string(r.Channel), r.Origin, fields, r.Hash())
	return err
}
