package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Email returns the canonical form of an email address: display name ("Jane Doe"
// <jane@acme.com>), a mailto: scheme and its query, surrounding whitespace and trailing
// list punctuation removed, NFC, lowercased, the domain in its ASCII (punycode) form. It
// reports false unless the result has exactly one @, a non-empty local part without spaces
// or special characters, and a domain of at least two non-empty labels. Sub-addresses
// (jane+crm@) and dots in the local part are kept: they are different mailboxes for most
// providers.
func Email(raw string) (string, bool) {
	s := stripDisplay(strings.TrimSpace(raw))
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(strings.TrimSpace(s), ".,;:")
	if !utf8.ValidString(s) {
		return "", false
	}
	if !isASCII(s) {
		s = norm.NFC.String(s)
	}
	s = strings.ToLower(s)
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") || !validLocal(local) {
		return "", false
	}
	host, ok := emailHost(domain)
	if !ok {
		return "", false
	}
	return local + "@" + host, true
}

// stripDisplay returns the address inside angle brackets when s has a display name.
func stripDisplay(s string) string {
	open := strings.LastIndexByte(s, '<')
	if open < 0 {
		return s
	}
	rest := s[open+1:]
	if end := strings.IndexByte(rest, '>'); end >= 0 {
		return rest[:end]
	}
	return rest
}

// validLocal reports whether the local part is a plausible unquoted mailbox name.
func validLocal(l string) bool {
	if l == "" || len(l) > 64 || l[0] == '.' || l[len(l)-1] == '.' || strings.Contains(l, "..") {
		return false
	}
	for _, r := range l {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"(),:;<>[\]`, r) ||
			r == utf8.RuneError {
			return false
		}
	}
	return true
}

// emailHost validates and canonicalises the domain of an address.
func emailHost(d string) (string, bool) {
	a, ok := toASCII(strings.TrimSuffix(d, "."))
	if !ok || !strings.Contains(a, ".") {
		return "", false
	}
	return a, true
}

// toASCII returns a lowercase host in its ASCII form and reports whether it is a valid host
// name; plain ASCII names skip the IDNA mapping, which leaves them unchanged.
func toASCII(h string) (string, bool) {
	if !isASCII(h) {
		a, err := idna.Lookup.ToASCII(h)
		if err != nil {
			return "", false
		}
		h = a
	}
	return h, validHost(h)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validHost reports whether h is an ASCII host name of letters, digits and hyphens.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// EmailDomain returns the registrable domain of an address's company (jane@eu.acme.co.uk →
// acme.co.uk). It reports false for an invalid address and for free-mail and other shared
// providers (gmail.com, outlook.com, yahoo.co.uk, …), whose domain says nothing about the
// person's company.
func EmailDomain(raw string) (string, bool) {
	e, ok := Email(raw)
	if !ok {
		return "", false
	}
	d, ok := Domain(e[strings.LastIndexByte(e, '@')+1:])
	if !ok || IsSharedDomain(d) {
		return "", false
	}
	return d, true
}

// genericLocals are mailbox names that a team or a role shares rather than one person.
var genericLocals = setOf("info", "sales", "contact", "contacts", "hello", "hi", "admin",
	"support", "office", "team", "hr", "jobs", "careers", "marketing", "billing", "accounts",
	"accounting", "finance", "invoices", "noreply", "no-reply", "donotreply", "do-not-reply",
	"enquiries", "enquiry", "inquiries", "inquiry", "help", "service", "services", "mail",
	"email", "webmaster", "postmaster", "press", "reception", "orders", "booking", "bookings",
	"general", "kontakt", "vertrieb", "bonjour", "contacto", "ventas", "privacy", "legal",
	"partners", "feedback", "newsletter", "events", "it", "ops", "operations", "all", "staff")

// IsGenericEmail reports whether a canonical address (the output of Email) is a shared role
// mailbox such as info@, sales@ or noreply@ (a +suffix is ignored): such an address does not
// identify one person.
func IsGenericEmail(email string) bool {
	local, _, ok := strings.Cut(email, "@")
	if !ok {
		return false
	}
	local, _, _ = strings.Cut(local, "+")
	return genericLocals[local]
}

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
