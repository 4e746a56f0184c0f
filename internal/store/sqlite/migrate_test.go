package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// schemaObjects lists the tables and indexes the migrations made (not SQLite's own, not the
// version table).
func schemaObjects(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.w.Query(`SELECT type || ' ' || name FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY type, name`)
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

func wantVersion(t *testing.T, s *Store, want int) {
	t.Helper()
	v, dirty, err := s.Version(t.Context())
	if err != nil || v != want || dirty {
		t.Fatalf("Version() = %d, dirty %v, %v; want %d, clean", v, dirty, err, want)
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
		target int
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
	for _, bad := range []int{-1, latest() + 1} {
		if err := s.Migrate(ctx, bad); err == nil {
			t.Errorf("migrate to %d: no error", bad)
		}
	}
}

func TestMigrateHealsDirtyMark(t *testing.T) {
	s := newTemp(t)
	ctx := t.Context()
	if err := s.Migrate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// A process died after marking step 1→2 dirty; the step's transaction never committed.
	if _, err := s.w.Exec(`UPDATE schema_version SET version = 2, dirty = 1, from_version = 1`); err != nil {
		t.Fatal(err)
	}
	if v, dirty, _ := s.Version(ctx); v != 2 || !dirty {
		t.Fatalf("Version() = %d, %v after the simulated crash; want 2, dirty", v, dirty)
	}
	defer func(d time.Duration) { dirtyWait = d }(dirtyWait)
	dirtyWait = 10 * time.Millisecond
	if err := s.Migrate(ctx, latest()); err != nil {
		t.Fatal(err)
	}
	wantVersion(t, s, latest())
	if !strings.Contains(strings.Join(schemaObjects(t, s), ","), "index id_map_state") {
		t.Error("step 1→2 was not applied after healing the dirty mark")
	}
}

func TestMigrateFailedStepRollsBack(t *testing.T) {
	s := newTemp(t)
	ctx := t.Context()
	bad := append(append([]migration(nil), migrations...), migration{version: latest() + 1, name: "bad",
		up: "CREATE TABLE half (a); INSERT INTO no_such_table VALUES (1);", down: "DROP TABLE half;"})
	err := migrate(ctx, s.w, bad, latest()+1)
	if err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("migrate with a failing step: %v; want the step's error", err)
	}
	wantVersion(t, s, latest())
	if objs := strings.Join(schemaObjects(t, s), ","); strings.Contains(objs, "half") {
		t.Errorf("the failed step left table half behind: %s", objs)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := openPath(t, path)
	if _, err := s.w.Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("open a version-99 database: %v; want a newer-schema error", err)
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(body)} }
	cases := []struct {
		name  string
		files fstest.MapFS
		want  string // error substring, "" for success
	}{
		{"ok", fstest.MapFS{"migrations/0001_a.up.sql": file("x"), "migrations/0001_a.down.sql": file("y"),
			"migrations/0002_b.up.sql": file("x"), "migrations/0002_b.down.sql": file("y")}, ""},
		{"bad name", fstest.MapFS{"migrations/1_a.up.sql": file("x")}, "name must look like"},
		{"gap", fstest.MapFS{"migrations/0002_a.up.sql": file("x"), "migrations/0002_a.down.sql": file("y")}, "without gaps"},
		{"no down", fstest.MapFS{"migrations/0001_a.up.sql": file("x")}, "no down file"},
		{"empty up", fstest.MapFS{"migrations/0001_a.up.sql": file(""), "migrations/0001_a.down.sql": file("y")}, "no up file"},
		{"two names", fstest.MapFS{"migrations/0001_a.up.sql": file("x"), "migrations/0001_b.down.sql": file("y")}, "already named"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms, err := loadMigrations(c.files)
			if c.want == "" {
				if err != nil || len(ms) != 2 || ms[1].version != 2 || ms[1].name != "b" {
					t.Errorf("loadMigrations = %+v, %v; want versions 1 and 2", ms, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("loadMigrations error %v; want one containing %q", err, c.want)
			}
		})
	}
}
