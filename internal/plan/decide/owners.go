package decide

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// klipyOwner is one Klipy user, known from owners.csv or only from references.
type klipyOwner struct {
	id, name, email string
	records         int
}

// resolveOwners groups owner references (an owners.csv id, an email in any case, or a name
// with stray spaces) by Klipy user, then matches each user to a Pipedrive user by email,
// then by name. Unmatched users get the fallback user when one is configured, else stay open.
func resolveOwners(sc *Scan, dest Destination, fallback string) []Owner {
	owners, index := knownOwners(sc.Owners)
	for _, ref := range sortedRefs(sc.OwnerRefs) {
		n := sc.OwnerRefs[ref]
		o := lookupOwner(index, ref)
		if o == nil {
			o = &klipyOwner{}
			if strings.Contains(ref, "@") {
				o.email = strings.ToLower(strings.TrimSpace(ref))
			} else {
				o.name = strings.Join(strings.Fields(ref), " ")
			}
			owners = append(owners, o)
			indexOwner(index, o, ref)
		}
		o.records += n
	}
	out := make([]Owner, 0, len(owners))
	for _, o := range owners {
		if o.records == 0 {
			continue
		}
		out = append(out, matchOwner(o, dest, fallback))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Klipy < out[j].Klipy })
	return out
}

// knownOwners indexes owners.csv by id, email and name.
func knownOwners(recs []source.Record) ([]*klipyOwner, map[string]*klipyOwner) {
	index := map[string]*klipyOwner{}
	var owners []*klipyOwner
	for _, r := range recs {
		o := &klipyOwner{id: r.ID, name: strings.Join(strings.Fields(r.Fields["name"]), " "),
			email: strings.ToLower(strings.TrimSpace(r.Fields["email"]))}
		owners = append(owners, o)
		indexOwner(index, o, o.id, o.email, o.name)
	}
	return owners, index
}

func ownerKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// ownerKeys returns the forms an owner reference is compared in: as written (case and
// spaces aside), and as an email in any common spelling ("Name" <EMAIL>, mailto:, a
// trailing dot) or else as a name with accents and punctuation ignored (Jürgen Weiß and
// Jurgen Weiss are one owner).
func ownerKeys(s string) []string {
	if v, ok := ownerKeyCache.Load(s); ok {
		return v.([]string)
	}
	out := computeOwnerKeys(s)
	if ownerKeyCacheSize.Add(1) <= maxOwnerKeyCache {
		ownerKeyCache.Store(s, out)
	}
	return out
}

// ownerKeyCache memoizes ownerKeys: a run asks for the keys of the same few owner
// references and decisions once per record, and normalizing names is costly. It stops
// growing at maxOwnerKeyCache entries; the keys of a string never change, so it is never
// stale.
var (
	ownerKeyCache     sync.Map // string → []string (never modified after it is stored)
	ownerKeyCacheSize atomic.Int64
)

const maxOwnerKeyCache = 1 << 16

// computeOwnerKeys is ownerKeys without the cache.
func computeOwnerKeys(s string) []string {
	k := ownerKey(s)
	if k == "" {
		return nil
	}
	out := []string{k}
	if e, ok := normalize.Email(s); ok {
		return append(out, "@"+e)
	}
	if n := normalize.Name(s, ""); n != "" {
		out = append(out, "~"+n)
	}
	return out
}

// indexOwner indexes o under every key of refs.
func indexOwner(index map[string]*klipyOwner, o *klipyOwner, refs ...string) {
	for _, r := range refs {
		for _, k := range ownerKeys(r) {
			if _, taken := index[k]; !taken {
				index[k] = o
			}
		}
	}
}

// lookupOwner finds the owner a reference names.
func lookupOwner(index map[string]*klipyOwner, ref string) *klipyOwner {
	for _, k := range ownerKeys(ref) {
		if o := index[k]; o != nil {
			return o
		}
	}
	return nil
}

// sortedRefs returns the references in a stable order, so that the owners a reference
// creates are the same on every plan.
func sortedRefs(refs map[string]int) []string {
	out := make([]string, 0, len(refs))
	for r := range refs {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func matchOwner(o *klipyOwner, dest Destination, fallback string) Owner {
	label := o.name
	if o.email != "" {
		label = fmt.Sprintf("%s <%s>", o.name, o.email)
	}
	out := Owner{Klipy: strings.TrimSpace(label), ID: o.id, Email: o.email, Records: o.records, Resolution: OwnerOpen}
	for _, u := range dest.Users {
		if o.email != "" && strings.EqualFold(u.Email, o.email) {
			out.Resolution, out.Target, out.MatchedBy = OwnerMatched, u.Email, "email"
			return out
		}
	}
	for _, u := range dest.Users {
		if o.name != "" && ownerKey(u.Name) == ownerKey(o.name) {
			out.Resolution, out.Target, out.MatchedBy = OwnerMatched, u.Email, "name"
			return out
		}
	}
	if fallback != "" {
		out.Resolution, out.Target = OwnerFallback, fallback
	}
	return out
}

// OwnerFor returns the Pipedrive user email that receives records of a Klipy owner
// reference, and false when the reference is unknown or its decision is open or "provision"
// without the user yet known.
//
// A reference matches an owner by Klipy id, by email in any common spelling or by name with
// case, spaces and accents ignored.
func (d Decisions) OwnerFor(ref string) (string, bool) {
	keys := ownerKeys(ref)
	for _, o := range d.Owners {
		if !o.matches(keys) {
			continue
		}
		if o.Resolution == OwnerProvision {
			return o.Email, o.Email != ""
		}
		return o.Target, o.Target != ""
	}
	return "", false
}

// matches reports whether one of keys (ownerKeys of a reference) names o.
func (o Owner) matches(keys []string) bool {
	name, _, _ := strings.Cut(o.Klipy, " <")
	for _, r := range []string{o.ID, o.Email, name, o.Klipy} {
		for _, k := range ownerKeys(r) {
			for _, want := range keys {
				if k == want {
					return true
				}
			}
		}
	}
	return false
}

// OwnerLabel names a Klipy owner reference for a reader: the matching owner's
// "Name <email>" with its Klipy id ("Jane Roe <jane@acme.com> (o2)"), or the reference as
// written, quoted, when no owner decision matches it.
func (d Decisions) OwnerLabel(ref string) string {
	keys := ownerKeys(ref)
	for _, o := range d.Owners {
		if !o.matches(keys) {
			continue
		}
		label := o.Klipy
		if label == "" {
			label = o.Email
		}
		if o.ID != "" && label != "" {
			return label + " (" + o.ID + ")"
		}
		if label != "" {
			return label
		}
	}
	return fmt.Sprintf("%q", ref)
}
