package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// human is one real person. Every Klipy person record describes exactly one human; the
// human of record i is the human of its root record.
type human struct {
	root     int
	first    name
	last     name
	org      int // organization index, -1 for people on a personal address
	o        org // the organization when org >= 0
	country  country
	email    string // canonical address (lowercase), "" if the person has none
	phone    phone
	linkedin string // canonical profile URL
	title    string
}

// coinDup reports whether record i wants to be a duplicate.
func (d *Dataset) coinDup(i int) bool {
	return i > 0 && d.rng(tagDup, i).Float64() < d.cfg.DuplicateRate
}

// dupWindow bounds how far back a duplicate's root can be.
const dupWindow = 64

// root returns the index of the original record whose human record i describes: i itself,
// or for a duplicate the nearest earlier original found from a random offset back.
func (d *Dataset) root(i int) int {
	r := d.rng(tagDup, i)
	if i == 0 || r.Float64() >= d.cfg.DuplicateRate {
		return i
	}
	k := 1 + r.IntN(min(i, 40))
	for j := i - k; j >= max(0, i-dupWindow); j-- {
		if !d.coinDup(j) {
			return j
		}
	}
	return i
}

// human returns the human whose original record is root.
func (d *Dataset) human(root int) human {
	r := d.rng(tagHuman, root)
	personal := r.IntN(100) < 15 // first draw: personalOrg repeats it
	h := human{root: root, org: -1, title: pick(r, titles)}
	if personal {
		h.country = countries[countryPool[r.IntN(len(countryPool))]]
	} else {
		h.org = root / d.cfg.PeoplePerOrg
		h.o = d.org(h.org)
		h.country = h.o.country
	}
	h.first, h.last = d.humanName(r, h)
	h.phone = newPhone(r, h.country.code, root)
	h.linkedin = "https://www.linkedin.com/in/" + h.first.ascii + "-" + h.last.ascii + "-" +
		linkedinSuffix(root, d.seed)
	if r.IntN(100) < 8 {
		return h // known only by phone and LinkedIn
	}
	if personal {
		h.email = h.first.ascii + h.last.ascii + strconv.Itoa(root) + "@" + pick(r, personalDomains)
	} else {
		h.email = localPart(h, d.cfg.PeoplePerOrg) + "@" + h.o.domain
	}
	return h
}

// linkedinSuffix returns the profile slug suffix of a human: a bijection of root onto six
// base-36 digits, so profiles never collide below 36^6 (two billion) people.
func linkedinSuffix(root int, seed uint64) string {
	const space = 36 * 36 * 36 * 36 * 36 * 36
	v := (uint64(root)*1_000_003 + seed%space) % space
	s := strconv.FormatUint(v, 36)
	return strings.Repeat("0", 6-len(s)) + s
}

// orgOf returns the organization of the human whose original record is root, or -1 for a
// person on a personal address; it is a cheap part of human.
func (d *Dataset) orgOf(root int) int {
	if d.rng(tagHuman, root).IntN(100) < 15 {
		return -1
	}
	return root / d.cfg.PeoplePerOrg
}

// humanName picks a name. Within one organization block the first/last pairs follow a
// permutation, so colleagues never share a full name (and thus an address).
func (d *Dataset) humanName(r *rand.Rand, h human) (name, name) {
	c := h.country
	combos := len(c.first) * len(c.last)
	if h.org < 0 {
		k := r.IntN(combos)
		return c.first[k%len(c.first)], c.last[k/len(c.first)]
	}
	pos := h.root % d.cfg.PeoplePerOrg
	start := int(mix64(uint64(h.org)+d.seed) % uint64(combos))
	k := (start + pos*step(combos)) % combos
	return c.first[k%len(c.first)], c.last[k/len(c.first)]
}

// step returns a stride coprime with n.
func step(n int) int {
	for s := 7; ; s++ {
		if gcd(s, n) == 1 {
			return s
		}
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// localPart spells the mailbox by the organization's convention; past the size of the name
// table the record index keeps it unique.
func localPart(h human, perOrg int) string {
	f, l := h.first.ascii, h.last.ascii
	if h.org%5 == 0 && h.root%perOrg == 0 {
		// The founder goes by first name only: jane@acme.com is not jane.doe@acme.com, and a
		// colleague may well be jane.smith@acme.com. A trap for over-eager email matching.
		return f
	}
	var s string
	switch h.org % 4 {
	case 0:
		s = f + "." + l
	case 1:
		s = f + "_" + l
	case 2:
		s = f + l
	default:
		s = l + "." + f
	}
	if h.root%perOrg >= len(h.country.first)*len(h.country.last) {
		s += strconv.Itoa(h.root)
	}
	return s
}

var stripMarks = runes.Remove(runes.In(unicode.Mn))

// fold drops diacritics: "José" → "Jose". Letters without a decomposition stay.
func fold(s string) string {
	t := transform.Chain(norm.NFD, stripMarks, norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// emailSpelling writes the canonical address the way a record might: with a display name,
// different case or stray spaces. All spellings normalize back by trimming, dropping the
// display name and lowercasing.
func emailSpelling(r *rand.Rand, email, display string) string {
	at := strings.IndexByte(email, '@')
	local, dom := email[:at], email[at+1:]
	title := strings.ToUpper(local[:1]) + local[1:] + "@" + strings.ToUpper(dom[:1]) + dom[1:]
	switch r.IntN(8) {
	case 0:
		return `"` + display + `" <` + title + ">"
	case 1:
		return email + " "
	case 2:
		return strings.ToUpper(email)
	case 3:
		return display + " <" + email + ">"
	case 4:
		return " " + title
	default:
		return email
	}
}
