package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

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

// The statements that copy the scratch table into the snapshot; $1 is the time of the write.
// copyUpsert keeps the last of records repeated in the stream (DISTINCT ON by the staging
// order), since PostgreSQL refuses an upsert that touches one row twice.
const (
	copyInsert = `INSERT INTO records (kind, id, channel, origin, fields, hash, updated_at)
		SELECT kind, id, channel, origin, fields, hash, $1 FROM load_records ORDER BY kind, id`
	copyUpsert = `INSERT INTO records (kind, id, channel, origin, fields, hash, updated_at)
		SELECT DISTINCT ON (kind, id) kind, id, channel, origin, fields, hash, $1::bigint FROM load_records
		ORDER BY kind, id, seq DESC
		ON CONFLICT (kind, id) DO UPDATE SET channel = excluded.channel, origin = excluded.origin,
			fields = excluded.fields, hash = excluded.hash,
			updated_at = CASE WHEN records.hash = excluded.hash THEN records.updated_at ELSE excluded.updated_at END`
)

// bulk stages the records with COPY (pgx's CopyFrom on the writer connection: one stream,
// not a statement per record) into a temporary table and copies them into the snapshot with
// copySQL, all in one transaction.
func (s *Store) bulk(ctx context.Context, what, copySQL string, each func(put func(source.Record) error) error) (int, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	defer conn.Close()
	n := 0
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		var err error
		n, err = loadRecords(ctx, pc.Conn(), copySQL, each)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// loadColumns are the staged columns, in COPY order.
var loadColumns = []string{"kind", "id", "channel", "origin", "fields", "hash"}

func loadRecords(ctx context.Context, conn *pgx.Conn, copySQL string, each func(put func(source.Record) error) error) (int, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE load_records (kind text COLLATE "C" NOT NULL,
		id text COLLATE "C" NOT NULL, channel text NOT NULL, origin text NOT NULL, fields text NOT NULL,
		hash text NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP`); err != nil {
		return 0, err
	}
	n, err := copyStream(ctx, tx, each)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, copySQL, time.Now().UnixNano()); err != nil {
		return 0, fmt.Errorf("copy %d records into the snapshot (an id the snapshot already holds, or repeated?): %w", n, err)
	}
	return n, tx.Commit(ctx)
}

// copyStream feeds the records each puts to COPY, which pulls them from another goroutine;
// it returns how many were staged. An error of each, of a record's check or of COPY stops both.
func copyStream(ctx context.Context, tx pgx.Tx, each func(put func(source.Record) error) error) (int, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	rows := make(chan []any, 256)
	copied := make(chan error, 1)
	go func() {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"load_records"}, loadColumns, pgx.CopyFromFunc(func() ([]any, error) {
			select {
			case row, ok := <-rows:
				if !ok {
					return nil, nil
				}
				return row, nil
			case <-ctx.Done():
				return nil, context.Cause(ctx)
			}
		}))
		copied <- err
	}()
	n := 0
	err := each(func(r source.Record) error {
		row, err := stageRow(r, n)
		if err != nil {
			return err
		}
		select {
		case rows <- row:
			n++
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		case err := <-copied:
			copied <- err // keep it for the wait below
			return fmt.Errorf("copy records: %w", err)
		}
	})
	if err != nil {
		cancel(err)
		<-copied
		return 0, err
	}
	close(rows)
	if err := <-copied; err != nil {
		return 0, fmt.Errorf("copy records: %w", err)
	}
	return n, nil
}

// stageRow checks one record as PutRecords does and encodes its staged columns.
func stageRow(r source.Record, i int) ([]any, error) {
	if r.Kind == "" || r.ID == "" {
		return nil, fmt.Errorf("record %d (kind %q, id %q): kind and id are required", i, r.Kind, r.ID)
	}
	if err := checkUTF8(r); err != nil {
		return nil, err
	}
	fields, err := source.MarshalFields(r.Fields)
	if err != nil {
		return nil, fmt.Errorf("record %s/%s: encode fields: %w", r.Kind, r.ID, err)
	}
	return []any{string(r.Kind), r.ID, string(r.Channel), r.Origin, fields, r.Hash()}, nil
}
