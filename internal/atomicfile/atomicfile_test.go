package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name     string
		old      string // "" = no file before
		write    func(io.Writer) error
		perm     os.FileMode
		want     string
		wantErr  bool
		wantPerm os.FileMode
	}{
		{name: "new file", write: text("hello"), perm: 0o600, want: "hello", wantPerm: 0o600},
		{name: "replaces", old: "old", write: text("new"), perm: 0o644, want: "new", wantPerm: 0o644},
		{name: "failed write keeps the old file", old: "old", perm: 0o644, want: "old", wantErr: true, wantPerm: 0o644,
			write: func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("boom") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.yaml")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(path, tc.perm, tc.write)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Write error = %v, want error %v", err, tc.wantErr)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != tc.wantPerm {
				t.Errorf("mode = %v, want %v", st.Mode().Perm(), tc.wantPerm)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries, want only the file (no temporary left)", len(entries))
			}
		})
	}
}

func TestWriteNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "f.csv")
	err := WriteBytes(path, 0o600, []byte("x"))
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("WriteBytes into a missing directory = %v, want a wrapped not-exist error", err)
	}
	if got := err.Error(); !strings.Contains(got, path) {
		t.Errorf("error %q does not name %s", got, path)
	}
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}
