package harvest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// SynthPrefix starts every id the reader synthesizes for a file without an id column.
const SynthPrefix = "syn-"

// NaturalKey describes, per kind, what a synthesized id is made of (brief "Shared contracts").
var NaturalKey = map[source.Kind]string{
	source.Owner:   "email, else name",
	source.Person:  "email, else name + company",
	source.Company: "registrable domain (domain, else website), else normalized name",
	source.Deal:    "name + company + created",
}

// naturalKey returns the natural key of a record of kind without an id, in its comparison
// form ("email:ada@acme.com", "name:ada lovelace|acme"), or "" when its fields give none.
func naturalKey(kind source.Kind, f map[string]string) string {
	email := func() string {
		if e, ok := normalize.Email(f["email"]); ok {
			return "email:" + e
		}
		if e := strings.ToLower(strings.TrimSpace(f["email"])); e != "" {
			return "email:" + e
		}
		return ""
	}
	company := func() string {
		if c := normalize.CompanyName(f["company_name"]); c != "" {
			return c
		}
		return strings.TrimSpace(f["company_id"])
	}
	switch kind {
	case source.Owner:
		if k := email(); k != "" {
			return k
		}
		if n := normalize.Name(f["name"], ""); n != "" {
			return "name:" + n
		}
	case source.Person:
		if k := email(); k != "" {
			return k
		}
		if n := normalize.Name(f["first_name"], f["last_name"]); n != "" {
			return "name:" + n + "|" + company()
		}
	case source.Company:
		for _, col := range []string{"domain", "website"} {
			if d, ok := normalize.Domain(f[col]); ok {
				return "domain:" + d
			}
		}
		if n := normalize.CompanyName(f["name"]); n != "" {
			return "name:" + n
		}
	case source.Deal:
		if n := normalize.Name(f["name"], ""); n != "" {
			return "deal:" + n + "|" + company() + "|" + strings.TrimSpace(f["created_at"])
		}
	}
	return ""
}

// contentKey is the natural key of a row that has no better one: its fields, in name order.
func contentKey(f map[string]string) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("row")
	for _, k := range keys {
		fmt.Fprintf(&b, "\x00%s\x01%s", k, strings.TrimSpace(f[k]))
	}
	return b.String()
}

// SynthID is the id of a record of kind whose natural key is key (in its comparison form,
// "name:acme" for a company known only by its normalized name): SynthPrefix and 16 hex
// digits of its SHA-256, the same on every extract of the same data.
func SynthID(kind source.Kind, key string) string { return synthID(kind, key) }

// synthID is SynthID.
func synthID(kind source.Kind, key string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + key))
	return SynthPrefix + hex.EncodeToString(sum[:8])
}

// synthesize gives a record without an id column its id from its natural key (else from its
// content). The nth row with a key already seen in this file gets "-n" appended, so that
// duplicates stay separate records (the planner's dedupe merges them) and stay stable
// while the file's row order does; dup reports such a row.
func (r *rowReader) synthesize(fields map[string]string) (id string, dup bool) {
	key := naturalKey(r.kind, fields)
	if key == "" {
		key = contentKey(fields)
	}
	id = synthID(r.kind, key)
	if n := r.keys.bump(id); n > 1 {
		return fmt.Sprintf("%s-%d", id, n), true
	}
	return id, false
}
