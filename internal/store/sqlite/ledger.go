package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ferry/internal/store"
)

// AddSpend adds s.Calls and s.Tokens to the ledger row of (day, endpoint), creating it at zero
// first. Day must be a YYYY-MM-DD date, endpoint is required and the amounts may not be
// negative.
func (s *Store) AddSpend(ctx context.Context, sp store.Spend) error {
	if _, err := time.Parse(time.DateOnly, sp.Day); err != nil {
		return fmt.Errorf("add spend on %q for %q: day must be YYYY-MM-DD: %w", sp.Day, sp.Endpoint, err)
	}
	if sp.Endpoint == "" || sp.Calls < 0 || sp.Tokens < 0 {
		return fmt.Errorf("add spend on %s for %q (%d calls, %d tokens): endpoint is required and amounts may not be negative",
			sp.Day, sp.Endpoint, sp.Calls, sp.Tokens)
	}
	_, err := s.exec(ctx, `INSERT INTO ledger (day, endpoint, calls, tokens) VALUES (?, ?, ?, ?)
		ON CONFLICT (day, endpoint) DO UPDATE SET calls = calls + excluded.calls, tokens = tokens + excluded.tokens`,
		sp.Day, sp.Endpoint, sp.Calls, sp.Tokens)
	if err != nil {
		return fmt.Errorf("add spend on %s for %s: %w", sp.Day, sp.Endpoint, err)
	}
	return nil
}

// SpentOn sums the tokens spent on a day (0 when nothing was spent).
func (s *Store) SpentOn(ctx context.Context, day string) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(tokens), 0) FROM ledger WHERE day = ?`, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sum spend on %s: %w", day, err)
	}
	return n, nil
}

// Ledger lists ledger rows of a day (every day when empty), ordered by day and endpoint.
func (s *Store) Ledger(ctx context.Context, day string) ([]store.Spend, error) {
	q := `SELECT day, endpoint, calls, tokens FROM ledger WHERE day = ? ORDER BY day, endpoint`
	if day == "" {
		q = `SELECT day, endpoint, calls, tokens FROM ledger WHERE ? = '' ORDER BY day, endpoint`
	}
	scan := func(rows *sql.Rows) (store.Spend, error) {
		var sp store.Spend
		return sp, rows.Scan(&sp.Day, &sp.Endpoint, &sp.Calls, &sp.Tokens)
	}
	rows, err := collect(ctx, s.r, scan, q, day)
	if err != nil {
		return nil, fmt.Errorf("list ledger of day %q: %w", day, err)
	}
	return rows, nil
}
