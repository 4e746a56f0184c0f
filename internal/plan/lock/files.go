package lock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ferry/internal/store"
)

// maxStoredFile bounds the plan files whose content SaveFiles keeps (dedupe.json reaches
// hundreds of megabytes at a million people; its hash is in the lock all the same).
const maxStoredFile = 16 << 20

// FileCursor is the store cursor holding the confirmed content of the plan file named base.
func FileCursor(base string) string { return "plan.file." + base }

// SaveFiles stores the confirmed content of each plan file (up to 16 MB each; an absent
// dedupe.json stores nothing), so that a machine sharing the store can be told exactly what
// differs in its copy (Check) and the confirmed plan is kept beside the lock.
func SaveFiles(ctx context.Context, st store.Store, f Files) error {
	for _, path := range []string{f.Mapping, f.Decisions, f.Dedupe, f.Columns} {
		if path == "" {
			continue
		}
		fi, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) || err == nil && fi.Size() > maxStoredFile {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("store the confirmed plan: %w", err)
		}
		if err := st.PutCursor(ctx, FileCursor(filepath.Base(path)), string(data)); err != nil {
			return fmt.Errorf("store the confirmed plan: %w", err)
		}
	}
	return nil
}

// describeEdit says how the plan file at path differs from its confirmed content, when the
// store holds it: the first line that differs, both versions. "" when unknown.
func describeEdit(ctx context.Context, st store.Store, path string) string {
	stored, err := st.GetCursor(ctx, FileCursor(filepath.Base(path)))
	if err != nil {
		return ""
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	a, b := strings.Split(stored, "\n"), strings.Split(string(cur), "\n")
	for i := 0; i < max(len(a), len(b)); i++ {
		var was, now string
		if i < len(a) {
			was = a[i]
		}
		if i < len(b) {
			now = b[i]
		}
		if i >= len(a) || i >= len(b) || was != now {
			return fmt.Sprintf(" (line %d: confirmed %q, now %q)", i+1, clip(was), clip(now))
		}
	}
	return ""
}

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}
