package decide

import (
	"fmt"
	"sort"
	"strings"

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
	for ref, n := range sc.OwnerRefs {
		o := index[ownerKey(ref)]
		if o == nil {
			o = &klipyOwner{}
			if strings.Contains(ref, "@") {
				o.email = strings.ToLower(strings.TrimSpace(ref))
			} else {
				o.name = strings.Join(strings.Fields(ref), " ")
			}
			owners = append(owners, o)
			index[ownerKey(ref)] = o
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
		for _, k := range []string{o.id, o.email, o.name} {
			if k != "" {
				index[ownerKey(k)] = o
			}
		}
	}
	return owners, index
}

func ownerKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
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
func (d Decisions) OwnerFor(ref string) (string, bool) {
	key := ownerKey(ref)
	for _, o := range d.Owners {
		if key != "" && (ownerKey(o.ID) == key || ownerKey(o.Email) == key || ownerKey(o.Klipy) == key ||
			strings.HasPrefix(ownerKey(o.Klipy), key+" <")) {
			if o.Resolution == OwnerProvision {
				return o.Email, o.Email != ""
			}
			return o.Target, o.Target != ""
		}
	}
	return "", false
}
