package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"ferry/internal/source"
)

// org is one real organization; several Klipy company records may describe it.
type org struct {
	index    int
	name     string // canonical display name
	plain    string // name without legal form
	domain   string // registrable domain, lowercase
	country  country
	records  int // Klipy company records describing it (1..3)
	noDomain bool
}

// org returns organization j. Its name and domain come from a fixed permutation of the
// prefix × root table, with a round number once the table is used up, so domains are unique.
func (d *Dataset) org(j int) org {
	r := d.rng(tagOrg, j)
	o := org{index: j}
	o.records, o.noDomain = orgShape(r)
	combos := len(coPrefix) * len(coRoot)
	k := (j*247 + int(d.seed%uint64(combos))) % combos
	p, q := coPrefix[k%len(coPrefix)], coRoot[k/len(coPrefix)]
	round := j / combos
	c := countries[countryPool[r.IntN(len(countryPool))]]
	o.country, o.plain = c, p.display+q.display
	slug := p.ascii + q.ascii
	if round > 0 {
		o.plain += " " + strconv.Itoa(round+1)
		slug += strconv.Itoa(round + 1)
	}
	o.domain = slug + c.tld
	legal := pick(r, c.legal)
	if legal == "株式会社" {
		o.name = legal + o.plain
	} else {
		o.name = o.plain + " " + legal
	}
	return o
}

// orgShape makes the first draws of an organization's stream: how many Klipy records
// describe it and whether it lacks a domain.
func orgShape(r *rand.Rand) (records int, noDomain bool) {
	switch x := r.IntN(100); {
	case x < 80:
		return 1, r.IntN(100) < 8
	case x < 94:
		return 2, false
	}
	return 3, false
}

// orgRecords returns how many company records describe organization j (cheaper than org).
func (d *Dataset) orgRecords(j int) int {
	n, _ := orgShape(d.rng(tagOrg, j))
	return n
}

// companyID returns the id of record k of organization j.
func (d *Dataset) companyID(j, k int) string { return d.id("cmp_", tagCompanyRec, j*4+k) }

// domainSpelling returns the way record k spells the organization's domain. Record 0 of a
// multi-record organization uses the plain form; others use the messy variants.
func domainSpelling(r *rand.Rand, domain string, k int) string {
	if k == 0 && r.IntN(3) > 0 {
		return domain
	}
	up := strings.ToUpper(domain[:1]) + domain[1:]
	forms := []string{domain, "www." + domain, "https://" + domain + "/about",
		"http://WWW." + up + ":8080/", strings.ToUpper(domain), "https://www." + domain + "/",
		domain + "/contact"}
	return pick(r, forms)
}

// company returns Klipy company record k of organization j.
func (d *Dataset) company(j, k int) source.Record {
	o := d.org(j)
	r := d.rng(tagCompanyRec, j*4+k)
	id := d.companyID(j, k)
	f := map[string]string{"id": id, "name": o.name, "industry": pick(r, industries),
		"employee_count": strconv.Itoa(5 + r.IntN(5000)), "city": pick(r, o.country.cities),
		"country": o.country.code, "created_at": rfc(between(r, Epoch, CaptureStart))}
	if k > 0 && r.IntN(2) == 0 {
		f["name"] = o.plain // the same company without its legal form
	}
	if !o.noDomain {
		f["domain"] = domainSpelling(r, o.domain, k)
		if r.IntN(3) > 0 {
			f["website"] = pick(r, []string{"https://www.", "http://", "https://"}) + o.domain
		}
		if r.IntN(2) == 0 {
			f["linkedin_url"] = "https://www.linkedin.com/company/" + strings.TrimSuffix(o.domain, o.country.tld)
		}
	}
	if r.IntN(3) == 0 {
		f["owner"] = d.ownerRef(r.IntN(d.owners), r.IntN(4))
	}
	if r.IntN(4) == 0 {
		f["tags"] = tagList(r)
	}
	companyCustom(r, f)
	return source.Record{Kind: source.Company, ID: id, Channel: source.API,
		Origin: "gen:company", Fields: compact(f)}
}

// eachCompany yields every company record, organization by organization.
func (d *Dataset) eachCompany(fn func(source.Record) error) error {
	for j := range d.orgs {
		n := d.org(j).records
		for k := range n {
			if err := fn(d.company(j, k)); err != nil {
				return err
			}
		}
	}
	return nil
}
