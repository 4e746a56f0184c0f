// Package source defines the snapshot model that every Klipy channel (API, webhook capture,
// harvest folder) produces and the state store keeps: one Record per source object, with its
// fields in canonical snake_case names and a content hash.
package source

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Kind names a Klipy object type.
type Kind string

// The Klipy object kinds ferry knows, in dependency order.
const (
	Owner       Kind = "owner"
	Company     Kind = "company"
	Person      Kind = "person"
	Deal        Kind = "deal"
	Interaction Kind = "interaction"
	Note        Kind = "note"
	Task        Kind = "task"
	Attachment  Kind = "attachment"
)

// Kinds lists every kind in dependency order.
var Kinds = []Kind{Owner, Company, Person, Deal, Interaction, Note, Task, Attachment}

// Channel names where a record came from.
type Channel string

// The three Klipy channels.
const (
	API     Channel = "api"
	Webhook Channel = "webhook"
	Harvest Channel = "harvest"
)

// ListSep separates the items of a list-valued field (tags, contact ids, emails) in its
// canonical string form.
const ListSep = ";"

// CustomPrefix starts the field name of every custom field ("custom.Lead Source").
const CustomPrefix = "custom."

// Record is one source object as the snapshot holds it.
type Record struct {
	Kind    Kind              `json:"kind"`
	ID      string            `json:"id"`
	Channel Channel           `json:"channel"`
	Origin  string            `json:"origin,omitempty"` // e.g. "people.csv:12" or "api:/people/query"
	Fields  map[string]string `json:"fields"`
}

// DiscoveredOrigin starts the Origin of a company record that extract made from references:
// a company name that people, deals, interactions, notes or tasks name without a company id
// but that no company record of any channel carries (a companies file without its row).
const DiscoveredOrigin = "reference:"

// IsDiscovered reports whether r is a company extract made from references (its Origin as the
// merge spells it: "harvest:reference:people.csv:12").
func IsDiscovered(r Record) bool {
	return r.Kind == Company && (strings.HasPrefix(r.Origin, DiscoveredOrigin) ||
		strings.Contains(r.Origin, ":"+DiscoveredOrigin))
}

// Hash returns the content hash of the record: a hex SHA-256 over kind, id and the fields in
// key order. Channel and origin are not part of the content.
func (r Record) Hash() string {
	keys := make([]string, 0, len(r.Fields))
	size := len(r.Kind) + len(r.ID) + 1
	for k, v := range r.Fields {
		keys = append(keys, k)
		size += len(k) + len(v) + 2
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(append(append(b, r.Kind...), 0), r.ID...)
	for _, k := range keys {
		b = append(append(append(append(b, 0), k...), 1), r.Fields[k]...)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// List splits a list-valued field into its trimmed, non-empty items.
func List(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	parts := strings.Split(v, ListSep)
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// JoinList joins items into the canonical form of a list-valued field.
func JoinList(items []string) string { return strings.Join(items, ListSep) }

// MarshalFields encodes fields as JSON exactly as json.Marshal encodes a map[string]string
// (keys sorted), twice as fast: every record written to the snapshot goes through it.
// The error is always nil; it is kept so that callers need not change if that ever differs.
func MarshalFields(f map[string]string) ([]byte, error) { return appendFields(nil, f), nil }
