package oauth

import (
	"encoding/json"
	"errors"
	"ferry/internal/atomicfile"
	"fmt"
	"os"
	"path/filepath"
)

// FileStore keeps each login in Dir/KEY.json, readable by the owner only (0600 files in a
// 0700 directory), written atomically (temporary file, fsync, rename).
type FileStore struct{ Dir string }

// Where names the directory.
func (f FileStore) Where() string { return f.Dir }

func (f FileStore) path(key string) string { return filepath.Join(f.Dir, key+".json") }

// Load reads the login under key.
func (f FileStore) Load(key string) (Login, error) {
	b, err := os.ReadFile(f.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return Login{}, ErrNoLogin
	}
	if err != nil {
		return Login{}, fmt.Errorf("oauth: read login %s: %w", f.path(key), err)
	}
	var l Login
	if err := json.Unmarshal(b, &l); err != nil {
		return Login{}, fmt.Errorf("oauth: login file %s is unreadable (run ferry login pipedrive again): %w", f.path(key), err)
	}
	return l, nil
}

// Save writes the login under key, replacing any earlier one.
func (f FileStore) Save(key string, l Login) error {
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return fmt.Errorf("oauth: create %s: %w", f.Dir, err)
	}
	if err := os.Chmod(f.Dir, 0o700); err != nil {
		return fmt.Errorf("oauth: restrict %s to its owner: %w", f.Dir, err)
	}
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("oauth: encode login: %w", err)
	}
	if err := atomicfile.WriteBytes(f.path(key), 0o600, b); err != nil {
		return fmt.Errorf("oauth: save login: %w", err)
	}
	return nil
}

// Delete removes the login under key.
func (f FileStore) Delete(key string) error {
	if err := os.Remove(f.path(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("oauth: delete login %s: %w", f.path(key), err)
	}
	return nil
}
