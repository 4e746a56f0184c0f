// Package klipy is ferry's client for Klipy CRM's beta REST API and its resumable extraction.
//
// Klipy documents two API generations (see ref/klipy/NOTES.md §3):
//
//   - new: envelope {object, data, meta{request_id, api_version, timestamp}}, list paging through
//     page_info (cursor), key header X-Klipy-Api-Key or Authorization: Bearer, keys klipy_api_…;
//   - old: envelope {success, data}, key header X-KLIPY-API-KEY, keys klipy_pk_….
//
// The API exposes People (query, get), Companies (get by id only: there is no list) and
// Interactions (query, get). Client maps what it reads onto source.Record with the canonical
// field names of source.Standard; Extract walks all three resources, resumably.
//
// Limits: Klipy allows 200 requests per minute per key and 1,000 per organisation. Client paces
// itself to the per-key limit, honours X-RateLimit-* headers and retries 429 answers after
// Retry-After. The API key is sent only in request headers: it never appears in an error, a log
// line or a String/LogValue of Config.
package klipy

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// DefaultBaseURL is Klipy's current API base (NOTES.md §3).
const DefaultBaseURL = "https://api.klipy.ai/api/v1"

// Generation names a Klipy API generation.
type Generation string

// The generations; GenAuto detects the generation with GET /authenticate.
const (
	GenAuto Generation = "auto"
	GenNew  Generation = "new"
	GenOld  Generation = "old"
)

// Key prefixes of the two generations (NOTES.md §3).
const (
	NewKeyPrefix = "klipy_api_"
	OldKeyPrefix = "klipy_pk_"
)

// ParseGeneration parses "auto", "new" or "old" (empty means auto).
func ParseGeneration(s string) (Generation, error) {
	switch Generation(s) {
	case "", GenAuto:
		return GenAuto, nil
	case GenNew, GenOld:
		return Generation(s), nil
	}
	return "", fmt.Errorf("klipy api generation %q: allowed values are auto, new, old", s)
}

// Defaults of Config.
const (
	DefaultPageSize      = 100 // the most a query page may hold in the sandbox; Klipy's default is 20
	DefaultRatePerMinute = 200 // Klipy's per-key limit
	DefaultMaxRetries    = 8
)

// Config configures a Client. Zero fields take the defaults above.
type Config struct {
	BaseURL    string     // default DefaultBaseURL
	APIKey     string     // required; never logged or printed
	Generation Generation // auto (default), new or old
	Bearer     bool       // new generation: send Authorization: Bearer instead of X-Klipy-Api-Key
	PageSize   int        // query page size, default DefaultPageSize
	// RatePerMinute paces requests client-side; default DefaultRatePerMinute, negative disables.
	RatePerMinute int
	// MaxRetries bounds the retries of one request after 429, 5xx or a network error.
	MaxRetries int
	// Workers is how many company gets Extract runs at once (default 4); pacing still holds.
	Workers    int
	HTTPClient *http.Client // default: a client with a 60 s timeout
	Clock      Clock        // default: the real clock
}

// String describes the configuration without the API key.
func (c Config) String() string {
	return fmt.Sprintf("klipy.Config{BaseURL:%q Generation:%q APIKey:%s PageSize:%d RatePerMinute:%d}",
		c.BaseURL, c.Generation, redactedKey(c.APIKey), c.PageSize, c.RatePerMinute)
}

// GoString is String, so %#v does not print the key either.
func (c Config) GoString() string { return c.String() }

// LogValue makes slog print the configuration without the API key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.BaseURL),
		slog.String("generation", string(c.Generation)), slog.String("api_key", redactedKey(c.APIKey)))
}

func redactedKey(k string) string {
	if k == "" {
		return "(none)"
	}
	return "[redacted]"
}

func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.Generation == "" {
		c.Generation = GenAuto
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	if c.RatePerMinute == 0 {
		c.RatePerMinute = DefaultRatePerMinute
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if c.Clock == nil {
		c.Clock = realClock{}
	}
	return c
}
