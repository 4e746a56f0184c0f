package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is the content of ferry.yaml.
type Config struct {
	// Store is where the state lives: empty for .ferry/state.db in the workspace, or a
	// postgres:// URL (without a password) shared by several machines. FERRY_STORE_URL
	// overrides it.
	Store string `yaml:"store"`
	// Migration names this workspace's migration in a shared store (its schema there);
	// empty means the workspace folder's name.
	Migration string          `yaml:"migration"`
	Source    SourceConfig    `yaml:"source"`
	Pipedrive PipedriveConfig `yaml:"pipedrive"`
}

// SourceConfig describes the Klipy side.
type SourceConfig struct {
	KlipyBaseURL       string `yaml:"klipy_base_url"`
	KlipyAPI           string `yaml:"klipy_api"`
	KlipyPageSize      int    `yaml:"klipy_page_size"`
	Harvest            string `yaml:"harvest"`
	DefaultPhoneRegion string `yaml:"default_phone_region"`
}

// PipedriveConfig describes the destination.
type PipedriveConfig struct {
	CompanyDomain string `yaml:"company_domain"`
	Plan          string `yaml:"plan"`
	Seats         int    `yaml:"seats"`
	TopUpTokens   int    `yaml:"top_up_tokens"`
	Auth          string `yaml:"auth"`
	FallbackOwner string `yaml:"fallback_owner"`
}

// Plans lists the Pipedrive plans with their daily-budget multiplier and burst limits per
// 2-second window (API token, OAuth), from Pipedrive's rate-limiting documentation.
var Plans = map[string]struct{ Multiplier, BurstToken, BurstOAuth int }{
	"lite":     {1, 20, 80},
	"growth":   {2, 40, 160},
	"premium":  {5, 100, 400},
	"ultimate": {7, 120, 480},
}

// DailyBudget returns 30,000 × plan multiplier × seats + top-ups, the documented daily token budget.
func (p PipedriveConfig) DailyBudget() int {
	return 30000*Plans[p.Plan].Multiplier*p.Seats + p.TopUpTokens
}

// ParseConfig decodes and validates ferry.yaml; errors name the file and line.
func ParseConfig(path string, data []byte) (Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	applyDefaults(&cfg)
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

func applyDefaults(c *Config) {
	if c.Source.KlipyAPI == "" {
		c.Source.KlipyAPI = "auto"
	}
	if c.Source.DefaultPhoneRegion == "" {
		c.Source.DefaultPhoneRegion = "US"
	}
	if c.Pipedrive.Plan == "" {
		c.Pipedrive.Plan = "growth"
	}
	if c.Pipedrive.Seats == 0 {
		c.Pipedrive.Seats = 1
	}
	if c.Pipedrive.Auth == "" {
		c.Pipedrive.Auth = "api_token"
	}
}

func (c Config) validate() error {
	var errs []error
	if !oneOf(c.Source.KlipyAPI, "auto", "new", "old") {
		errs = append(errs, fmt.Errorf("source.klipy_api %q: allowed values are auto, new, old", c.Source.KlipyAPI))
	}
	if n := c.Source.KlipyPageSize; n < 0 || n > 1000 {
		errs = append(errs, fmt.Errorf("source.klipy_page_size %d: allowed are 1 to 1000, or 0 for the default (100, lowered when Klipy refuses it)", n))
	}
	if r := c.Source.DefaultPhoneRegion; len(r) != 2 || strings.ToUpper(r) != r {
		errs = append(errs, fmt.Errorf("source.default_phone_region %q: want a two-letter upper-case ISO 3166 region such as US or GB", r))
	}
	if _, ok := Plans[c.Pipedrive.Plan]; !ok {
		errs = append(errs, fmt.Errorf("pipedrive.plan %q: allowed values are lite, growth, premium, ultimate", c.Pipedrive.Plan))
	}
	if c.Pipedrive.Seats < 1 {
		errs = append(errs, fmt.Errorf("pipedrive.seats %s: must be at least 1", strconv.Itoa(c.Pipedrive.Seats)))
	}
	if !oneOf(c.Pipedrive.Auth, "api_token", "oauth") {
		errs = append(errs, fmt.Errorf("pipedrive.auth %q: allowed values are api_token, oauth", c.Pipedrive.Auth))
	}
	errs = append(errs, checkStoreURL(c.Store))
	return errors.Join(errs...)
}

// checkStoreURL accepts an empty store or a postgres:// URL without a password: ferry.yaml
// holds no secret (the password goes in PGPASSWORD, ~/.pgpass or FERRY_STORE_URL).
func checkStoreURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Errorf("store: want empty (the local .ferry/state.db) or postgres://user@host:port/database")
	}
	if _, ok := u.User.Password(); ok || u.Query().Has("password") {
		return fmt.Errorf("store: the URL carries a password, and ferry.yaml holds no secret: remove it and set PGPASSWORD (or ~/.pgpass), or put the whole URL in FERRY_STORE_URL")
	}
	return nil
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
