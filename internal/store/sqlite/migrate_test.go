package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// schemaObjects lists the tables and indexes the migrations made (not SQLite's own, not the
// version table).
func schemaObjects(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.w.Query(`SELECT type || ' ' || name FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func wantVersion(t *testing.T, s *Store, want int64) {
	t.Helper()
	v, err := s.Version(t.Context())
	if err != nil || v != want {
		t.Fatalf("Version() = %d, %v; want %d", v, err, want)
	}
}

func TestMigrateDownAndUp(t *testing.T) {
	s := newTemp(t)
	ctx := t.Context()
	wantVersion(t, s, latest())
	full := schemaObjects(t, s)
	if len(full) != 12 { // 9 tables, 3 indexes
		t.Fatalf("schema after Open has %d objects, want every table and index: %v", len(full), full)
	}
	if _, err := s.PutRecords(ctx, []source.Record{{Kind: source.Person, ID: "p1"}}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		target int64
		gone   string // an object absent at target
	}{{1, "index id_map_state"}, {0, "table records"}, {latest(), ""}, {0, "table runs"}, {2, ""}}
	for _, st := range steps {
		if err := s.Migrate(ctx, st.target); err != nil {
			t.Fatalf("migrate to %d: %v", st.target, err)
		}
		wantVersion(t, s, st.target)
		objs := schemaObjects(t, s)
		if st.target == 0 && len(objs) != 0 {
			t.Errorf("at version 0 the schema still holds %v", objs)
		}
		if st.gone != "" && strings.Contains(strings.Join(objs, ","), st.gone) {
			t.Errorf("at version %d %s still exists", st.target, st.gone)
		}
	}
	if d := cmp.Diff(full, schemaObjects(t, s)); d != "" {
		t.Errorf("schema after down and up differs (-first +again):\n%s", d)
	}
	n, err := s.CountRecords(ctx, "")
	if err != nil || n != 0 {
		t.Errorf("records after migrating down and up: %d, %v; want 0 (tables were dropped)", n, err)
	}
	for _, bad := range []int64{-1, latest() + 1} {
		if err := s.Migrate(ctx, bad); err == nil {
			t.Errorf("migrate to %d: no error", bad)
		}
	}
}

// legacyVersion rewrites a store's version bookkeeping into the form ferry's earlier
// hand-written migrator left: a one-row schema_version table and no goose table.
func legacyVersion(t *testing.T, s *Store, version, dirty, from int) {
	t.Helper()
	_, err := s.w.Exec(`DROP TABLE goose_db_version;
		CREATE TABLE schema_version (only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
			version INTEGER NOT NULL, dirty INTEGER NOT NULL, from_version INTEGER NOT NULL);
		INSERT INTO schema_version VALUES (1, ?, ?, ?)`, version, dirty, from)
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenAdoptsLegacyVersions opens workspaces made by the earlier migrator: a clean
// version 2, and a version 1 whose step to 2 died halfway (dirty). Data stays; goose takes over.
func TestOpenAdoptsLegacyVersions(t *testing.T) {
	for _, c := range []struct {
		name                     string
		at, version, dirty, from int
	}{{"clean", 2, 2, 0, 0}, {"dirty step 1 to 2", 1, 2, 1, 1}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(t.Context(), int64(c.at)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.PutRecords(t.Context(), []source.Record{{Kind: source.Person, ID: "p1"}}); err != nil {
				t.Fatal(err)
			}
			legacyVersion(t, s, c.version, c.dirty, c.from)
			s.Close()
			s = openPath(t, path)
			wantVersion(t, s, latest())
			objs := strings.Join(schemaObjects(t, s), ",")
			if strings.Contains(objs, "schema_version") || !strings.Contains(objs, "index id_map_state") {
				t.Errorf("schema after adopting the legacy version: %s", objs)
			}
			if _, err := s.GetRecord(t.Context(), source.Person, "p1"); err != nil {
				t.Errorf("record after adopting the legacy version: %v", err)
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := openPath(t, path)
	if _, err := s.w.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, 1)`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("open a version-99 database: %v; want a newer-schema error", err)
	}
}

// TestConcurrentOpensMigrateOnce opens one new file from several goroutines at once: the
// migration lock makes one migrate and the others find the schema current.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			s, err := Open(path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent open: %v", err)
		}
	}
	wantVersion(t, openPath(t, path), latest())
}

func TestLatestMatchesFiles(t *testing.T) {
	if latest() != 2 {
		t.Errorf("latest() = %d, want 2 (migrations/00001_init.sql, 00002_indexes.sql)", latest())
	}
}
