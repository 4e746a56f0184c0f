package migrate

import (
	"context"
	"fmt"
	"sync"
	"time"

	"ferry/internal/plan/mapping"
	"ferry/internal/plan/normalize"
	"ferry/internal/source"
	"ferry/internal/store"
)

// Keys a reference may name a record by (Resolver.LinkBy).
const (
	ByName   = mapping.ByName   // a company's name (legal form, case, accents aside); a person's full name
	ByEmail  = mapping.ByEmail  // a person's email, in any common spelling
	ByDomain = mapping.ByDomain // a company's registrable domain, from any URL form
)

// RefKey returns the comparison form of a reference to a record of kind by key by, and false
// when value cannot name one (an empty name, a string that is not an email or has no
// registrable domain). Emails lose display names, mailto:, spaces, case and trailing dots;
// domains come down to the registrable domain (https://www.eu.acme.co.uk/x → acme.co.uk);
// company names lose case, accents, punctuation and trailing legal forms (GmbH, KG, AG,
// LLP, Inc.); person names lose case, accents and punctuation.
func RefKey(kind source.Kind, by, value string) (string, bool) {
	var k string
	ok := true
	switch {
	case by == ByEmail:
		k, ok = normalize.Email(value)
	case by == ByDomain:
		k, ok = normalize.Domain(value)
	case by == ByName && kind == source.Company:
		k = normalize.CompanyName(value)
	case by == ByName:
		k = normalize.Name(value, "")
	default:
		return "", false
	}
	return k, ok && k != ""
}

// recordKeys returns the keys a snapshot record is found by.
func recordKeys(r source.Record, by string) []string {
	var raw []string
	switch by {
	case ByEmail:
		raw = source.List(r.Fields["email"])
	case ByDomain:
		raw = []string{r.Fields["domain"], r.Fields["website"]}
	case ByName:
		raw = []string{r.Fields["name"]}
		if r.Kind == source.Person {
			raw = []string{r.Fields["first_name"] + " " + r.Fields["last_name"]}
		}
	}
	var out []string
	for _, v := range raw {
		if k, ok := RefKey(r.Kind, by, v); ok {
			out = append(out, k)
		}
	}
	return out
}

// BuildRefIndex reads the snapshot records of kind and maps each key (RefKey) to the source
// id of the record it names, or to "" when records that are not one merged cluster share it
// (root gives a record's cluster survivor; nil treats every record as its own).
func BuildRefIndex(ctx context.Context, st store.Store, kind source.Kind, by string, root func(string) string) (map[string]string, error) {
	if root == nil {
		root = func(id string) string { return id }
	}
	ix := map[string]string{}
	err := st.EachRecord(ctx, kind, func(r source.Record) error {
		for _, k := range recordKeys(r, by) {
			prev, seen := ix[k]
			switch {
			case !seen:
				ix[k] = r.ID
			case prev != "" && root(prev) != root(r.ID):
				ix[k] = ""
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index %s by %s: %w", kind, by, err)
	}
	return ix, nil
}

// ResolveRef looks a reference up in an index BuildRefIndex made: the source id, or an error
// naming the value when no record or several records carry it.
func ResolveRef(ix map[string]string, kind source.Kind, by, value string) (string, error) {
	k, ok := RefKey(kind, by, value)
	if !ok {
		return "", fmt.Errorf("%q is not a %s %s", value, kind, by)
	}
	id, ok := ix[k]
	switch {
	case !ok:
		return "", fmt.Errorf("no %s with %s %q in the snapshot", kind, by, value)
	case id == "":
		return "", fmt.Errorf("several %s records have %s %q", kind, by, value)
	}
	return id, nil
}

// refIndex is one lazily built index of the engine.
type refIndex struct {
	once sync.Once
	ids  map[string]string
	err  error
}

type refIndexKey struct {
	kind source.Kind
	by   string
}

// refsOf returns the index of kind by key by, built once per engine from the snapshot.
func (e *Engine) refsOf(ctx context.Context, kind source.Kind, by string) (map[string]string, error) {
	e.namesMu.Lock()
	ix := e.names[refIndexKey{kind, by}]
	if ix == nil {
		ix = &refIndex{}
		e.names[refIndexKey{kind, by}] = ix
	}
	e.namesMu.Unlock()
	ix.once.Do(func() {
		ix.ids, ix.err = BuildRefIndex(ctx, e.store, kind, by, e.merges[kind].root)
	})
	return ix.ids, ix.err
}

// LinkBy resolves a parent named by its name, email or domain through the snapshot index and
// then the id map (a record merged into another resolves to the survivor's Pipedrive id).
func (r *resolver) LinkBy(kind source.Kind, by, value string) (int64, error) {
	ix, err := r.e.refsOf(r.ctx, kind, by)
	if err != nil {
		return 0, err
	}
	id, err := ResolveRef(ix, kind, by, value)
	if err != nil {
		return 0, err
	}
	return r.LinkID(kind, id)
}

// ActivityType maps an interaction type through the activity type decisions.
func (r *resolver) ActivityType(typ, channel string) (string, bool, bool) {
	t, inNote := r.e.decisions.ActivityTypeFor(typ, channel)
	return t, inNote, t != ""
}

// SourceRecord reads a record of the snapshot (false when it has none by that id).
func (r *resolver) SourceRecord(kind source.Kind, id string) (source.Record, bool) {
	rec, err := r.e.store.GetRecord(r.ctx, kind, id)
	return rec, err == nil
}

// Now is the engine's clock.
func (r *resolver) Now() time.Time { return r.e.clock.Now() }
