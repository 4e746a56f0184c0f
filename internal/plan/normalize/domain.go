package normalize

import (
	"net"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// Domain returns the registrable domain (eTLD+1 by the public suffix list) of a domain,
// host or URL: scheme, credentials, www. and other subdomains, port, path, query, fragment,
// a trailing dot and case are dropped and an internationalised name is put in its ASCII
// (punycode) form: "https://WWW.Acme.co.uk:8080/about" → "acme.co.uk". It reports false for
// an empty or malformed host, an IP address, a bare public suffix ("co.uk") and a top-level
// domain that is not on the list.
func Domain(raw string) (string, bool) {
	host, ok := hostOf(raw)
	if !ok {
		return "", false
	}
	a, ok := toASCII(host)
	if !ok || !strings.Contains(a, ".") {
		return "", false
	}
	suffix, icann := publicsuffix.PublicSuffix(a)
	if !icann && !strings.Contains(suffix, ".") {
		return "", false // only the default "*" rule matched: unknown TLD
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(a)
	if err != nil {
		return "", false
	}
	return d, true
}

// hostOf extracts the lowercase host name of a domain, host or URL.
func hostOf(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n") {
		return "", false
	}
	if !strings.Contains(s, "://") {
		s = "http://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "" || net.ParseIP(h) != nil {
		return "", false
	}
	return h, true
}

// sharedDomains are registrable domains many unrelated people or organisations use: free
// mail providers and sites that host profiles. They never identify a company.
var sharedDomains = setOf("gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
	"live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com",
	"aol.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "t-online.de", "proton.me",
	"protonmail.com", "pm.me", "mail.com", "mail.ru", "yandex.ru", "yandex.com", "qq.com",
	"163.com", "126.com", "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "orange.fr",
	"free.fr", "laposte.net", "wanadoo.fr", "libero.it", "btinternet.com", "comcast.net",
	"verizon.net", "att.net", "naver.com", "uol.com.br", "bol.com.br", "rediffmail.com",
	"linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "github.com",
	"google.com", "sites.google.com", "wixsite.com", "wordpress.com", "blogspot.com")

// sharedLabels are provider names registered under many country domains (yahoo.co.uk,
// hotmail.fr, outlook.de, …).
var sharedLabels = setOf("yahoo", "hotmail", "outlook", "live", "gmx", "aol", "msn", "yandex")

// IsSharedDomain reports whether a registrable domain (the output of Domain) belongs to a free
// mail provider or a profile-hosting site rather than to one organisation.
func IsSharedDomain(d string) bool {
	if sharedDomains[d] {
		return true
	}
	label, _, _ := strings.Cut(d, ".")
	return sharedLabels[label]
}
