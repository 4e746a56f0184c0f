package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ferry/internal/source"
	"ferry/internal/store"
)

// states lists the record states PutMapping accepts.
var states = map[store.State]bool{
	store.Pending: true, store.InFlight: true, store.Done: true, store.Failed: true,
	store.Held: true, store.Skipped: true, store.Merged: true,
}

func checkMapping(m store.Mapping) error {
	switch {
	case m.Kind == "" || m.SourceID == "":
		return fmt.Errorf("put mapping (kind %q, source id %q): kind and source id are required", m.Kind, m.SourceID)
	case !states[m.State]:
		return fmt.Errorf("put mapping %s/%s: state %q not allowed; use pending, in_flight, done, failed, held, skipped or merged",
			m.Kind, m.SourceID, m.State)
	}
	return nil
}

// PutMapping upserts the id-map row of (kind, source id). UpdatedAt is stored as given, or as
// now when zero. The error names a missing kind or source id, or a state that is not one of
// store's constants.
func (s *Store) PutMapping(ctx context.Context, m store.Mapping) error {
	if err := checkMapping(m); err != nil {
		return err
	}
	_, err := s.exec(ctx, `INSERT INTO id_map
		(kind, source_id, entity, dest_id, state, fingerprint, reason, run_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, source_id) DO UPDATE SET entity = excluded.entity, dest_id = excluded.dest_id,
			state = excluded.state, fingerprint = excluded.fingerprint, reason = excluded.reason,
			run_id = excluded.run_id, updated_at = excluded.updated_at`,
		string(m.Kind), m.SourceID, m.Entity, m.DestID, string(m.State), m.Fingerprint, m.Reason, m.RunID,
		stamp(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put mapping %s/%s: %w", m.Kind, m.SourceID, err)
	}
	return nil
}

const mappingColumns = `kind, source_id, entity, dest_id, state, fingerprint, reason, run_id, updated_at`

func scanMapping(sc scanner) (store.Mapping, error) {
	var m store.Mapping
	var updated sql.NullInt64
	err := sc.Scan(&m.Kind, &m.SourceID, &m.Entity, &m.DestID, &m.State, &m.Fingerprint, &m.Reason, &m.RunID, &updated)
	m.UpdatedAt = fromStamp(updated)
	return m, err
}

// GetMapping returns one id-map row, or an error wrapping store.ErrNotFound.
func (s *Store) GetMapping(ctx context.Context, kind source.Kind, sourceID string) (store.Mapping, error) {
	m, err := scanMapping(s.r.QueryRowContext(ctx, `SELECT `+mappingColumns+` FROM id_map
		WHERE kind = ? AND source_id = ?`, string(kind), sourceID))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("get mapping %s/%s", kind, sourceID)
	}
	if err != nil {
		return m, fmt.Errorf("get mapping %s/%s: %w", kind, sourceID, err)
	}
	return m, nil
}

// EachMapping calls fn for each id-map row of kind (every kind when empty) in state (any when
// empty), in (kind, source id) order. fn may call any other method, PutMapping included; a row
// it moves out of the filter is not revisited. fn's error stops the walk and is returned as is.
func (s *Store) EachMapping(ctx context.Context, kind source.Kind, state store.State, fn func(store.Mapping) error) error {
	q := mappingPageQuery(kind, state)
	scan := func(rows *sql.Rows) (store.Mapping, error) { return scanMapping(rows) }
	fetch := func(after store.Mapping) ([]store.Mapping, error) {
		ms, err := collect(ctx, s.r, scan, q, string(kind), string(state), string(after.Kind), after.SourceID, pageSize)
		if err != nil {
			return nil, fmt.Errorf("walk mappings of kind %q in state %q: %w", kind, state, err)
		}
		return ms, nil
	}
	key := func(m store.Mapping) store.Mapping { return store.Mapping{Kind: m.Kind, SourceID: m.SourceID} }
	return walk(ctx, store.Mapping{}, fetch, key, fn)
}

// mappingPageQuery builds the page query for a filter, leaving out the conditions of empty
// filters so the planner can use the primary key or the state index. Parameters: ?1 kind,
// ?2 state, ?3 and ?4 the last key read, ?5 the page size.
func mappingPageQuery(kind source.Kind, state store.State) string {
	conds := []string{"(kind, source_id) > (?3, ?4)"}
	if kind != "" {
		conds = []string{"kind = ?1", "source_id > ?4"}
	}
	if state != "" {
		conds = append(conds, "state = ?2")
	}
	return `SELECT ` + mappingColumns + ` FROM id_map WHERE ` + strings.Join(conds, " AND ") +
		` ORDER BY kind, source_id LIMIT ?5`
}

// CountMappings counts id-map rows by state for kind (every kind when empty); states without
// rows are absent from the map.
func (s *Store) CountMappings(ctx context.Context, kind source.Kind) (map[store.State]int, error) {
	q := `SELECT state, count(*) FROM id_map WHERE kind = ? GROUP BY state`
	if kind == "" {
		q = `SELECT state, count(*) FROM id_map WHERE ? = '' GROUP BY state`
	}
	type pair struct {
		state store.State
		n     int
	}
	scan := func(rows *sql.Rows) (pair, error) {
		var p pair
		return p, rows.Scan(&p.state, &p.n)
	}
	pairs, err := collect(ctx, s.r, scan, q, string(kind))
	if err != nil {
		return nil, fmt.Errorf("count mappings of kind %q: %w", kind, err)
	}
	out := make(map[store.State]int, len(pairs))
	for _, p := range pairs {
		out[p.state] = p.n
	}
	return out, nil
}
