package sqlite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/source"
)

func TestOpenRefusesOtherThanFilePaths(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:state.db", "state.db?mode=ro"} {
		if s, err := Open(path); err == nil {
			s.Close()
			t.Errorf("Open(%q): no error, want a refusal", path)
		}
	}
}

func TestOpenCreatesPrivateFileAndKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	rec := source.Record{Kind: source.Company, ID: "c1", Channel: source.API, Fields: map[string]string{"name": "Acme"}}
	if _, err := s.PutRecords(ctx, []source.Record{rec}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("state file mode %v, want 0600 (it holds customer data)", mode)
	}
	s = openPath(t, path)
	if _, err := s.GetRecord(ctx, source.Company, "c1"); err != nil {
		t.Errorf("record after reopening: %v", err)
	}
	var mode string
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		t.Errorf("journal mode %q, %v; want wal", mode, err)
	}
}

func TestReadersCannotWrite(t *testing.T) {
	s := newTemp(t)
	if _, err := s.r.Exec(`INSERT INTO cursors VALUES ('x', 'y')`); err == nil {
		t.Error("a write through the read-only pool succeeded")
	}
}
