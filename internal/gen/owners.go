package gen

import (
	"fmt"
	"strings"

	"ferry/internal/source"
)

// WorkspaceDomain is the email domain of the Klipy workspace's own users.
const WorkspaceDomain = "northwind-sales.com"

// User is a Pipedrive user the Pipedrive sandbox should be seeded with.
type User struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Owner matching outcomes recorded in the key.
const (
	MatchEmail = "email" // the owner's Klipy email is a Pipedrive user's email
	MatchName  = "name"  // only the name matches (the Pipedrive user has another email)
	MatchNone  = "none"  // no Pipedrive user: the owner must be resolved by hand
)

type owner struct {
	id, name, email string
	match           string
	pdEmail         string // the email of the matching Pipedrive user, if any
}

// owner returns owner i. Names and emails are unique: first/last pairs are walked in a fixed
// permutation, and later rounds add a middle initial and a number.
func (d *Dataset) owner(i int) owner {
	combos := len(anglo) * len(angloLast)
	k := (i*97 + int(d.seed%uint64(combos))) % combos
	f, l := anglo[k%len(anglo)], angloLast[k/len(anglo)]
	round := i / combos
	disp, local := f.display+" "+l.display, f.ascii+"."+l.ascii
	if round > 0 {
		letter := string(rune('A' + (round-1)%26))
		disp = f.display + " " + letter + ". " + l.display
		local = f.ascii + "." + strings.ToLower(letter) + "." + l.ascii
		if round > 26 {
			disp += fmt.Sprintf(" %d", round/26+1)
			local += fmt.Sprint(round/26 + 1)
		}
	}
	o := owner{id: d.id("usr_", tagOwner, i), name: disp, email: local + "@" + WorkspaceDomain}
	switch {
	case i == 2 || i%5 == 3:
		o.match = MatchNone
	case i%5 == 4:
		o.match, o.pdEmail = MatchName, local+"@pipedrive-"+WorkspaceDomain
	default:
		o.match, o.pdEmail = MatchEmail, o.email
	}
	return o
}

func (o owner) record() source.Record {
	return source.Record{Kind: source.Owner, ID: o.id, Channel: source.Harvest,
		Origin: "gen:owner", Fields: map[string]string{"id": o.id, "name": o.name, "email": o.email}}
}

// ownerRef returns how a record names owner i: by name or by email, sometimes sloppily.
func (d *Dataset) ownerRef(i int, variant int) string {
	o := d.owner(i)
	switch variant % 4 {
	case 0:
		return o.name
	case 1:
		return o.email
	case 2:
		return strings.ToUpper(o.email[:1]) + o.email[1:]
	default:
		return " " + o.name
	}
}

// PipedriveUsers lists the users that exist in the target Pipedrive company: every owner
// matched by email or by name (with the email Pipedrive knows), in owner order.
func (d *Dataset) PipedriveUsers() []User {
	var us []User
	for i := range d.owners {
		if o := d.owner(i); o.match != MatchNone {
			us = append(us, User{Name: o.name, Email: o.pdEmail})
		}
	}
	return us
}
