package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ferry/internal/store"
)

// pageSize is how many rows a walk reads per query. No cursor stays open while the callback
// runs: each page is read fully, its rows closed, and only then handed out.
var pageSize = 1000

// walk reads pages from fetch (given the key after which to continue) and calls fn for each
// row, until a page comes back short. key extracts the paging key of a row.
func walk[T, K any](ctx context.Context, start K, fetch func(after K) ([]T, error), key func(T) K, fn func(T) error) error {
	return walkPages(ctx, start, fetch, key, func(rows []T) error {
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// walkPages is walk handing out whole pages; fn never sees an empty one.
func walkPages[T, K any](ctx context.Context, start K, fetch func(after K) ([]T, error), key func(T) K, fn func([]T) error) error {
	return walkPagesOf(ctx, pageSize, start, fetch, key, fn)
}

// walkPagesOf is walkPages with pages of size rows.
func walkPagesOf[T, K any](ctx context.Context, size int, start K, fetch func(after K) ([]T, error), key func(T) K, fn func([]T) error) error {
	after := start
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows, err := fetch(after)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := fn(rows); err != nil {
				return err
			}
		}
		if len(rows) < size {
			return nil
		}
		after = key(rows[len(rows)-1])
	}
}

// collect runs a query and scans every row with scan, closing the rows before it returns.
func collect[T any](ctx context.Context, db *sql.DB, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	return collectRows(rows, err, scan)
}

// collectRows scans every row of a query's result with scan and closes the rows; it returns
// the query's error when the query failed.
func collectRows[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// notFound wraps store.ErrNotFound with what was looked up.
func notFound(what string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(what, args...), store.ErrNotFound)
}

// stamp returns t as stored: UTC nanoseconds, or now when t is zero.
func stamp(t time.Time) int64 {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UnixNano()
}

// optStamp returns t as stored, NULL when zero.
func optStamp(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

// fromStamp turns a stored time back into a UTC time; NULL becomes the zero time.
func fromStamp(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// boolInt is SQLite's boolean.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
