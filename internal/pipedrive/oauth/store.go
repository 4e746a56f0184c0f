package oauth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/oauth2"
)

// ErrNoLogin is returned by Store.Load when there is no login under the key.
var ErrNoLogin = errors.New("oauth: not logged in")

// Login is what a successful login leaves behind. It holds secrets: it is only ever kept in a
// Store, never printed.
type Login struct {
	Workspace string        `json:"workspace"` // the workspace it belongs to, for people reading the store
	ClientID  string        `json:"client_id"`
	APIDomain string        `json:"api_domain"` // base URL of the account, from the token answer
	Scope     string        `json:"scope,omitempty"`
	Token     *oauth2.Token `json:"token"`
	Updated   time.Time     `json:"updated"`
}

// String describes the login without its tokens.
func (l Login) String() string {
	return fmt.Sprintf("oauth.Login{Workspace: %q, APIDomain: %q, tokens: redacted}", l.Workspace, l.APIDomain)
}

// GoString is String, for %#v.
func (l Login) GoString() string { return l.String() }

// Store keeps logins outside the workspace. Load returns ErrNoLogin for an unknown key;
// Delete of an unknown key is not an error.
type Store interface {
	Load(key string) (Login, error)
	Save(key string, l Login) error
	Delete(key string) error
	// Where says where logins are kept, for messages ("the OS keychain", a directory).
	Where() string
}

// Key is the store key of a workspace: a digest of its absolute path.
func Key(workspaceDir string) (string, error) {
	abs, err := filepath.Abs(workspaceDir)
	if err != nil {
		return "", fmt.Errorf("oauth: workspace path %s: %w", workspaceDir, err)
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	return "ws-" + hex.EncodeToString(sum[:12]), nil
}

// DefaultStore is the OS keychain when it works on this machine, else FileStore in the user's
// config directory (FERRY_CONFIG_DIR overrides the directory, for tests and CI).
func DefaultStore() (Store, error) {
	dir := os.Getenv("FERRY_CONFIG_DIR")
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return nil, fmt.Errorf("oauth: no user config directory to keep the login in (set FERRY_CONFIG_DIR): %w", err)
		}
		dir = filepath.Join(base, "ferry")
	}
	files := FileStore{Dir: filepath.Join(dir, "logins")}
	if os.Getenv("FERRY_CONFIG_DIR") == "" && keychainWorks() {
		return chain{keychain{}, files}, nil
	}
	return files, nil
}

// keychainService names ferry's entries in the OS keychain.
const keychainService = "ferry-pipedrive-oauth"

// keychainWorks reports whether the OS keychain answers (it does not on a headless Linux).
func keychainWorks() bool {
	_, err := keyring.Get(keychainService, "probe")
	return err == nil || errors.Is(err, keyring.ErrNotFound)
}

// keychain keeps logins in the OS keychain.
type keychain struct{}

func (keychain) Where() string { return "the OS keychain" }

func (keychain) Load(key string) (Login, error) {
	s, err := keyring.Get(keychainService, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return Login{}, ErrNoLogin
	}
	if err != nil {
		return Login{}, fmt.Errorf("oauth: read the OS keychain: %w", err)
	}
	var l Login
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return Login{}, fmt.Errorf("oauth: the login in the OS keychain is unreadable (run ferry login pipedrive again): %w", err)
	}
	return l, nil
}

func (keychain) Save(key string, l Login) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("oauth: encode login: %w", err)
	}
	if err := keyring.Set(keychainService, key, string(b)); err != nil {
		return fmt.Errorf("oauth: write the OS keychain: %w", err)
	}
	return nil
}

func (keychain) Delete(key string) error {
	if err := keyring.Delete(keychainService, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("oauth: delete from the OS keychain: %w", err)
	}
	return nil
}

// chain saves to the first store that takes the login and loads from the first that has it.
type chain []Store

func (c chain) Where() string { return c[0].Where() }

func (c chain) Load(key string) (Login, error) {
	var errs []error
	for _, s := range c {
		l, err := s.Load(key)
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, ErrNoLogin) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return Login{}, errors.Join(errs...)
	}
	return Login{}, ErrNoLogin
}

func (c chain) Save(key string, l Login) error {
	var errs []error
	for _, s := range c {
		err := s.Save(key, l)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (c chain) Delete(key string) error {
	var errs []error
	for _, s := range c {
		errs = append(errs, s.Delete(key))
	}
	return errors.Join(errs...)
}
