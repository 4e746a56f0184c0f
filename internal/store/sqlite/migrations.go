package sqlite

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
)

// migration is one schema version: the SQL that reaches it from the one before (up) and the SQL
// that goes back (down).
type migration struct {
	version  int
	name     string
	up, down string
}

// migrationName matches "0001_init.up.sql": a four-digit version, a name, a direction.
var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$`)

// loadMigrations reads every migrations/*.sql file of fsys. Versions must run 1, 2, 3... without
// a gap, each with exactly one name and both an up and a down file; anything else is an error
// naming the file.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	paths, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	byVersion := map[int]*migration{}
	for _, p := range paths {
		if err := addMigrationFile(fsys, p, byVersion); err != nil {
			return nil, err
		}
	}
	return orderMigrations(byVersion)
}

func addMigrationFile(fsys fs.FS, p string, byVersion map[int]*migration) error {
	base := p[len("migrations/"):]
	m := migrationName.FindStringSubmatch(base)
	if m == nil {
		return fmt.Errorf("load migrations: file %s: name must look like 0001_name.up.sql or 0001_name.down.sql", p)
	}
	version, _ := strconv.Atoi(m[1])
	body, err := fs.ReadFile(fsys, p)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	cur := byVersion[version]
	if cur == nil {
		cur = &migration{version: version, name: m[2]}
		byVersion[version] = cur
	}
	if cur.name != m[2] {
		return fmt.Errorf("load migrations: file %s: version %d is already named %q", p, version, cur.name)
	}
	if m[3] == "up" {
		cur.up = string(body)
	} else {
		cur.down = string(body)
	}
	return nil
}

func orderMigrations(byVersion map[int]*migration) ([]migration, error) {
	versions := make([]int, 0, len(byVersion))
	for v := range byVersion {
		versions = append(versions, v)
	}
	sort.Ints(versions)
	out := make([]migration, 0, len(versions))
	for i, v := range versions {
		m := byVersion[v]
		switch {
		case v != i+1:
			return nil, fmt.Errorf("load migrations: version %d follows %d; versions must start at 1 without gaps", v, i)
		case m.up == "":
			return nil, fmt.Errorf("load migrations: version %d (%s) has no up file or it is empty", v, m.name)
		case m.down == "":
			return nil, fmt.Errorf("load migrations: version %d (%s) has no down file or it is empty", v, m.name)
		}
		out = append(out, *m)
	}
	return out, nil
}
