package dedupe

import (
	"strings"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// keyStats counts values that could not become keys.
type keyStats struct {
	invalidEmails, genericEmails, invalidPhones, invalidLinkedIn, invalidDomains int
}

func (s *keyStats) addAll(o keyStats) {
	s.invalidEmails += o.invalidEmails
	s.genericEmails += o.genericEmails
	s.invalidPhones += o.invalidPhones
	s.invalidLinkedIn += o.invalidLinkedIn
	s.invalidDomains += o.invalidDomains
}

// regions resolves the phone region of a person.
type regions struct {
	company map[string]string // company id → ISO region
	// byName maps a company's normalized name to its ISO region ("" when companies of that
	// name are in different regions): people of an export that names its company only by
	// name (no company_id) read national phone numbers in their company's region too.
	byName map[string]string
	def    string
}

// addName records the region of a company by its normalized name.
func (g *regions) addName(name, region string) {
	if prev, seen := g.byName[name]; seen && prev != region {
		region = ""
	}
	g.byName[name] = region
}

// of returns the region of a person record: its own country, its company's (by id, else by
// name), else the default.
func (g *regions) of(f map[string]string) string {
	if r, ok := normalize.Region(f["country"]); ok {
		return r
	}
	if r := g.company[f["company_id"]]; r != "" {
		return r
	}
	if n := normalize.CompanyName(f["company_name"]); n != "" && g.byName[n] != "" {
		return g.byName[n]
	}
	return g.def
}

// phoneKey normalises a phone in region, falling back to the default region.
func (g *regions) phoneKey(raw, region string) (string, bool) {
	e, ext, ok := normalize.PhoneExt(raw, region)
	if !ok && region != g.def {
		e, ext, ok = normalize.PhoneExt(raw, g.def)
	}
	if !ok {
		return "", false
	}
	if ext != "" {
		e += ";ext=" + ext
	}
	return e, true
}

// personKeys returns the normalised keys of a person record.
func personKeys(f map[string]string, g *regions, st *keyStats) []classKey {
	var keys []classKey
	for _, raw := range source.List(f["email"]) {
		e, ok := normalize.Email(raw)
		switch {
		case !ok:
			st.invalidEmails++
		case normalize.IsGenericEmail(e):
			st.genericEmails++
			keys = append(keys, classKey{kGeneric, e})
		default:
			keys = append(keys, classKey{kEmail, e})
		}
	}
	region := g.of(f)
	for _, raw := range source.List(f["phone"]) {
		if p, ok := g.phoneKey(raw, region); ok {
			keys = append(keys, classKey{kPhone, p})
		} else {
			st.invalidPhones++
		}
	}
	if raw := strings.TrimSpace(f["linkedin_url"]); raw != "" {
		if l, ok := normalize.LinkedIn(raw); ok {
			keys = append(keys, classKey{kLinkedIn, l})
		} else {
			st.invalidLinkedIn++
		}
	}
	return keys
}

// companyKeys returns the normalised keys of a company record.
func companyKeys(f map[string]string, st *keyStats) []classKey {
	var keys []classKey
	for _, field := range []string{"domain", "website"} {
		raw := strings.TrimSpace(f[field])
		if raw == "" {
			continue
		}
		d, ok := normalize.Domain(raw)
		if !ok {
			st.invalidDomains++
			continue
		}
		if !normalize.IsSharedDomain(d) && (len(keys) == 0 || keys[0].key != d) {
			keys = append(keys, classKey{kDomain, d})
		}
	}
	if n := normalize.CompanyName(f["name"]); n != "" {
		keys = append(keys, classKey{kName, n})
	}
	return keys
}
