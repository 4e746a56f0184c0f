package normalize

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// LinkedInPrefix starts every canonical profile URL.
const LinkedInPrefix = "https://www.linkedin.com/in/"

// LinkedIn returns the canonical URL of a LinkedIn member profile,
// "https://www.linkedin.com/in/<slug>": http or no scheme, a country or mobile subdomain
// (uk.linkedin.com, m.linkedin.com), case, a trailing slash, sub-pages (/details/…), the
// query and the fragment are dropped; a percent-encoded slug is decoded, lowercased and
// re-encoded. It reports false for anything that is not a /in/ profile (company pages,
// /pub/ legacy URLs, other sites) and for a slug with characters LinkedIn does not allow.
func LinkedIn(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n") {
		return "", false
	}
	if !strings.Contains(s, "://") {
		s = "https://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !linkedInHost(u.Hostname()) {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || strings.ToLower(parts[0]) != "in" {
		return "", false
	}
	slug := strings.ToLower(norm.NFC.String(parts[1]))
	if !validSlug(slug) {
		return "", false
	}
	return LinkedInPrefix + url.PathEscape(slug), true
}

// linkedInHost reports whether h is linkedin.com or one of its subdomains.
func linkedInHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	return h == "linkedin.com" || strings.HasSuffix(h, ".linkedin.com")
}

// validSlug reports whether a decoded profile slug uses letters, digits, '-', '_' and '.'.
func validSlug(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return true
}
