package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"ferry/internal/source"
)

// personMeta is what the answer key needs to know about one person record.
type personMeta struct {
	root        int
	name        string // the person's real name, as the original record writes it
	nameVariant bool   // first or last name differs from the original record's
	phoneRaw    string // the phone as written, if national (needs a region)
	phoneRegion string
	phoneE164   string
}

// shown says which identifiers a record shows.
type shown struct{ email, phone, linkedin bool }

// shows returns the identifiers record i shows. A duplicate always shows at least one
// identifier its original shows, so every cluster is findable by email, phone or LinkedIn.
func (d *Dataset) shows(i int, h human) shown {
	r := d.rng(tagShow, i)
	if h.root == i {
		s := shown{email: h.email != "", phone: r.IntN(10) < 6, linkedin: r.IntN(10) < 4}
		if !s.email && !s.phone {
			s.linkedin = true
		}
		return s
	}
	o := d.shows(h.root, h)
	var keys []string
	if o.email {
		keys = append(keys, "email", "email", "email")
	}
	if o.phone {
		keys = append(keys, "phone")
	}
	if o.linkedin {
		keys = append(keys, "linkedin")
	}
	s := shown{email: h.email != "" && r.IntN(10) < 3, phone: r.IntN(10) < 3, linkedin: r.IntN(10) < 2}
	switch pick(r, keys) {
	case "email":
		s.email = true
	case "phone":
		s.phone = true
	default:
		s.linkedin = true
	}
	return s
}

// personID returns the id of person record i.
func (d *Dataset) personID(i int) string { return d.id("per_", tagPersonRec, i) }

// personCompany returns the company record person record i links to, or "" (and -1).
func (d *Dataset) personCompany(i int, h human) (string, int) {
	if h.org < 0 {
		return "", -1
	}
	return d.companyID(h.org, d.rng(tagPersonCo, i).IntN(h.o.records)), h.org
}

// person returns person record i and what the key needs to know about it.
func (d *Dataset) person(i int) (source.Record, personMeta) {
	root := d.root(i)
	h := d.human(root)
	r := d.rng(tagPersonRec, i)
	id := d.personID(i)
	meta := personMeta{root: root, name: h.first.display + " " + h.last.display}
	first, last := h.first.display, h.last.display
	if root != i {
		first, last = nameVariant(r, first, last)
		meta.nameVariant = first != h.first.display || last != h.last.display
	}
	created := between(r, Epoch, CaptureStart)
	f := map[string]string{"id": id, "first_name": first, "last_name": last, "title": h.title,
		"created_at": rfc(created), "updated_at": rfc(between(r, created, Now))}
	s := d.shows(i, h)
	if s.email {
		f["email"] = emailSpelling(r, h.email, first+" "+last)
		if i == d.badEmail {
			f["email"] = strings.Replace(h.email, "@", "@@", 1)
		}
	}
	if s.phone {
		raw, national := h.phone.Format(r) // national: needs a region
		if national && h.org < 0 && h.country.code != "US" && h.country.code != "CA" {
			raw, national = "+"+h.phone.cc+" "+h.phone.grouped(), false
		}
		f["phone"] = raw
		if national {
			meta.phoneRaw, meta.phoneRegion, meta.phoneE164 = raw, h.country.code, h.phone.E164()
		}
	}
	if s.linkedin {
		f["linkedin_url"] = linkedinSpelling(r, h.linkedin)
	}
	if cid, _ := d.personCompany(i, h); cid != "" {
		f["company_id"] = cid
		f["company_name"] = pick(r, []string{h.o.name, h.o.name, h.o.plain})
	}
	d.personExtras(r, f, h)
	return source.Record{Kind: source.Person, ID: id, Channel: source.API,
		Origin: "gen:person", Fields: compact(f)}, meta
}

// personExtras fills owner, tags, notes and custom fields.
func (d *Dataset) personExtras(r *rand.Rand, f map[string]string, h human) {
	if r.IntN(10) < 7 {
		f["owner"] = d.ownerRef(r.IntN(d.owners), r.IntN(4))
	}
	if r.IntN(10) < 3 {
		f["tags"] = tagList(r)
	}
	if r.IntN(10) < 2 {
		f["notes"] = "Met at " + pick(r, leadSources) + ".\nAsked about pricing, \"call back\" in Q" +
			fmt.Sprint(1+r.IntN(4)) + "."
	}
	// Assistants sit in area code 202, which no person's own phone uses: the custom phone
	// field never looks like another person's number.
	assistant := phone{region: "US", cc: "1", nsn: "202" + strconv.Itoa(2+r.IntN(8)) + digits(r, 6)}
	personCustom(r, f, assistant)
}

// nameVariant returns how a duplicate record writes the name: a nickname, the name without
// diacritics, or unchanged.
func nameVariant(r *rand.Rand, first, last string) (string, string) {
	switch r.IntN(10) {
	case 0, 1, 2:
		if nick, ok := nicknames[first]; ok {
			return nick, last
		}
	case 3, 4, 5:
		return fold(first), fold(last)
	}
	return first, last
}

// linkedinSpelling writes a profile URL with the usual variations.
func linkedinSpelling(r *rand.Rand, url string) string {
	switch r.IntN(5) {
	case 0:
		return url + "/"
	case 1:
		return strings.Replace(url, "https://www.", "http://", 1)
	case 2:
		return strings.TrimPrefix(url, "https://")
	}
	return url
}

// eachPerson yields every person record in index order, generated chunk by chunk in
// parallel.
func (d *Dataset) eachPerson(fn func(source.Record, personMeta) error) error {
	type item struct {
		rec  source.Record
		meta personMeta
	}
	n := d.cfg.People
	work := func(c int) []item {
		from, to := chunkRange(c, n)
		out := make([]item, 0, to-from)
		for i := from; i < to; i++ {
			rec, m := d.person(i)
			out = append(out, item{rec, m})
		}
		return out
	}
	return ordered(chunks(n), work, func(items []item) error {
		for _, it := range items {
			if err := fn(it.rec, it.meta); err != nil {
				return err
			}
		}
		return nil
	})
}

// pickBadEmail chooses the original record, with an address and without duplicates, whose
// email is written invalid; -1 if the workspace is too small to have one.
func (d *Dataset) pickBadEmail() int {
	n := d.cfg.People
	for i := min(7, n-1); i < n && i < 10_000; i++ {
		if d.root(i) != i || d.human(i).email == "" || !d.shows(i, d.human(i)).email {
			continue
		}
		if !d.hasDuplicates(i) {
			return i
		}
	}
	return -1
}

func (d *Dataset) hasDuplicates(i int) bool {
	for j := i + 1; j < min(d.cfg.People, i+dupWindow+1); j++ {
		if d.root(j) == i {
			return true
		}
	}
	return false
}
