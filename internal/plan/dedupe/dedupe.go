package dedupe

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// Run reads the companies and people of the snapshot (twice each, in src's order) and returns
// the clusters, merges, name variants, refused links and destination matches. It fails on a
// bad option, on src's errors (wrapped) and when the snapshot changes between the two passes.
func Run(ctx context.Context, src Records, opts Options) (*Result, error) {
	start := time.Now()
	opts, err := opts.check()
	if err != nil {
		return nil, err
	}
	def, ok := normalize.Region(opts.DefaultRegion)
	if !ok && strings.TrimSpace(opts.DefaultRegion) != "" {
		return nil, fmt.Errorf("dedupe: unknown default region %q (want an ISO 3166 code such as US)", opts.DefaultRegion)
	}
	r := &runner{src: src, opts: opts, reg: &regions{company: map[string]string{}, byName: map[string]string{}, def: def}}
	if err := r.firstPass(ctx); err != nil {
		return nil, err
	}
	res := r.link()
	if err := r.secondPass(ctx, res); err != nil {
		return nil, err
	}
	r.destination(res)
	r.stats(res, time.Since(start))
	res.nonNil()
	return res, nil
}

// runner carries one Run.
type runner struct {
	src          Records
	opts         Options
	reg          *regions
	in           [nClasses]interner
	st           keyStats
	comp, people *table
	cLink, pLink *linker
}

// firstPass reads both kinds once and keeps their compact keys.
func (r *runner) firstPass(ctx context.Context) error {
	r.comp, r.people = newTable(source.Company, &r.in), newTable(source.Person, &r.in)
	companyItem := func(rec source.Record, st *keyStats) item {
		it := newItem(rec, companyKeys(rec.Fields, st))
		it.region, _ = normalize.Region(rec.Fields["country"])
		return it
	}
	err := readItems(ctx, r.src, source.Company, companyItem, func(it item) {
		r.comp.add(it)
		if it.region != "" {
			r.reg.company[it.id] = it.region
			for _, k := range it.keys {
				if k.class == kName {
					r.reg.addName(k.key, it.region)
				}
			}
		}
	}, &r.st, r.progress("read company"))
	if err != nil {
		return fmt.Errorf("dedupe: read companies: %w", err)
	}
	personItem := func(rec source.Record, st *keyStats) item {
		return newItem(rec, personKeys(rec.Fields, r.reg, st))
	}
	err = readItems(ctx, r.src, source.Person, personItem, func(it item) { r.people.add(it) }, &r.st,
		r.progress("read person"))
	if err != nil {
		return fmt.Errorf("dedupe: read people: %w", err)
	}
	for i := range r.in {
		r.in[i].done()
	}
	return nil
}

// progress returns the progress function of one step.
func (r *runner) progress(step string) func(int) {
	return func(n int) { r.opts.Progress(step, n) }
}

func newItem(rec source.Record, keys []classKey) item {
	return item{id: rec.ID, score: completeness(rec), created: createdAt(rec), keys: keys}
}

// link runs the joins of both kinds in rule order.
func (r *runner) link() *Result {
	r.cLink = &linker{t: r.comp, u: newUnionFind(r.comp.len())}
	r.cLink.byClass(kDomain, false)
	r.cLink.byName()
	r.pLink = &linker{t: r.people, u: newUnionFind(r.people.len())}
	r.pLink.byClass(kEmail, false)
	r.pLink.seedEmails()
	r.pLink.byClass(kPhone, true)
	r.pLink.byClass(kLinkedIn, true)
	r.pLink.u.emails = nil
	res := &Result{}
	res.Refused = append(r.pLink.refusedLinks(), r.cLink.refusedLinks()...)
	return res
}

// secondPass builds the clusters (with merges) of both kinds.
func (r *runner) secondPass(ctx context.Context, res *Result) error {
	var err error
	res.CompanyClusters, _, err = r.clusters(ctx, r.cLink, &merger{t: r.comp})
	if err != nil {
		return err
	}
	pm := &merger{t: r.people, reg: r.reg, company: res.SurvivorMap(source.Company)}
	res.PersonClusters, res.NameVariants, err = r.clusters(ctx, r.pLink, pm)
	return err
}

// destination matches clusters and single records against Pipedrive.
func (r *runner) destination(res *Result) {
	if r.opts.Destination == nil {
		return
	}
	x := newDestIndex(r.opts.Destination)
	persons := destMatches(x, r.people, r.pLink.u, r.opts.Policy)
	orgs := destMatches(x, r.comp, r.cLink.u, r.opts.Policy)
	res.DestinationMatches = append(orgs, persons...)
	res.Stats.PersonDestMatches, res.Stats.OrgDestMatches = len(persons), len(orgs)
}

func (r *runner) stats(res *Result, elapsed time.Duration) {
	s := &res.Stats
	s.People, s.Companies = r.people.len(), r.comp.len()
	s.PersonClusters, s.CompanyClusters = len(res.PersonClusters), len(res.CompanyClusters)
	s.DistinctPeople, s.DistinctCompanies = s.People, s.Companies
	for _, c := range res.PersonClusters {
		s.DistinctPeople -= len(c.Members) - 1
	}
	for _, c := range res.CompanyClusters {
		s.DistinctCompanies -= len(c.Members) - 1
	}
	s.InvalidEmails, s.GenericEmails, s.InvalidPhones = r.st.invalidEmails, r.st.genericEmails, r.st.invalidPhones
	s.InvalidLinkedIn, s.InvalidDomains = r.st.invalidLinkedIn, r.st.invalidDomains
	s.RefusedLinks, s.NameVariantClusters = len(res.Refused), len(res.NameVariants)
	s.ElapsedMillis = elapsed.Milliseconds()
}

// refusedLinks renders the refused links in record order.
func (l *linker) refusedLinks() []Link {
	out := make([]Link, 0, len(l.refused))
	for _, lr := range l.refused {
		out = append(out, l.render(lr))
	}
	return out
}

func (l *linker) render(lr linkRec) Link {
	lk := Link{A: l.t.ids[lr.a], On: classNames[lr.k.class()], Key: l.t.keyString(lr.k), Why: lr.why}
	if lr.b >= 0 {
		lk.B = l.t.ids[lr.b]
	}
	return lk
}

// ranked returns members sorted best first.
func ranked(t *table, members []int32) []int32 {
	slices.SortFunc(members, func(a, b int32) int {
		if a == b {
			return 0
		}
		if t.better(a, b) {
			return -1
		}
		return 1
	})
	return members
}

func idsOf(t *table, members []int32) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = t.ids[m]
	}
	return out
}

// nonNil makes empty lists encode as [] rather than null.
func (res *Result) nonNil() {
	for _, p := range []*[]Cluster{&res.PersonClusters, &res.CompanyClusters} {
		if *p == nil {
			*p = []Cluster{}
		}
	}
	if res.NameVariants == nil {
		res.NameVariants = []NameVariant{}
	}
	if res.Refused == nil {
		res.Refused = []Link{}
	}
	if res.DestinationMatches == nil {
		res.DestinationMatches = []DestinationMatch{}
	}
}
