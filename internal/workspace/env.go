package workspace

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Env holds the secrets and endpoints ferry takes from the environment. Its String method never
// prints a secret.
type Env struct {
	PipedriveToken, PipedriveDomain, PipedriveBaseURL string
	KlipyKey, KlipyBaseURL, KlipyWebhookSecret        string

	// PipedriveBurst overrides the plan's burst limit (requests per 2 s) from
	// FERRY_PIPEDRIVE_BURST: for a sandbox started with its limits off. 0 keeps the plan's.
	PipedriveBurst int
}

// LoadEnv reads the documented environment variables.
func LoadEnv() Env {
	return Env{
		PipedriveToken:     os.Getenv("PIPEDRIVE_API_TOKEN"),
		PipedriveDomain:    os.Getenv("PIPEDRIVE_COMPANY_DOMAIN"),
		PipedriveBaseURL:   os.Getenv("PIPEDRIVE_BASE_URL"),
		KlipyKey:           os.Getenv("KLIPY_API_KEY"),
		KlipyBaseURL:       os.Getenv("KLIPY_BASE_URL"),
		KlipyWebhookSecret: os.Getenv("KLIPY_WEBHOOK_SECRET"),
		PipedriveBurst:     atoiOr0(os.Getenv("FERRY_PIPEDRIVE_BURST")),
	}
}

func atoiOr0(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// PipedriveURL returns the Pipedrive base URL (without /api/v1): PIPEDRIVE_BASE_URL, else the
// company domain from the environment or the config.
func (e Env) PipedriveURL(cfg Config) (string, error) {
	if e.PipedriveBaseURL != "" {
		return strings.TrimRight(e.PipedriveBaseURL, "/"), nil
	}
	domain := e.PipedriveDomain
	if domain == "" {
		domain = cfg.Pipedrive.CompanyDomain
	}
	if domain == "" {
		return "", fmt.Errorf("no Pipedrive address: set PIPEDRIVE_COMPANY_DOMAIN or pipedrive.company_domain in ferry.yaml (or PIPEDRIVE_BASE_URL for a sandbox)")
	}
	domain = strings.TrimSuffix(strings.TrimPrefix(domain, "https://"), ".pipedrive.com")
	return "https://" + domain + ".pipedrive.com", nil
}

// KlipyURL returns the Klipy API base URL.
func (e Env) KlipyURL(cfg Config) string {
	switch {
	case e.KlipyBaseURL != "":
		return strings.TrimRight(e.KlipyBaseURL, "/")
	case cfg.Source.KlipyBaseURL != "":
		return strings.TrimRight(cfg.Source.KlipyBaseURL, "/")
	}
	return "https://api.klipy.ai/api/v1"
}

// String describes which variables are set without revealing any value.
func (e Env) String() string {
	set := func(v string) string {
		if v == "" {
			return "unset"
		}
		return "set"
	}
	return fmt.Sprintf("PIPEDRIVE_API_TOKEN=%s KLIPY_API_KEY=%s KLIPY_WEBHOOK_SECRET=%s",
		set(e.PipedriveToken), set(e.KlipyKey), set(e.KlipyWebhookSecret))
}
