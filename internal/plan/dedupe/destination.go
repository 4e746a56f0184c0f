package dedupe

import (
	"context"
	"fmt"
	"slices"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/normalize"
)

// Lister is the part of the Pipedrive client that LoadDestination uses.
type Lister interface {
	ListPersons(ctx context.Context, opts pipedrive.ListOptions, fn func([]pipedrive.Entity) error) error
	ListOrganizations(ctx context.Context, opts pipedrive.ListOptions, fn func([]pipedrive.Entity) error) error
}

// Destination is what Pipedrive already holds, reduced to what matching needs.
type Destination struct {
	Persons       []DestPerson `json:"persons"`
	Organizations []DestOrg    `json:"organizations"`
}

// DestPerson is an existing Pipedrive person.
type DestPerson struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Emails []string `json:"emails"`
}

// DestOrg is an existing Pipedrive organization.
type DestOrg struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Website string `json:"website,omitempty"`
}

// LoadDestination reads every person and organization of the Pipedrive company through the
// list endpoints (500 a page; no search calls). Errors are the client's, wrapped.
func LoadDestination(ctx context.Context, c Lister) (*Destination, error) {
	d := &Destination{}
	err := c.ListPersons(ctx, pipedrive.ListOptions{PageSize: pipedrive.PageSize}, func(page []pipedrive.Entity) error {
		for _, e := range page {
			d.Persons = append(d.Persons, DestPerson{ID: e.ID(), Name: e.String("name"), Emails: contactValues(e["emails"])})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dedupe: list pipedrive persons: %w", err)
	}
	err = c.ListOrganizations(ctx, pipedrive.ListOptions{PageSize: pipedrive.PageSize}, func(page []pipedrive.Entity) error {
		for _, e := range page {
			d.Organizations = append(d.Organizations, DestOrg{ID: e.ID(), Name: e.String("name"), Website: e.String("website")})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dedupe: list pipedrive organizations: %w", err)
	}
	return d, nil
}

// contactValues reads v2 emails/phones: [{value, …}] or plain strings.
func contactValues(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		switch x := it.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if s, ok := x["value"].(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// destIndex finds Pipedrive records by normalised key.
type destIndex struct {
	email     map[string][]int64
	domain    map[string][]int64
	name      map[string][]int64
	orgDomain map[int64]string
}

func newDestIndex(d *Destination) *destIndex {
	x := &destIndex{email: map[string][]int64{}, domain: map[string][]int64{},
		name: map[string][]int64{}, orgDomain: map[int64]string{}}
	if d == nil {
		return x
	}
	for _, p := range d.Persons {
		for _, raw := range p.Emails {
			if e, ok := normalize.Email(raw); ok && !normalize.IsGenericEmail(e) {
				x.email[e] = appendID(x.email[e], p.ID)
			}
		}
	}
	for _, o := range d.Organizations {
		if dom, ok := normalize.Domain(o.Website); ok && !normalize.IsSharedDomain(dom) {
			x.domain[dom] = appendID(x.domain[dom], o.ID)
			x.orgDomain[o.ID] = dom
		}
		if n := normalize.CompanyName(o.Name); n != "" {
			x.name[n] = appendID(x.name[n], o.ID)
		}
	}
	return x
}

func appendID(ids []int64, id int64) []int64 {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// match returns the Pipedrive records matching a cluster's keys, what they matched on and
// the first matching key. Persons match by email; organizations by domain, else by name
// unless the Pipedrive organization has a domain the cluster does not.
func (x *destIndex) match(t *table, members []int32) (ids []int64, on, key string) {
	var domains []string
	for _, class := range []int{kEmail, kDomain, kName} {
		for _, m := range members {
			for _, k := range t.keysOf(m) {
				if k.class() != class {
					continue
				}
				s := t.keyString(k)
				if class == kDomain {
					domains = append(domains, s)
				}
				for _, id := range x.lookup(class, s, domains) {
					if key == "" {
						on, key = classNames[class], s
					}
					ids = appendID(ids, id)
				}
			}
		}
		if len(ids) > 0 {
			break
		}
	}
	slices.Sort(ids)
	return ids, on, key
}

func (x *destIndex) lookup(class int, s string, domains []string) []int64 {
	switch class {
	case kEmail:
		return x.email[s]
	case kDomain:
		return x.domain[s]
	}
	var out []int64
	for _, id := range x.name[s] {
		if d, ok := x.orgDomain[id]; ok && len(domains) > 0 && !slices.Contains(domains, d) {
			continue
		}
		out = append(out, id)
	}
	return out
}

// destMatches proposes a merge into Pipedrive for every cluster or single record that
// matches. groups lists every cluster (singletons included) by root.
func destMatches(x *destIndex, t *table, u *unionFind, policy string) []DestinationMatch {
	if len(x.email) == 0 && len(x.domain) == 0 && len(x.name) == 0 {
		return nil
	}
	hit := map[int32]bool{}
	for i := range int32(t.len()) {
		if x.hasAny(t, i) {
			hit[u.find(i)] = true
		}
	}
	groups := map[int32][]int32{}
	for i := range int32(t.len()) {
		if r := u.find(i); hit[r] {
			groups[r] = append(groups[r], i)
		}
	}
	var out []DestinationMatch
	for _, members := range groups {
		members = ranked(t, members)
		ids, on, key := x.match(t, members)
		if len(ids) == 0 {
			continue
		}
		m := DestinationMatch{Kind: t.kind, Survivor: t.ids[members[0]], Members: idsOf(t, members),
			On: on, Key: key, Policy: policy, DestID: ids[0]}
		if len(ids) > 1 {
			m.DestID, m.Candidates = 0, ids
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b DestinationMatch) int { return compareStr(a.Survivor, b.Survivor) })
	markContested(out)
	return out
}

// markContested flags matches whose Pipedrive record (or a candidate) is also proposed for
// another cluster.
func markContested(ms []DestinationMatch) {
	uses := map[int64]int{}
	each := func(m DestinationMatch, fn func(int64)) {
		if m.DestID != 0 {
			fn(m.DestID)
		}
		for _, id := range m.Candidates {
			fn(id)
		}
	}
	for _, m := range ms {
		each(m, func(id int64) { uses[id]++ })
	}
	for i := range ms {
		each(ms[i], func(id int64) { ms[i].Contested = ms[i].Contested || uses[id] > 1 })
	}
}

// hasAny reports whether a key of record i could match anything in Pipedrive.
func (x *destIndex) hasAny(t *table, i int32) bool {
	for _, k := range t.keysOf(i) {
		s := t.keyString(k)
		switch k.class() {
		case kEmail:
			if len(x.email[s]) > 0 {
				return true
			}
		case kDomain:
			if len(x.domain[s]) > 0 {
				return true
			}
		case kName:
			if len(x.name[s]) > 0 {
				return true
			}
		}
	}
	return false
}
