package extract

import (
	"context"
	"fmt"
	"strings"

	"ferry/internal/klipy/harvest"
	"ferry/internal/plan/normalize"
	"ferry/internal/source"
	"ferry/internal/store"
)

// DiscoveredOrigin starts the Origin of a company record extract made from references (see
// source.DiscoveredOrigin).
const DiscoveredOrigin = source.DiscoveredOrigin

// IsDiscovered is source.IsDiscovered.
func IsDiscovered(r source.Record) bool { return source.IsDiscovered(r) }

// Discovered is one company extract made from references (see DiscoveredOrigin).
type Discovered struct {
	ID   string `json:"id"`   // synthesized from the normalized name: stable across extracts
	Name string `json:"name"` // the spelling most references use
	// References counts the records that name it; First is the origin of the first one
	// ("people.csv:12").
	References int    `json:"references"`
	First      string `json:"first"`
}

// refKinds are the kinds whose records may name their company by name or domain.
var refKinds = map[source.Kind]bool{source.Person: true, source.Deal: true, source.Interaction: true,
	source.Note: true, source.Task: true}

// discovery watches the records every channel stages and collects the company names that
// records reference without a company id: after staging, the names that no company record
// carries (compared as normalize.CompanyName: case, accents, punctuation and legal forms
// aside) and whose reference gives no domain of a known company become companies.
type discovery struct {
	names, domains map[string]bool // of company records
	refs           map[string]*nameRef
	order          []string // ref keys in first-seen order
}

// nameRef is one referenced company name: its spellings with their counts, in first-seen
// order.
type nameRef struct {
	spellings []spelling
	channel   source.Channel
	first     string
	domains   []string // company_domain values given beside the name (comparison form)
	count     int
}

func newDiscovery() *discovery {
	return &discovery{names: map[string]bool{}, domains: map[string]bool{}, refs: map[string]*nameRef{}}
}

// observe looks at one record a channel supplies (kind not yet staged) for a reference. The
// companies are read from staging afterwards (knowStaged): a channel that resumes after a
// crash does not show again what it staged before it.
func (d *discovery) observe(ch source.Channel, r source.Record) {
	if refKinds[r.Kind] {
		d.reference(ch, r)
	}
}

// knowStaged adds the companies every channel staged to what d knows.
func (d *discovery) knowStaged(ctx context.Context, staging store.Store) error {
	for _, ch := range Precedence {
		err := staging.EachRecord(ctx, stagedKind(ch, source.Company), func(r source.Record) error {
			d.company(r)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// company records the keys one company record is found by.
func (d *discovery) company(r source.Record) {
	if n := normalize.CompanyName(r.Fields["name"]); n != "" {
		d.names[n] = true
	}
	for _, f := range []string{"domain", "website"} {
		if dom, ok := normalize.Domain(r.Fields[f]); ok {
			d.domains[dom] = true
		}
	}
}

// reference records the company a record names by name alone (no company id).
func (d *discovery) reference(ch source.Channel, r source.Record) {
	f := r.Fields
	if strings.TrimSpace(f["company_id"]) != "" || strings.TrimSpace(f["company_ids"]) != "" {
		return // linked by id: a dangling id is reported by the run, not turned into a company
	}
	raw := strings.TrimSpace(f["company_name"])
	key := normalize.CompanyName(raw)
	if key == "" {
		return
	}
	ref := d.refs[key]
	if ref == nil {
		ref = &nameRef{channel: ch, first: r.Origin}
		d.refs[key] = ref
		d.order = append(d.order, key)
	}
	ref.add(raw)
	ref.count++
	if dom, ok := normalize.Domain(f["company_domain"]); ok {
		ref.domains = append(ref.domains, dom)
	}
}

// result returns the companies to make: each referenced name no company carries, unless one
// of its references gives the domain of a known company (that reference links by domain).
func (d *discovery) result() []discovered {
	var out []discovered
	for _, key := range d.order {
		ref := d.refs[key]
		if d.names[key] || d.anyKnownDomain(ref.domains) {
			continue
		}
		out = append(out, discovered{channel: ref.channel, Discovered: Discovered{
			ID: harvest.SynthID(source.Company, "name:"+key), Name: mostUsed(ref.spellings),
			References: ref.count, First: ref.first}})
	}
	return out
}

func (d *discovery) anyKnownDomain(doms []string) bool {
	for _, dom := range doms {
		if d.domains[dom] {
			return true
		}
	}
	return false
}

// discovered is a Discovered with the channel whose records named it.
type discovered struct {
	Discovered
	channel source.Channel
}

// spelling is one way records write a company name, with how many do.
type spelling struct {
	text string
	n    int
}

// add counts one use of the spelling s.
func (ref *nameRef) add(s string) {
	for i := range ref.spellings {
		if ref.spellings[i].text == s {
			ref.spellings[i].n++
			return
		}
	}
	ref.spellings = append(ref.spellings, spelling{s, 1})
}

// mostUsed returns the spelling used most often (ties: the first seen, in the channels'
// reading order: people before deals, file rows in order).
func mostUsed(spellings []spelling) string {
	best := spellings[0]
	for _, s := range spellings[1:] {
		if s.n > best.n {
			best = s
		}
	}
	return best.text
}

// knowSnapshot adds the companies of the snapshot to what d knows: used when a channel
// supplied companies only in part (an unreadable companies file keeps the snapshot's).
func (d *discovery) knowSnapshot(ctx context.Context, target store.Store) error {
	return target.EachRecord(ctx, source.Company, func(r source.Record) error {
		if !IsDiscovered(r) {
			d.company(r)
		}
		return nil
	})
}

// discover stages the companies d found (see discovery) and returns them. When some channel
// supplied companies only in part, the snapshot's companies count as known too.
func discover(ctx context.Context, target, staging store.Store, d *discovery, partial bool) ([]Discovered, error) {
	if len(d.refs) == 0 {
		return nil, nil
	}
	if err := d.knowStaged(ctx, staging); err != nil {
		return nil, fmt.Errorf("read the staged companies: %w", err)
	}
	if partial {
		if err := d.knowSnapshot(ctx, target); err != nil {
			return nil, fmt.Errorf("read the snapshot's companies: %w", err)
		}
	}
	found := d.result()
	if len(found) == 0 {
		return nil, nil
	}
	if err := stageDiscovered(ctx, staging, found); err != nil {
		return nil, err
	}
	out := make([]Discovered, len(found))
	for i, f := range found {
		out[i] = f.Discovered
	}
	return out, nil
}

// stageDiscovered makes the companies d found and stages them with the channel that named
// them, so that they merge, change and leave the snapshot like any other record.
func stageDiscovered(ctx context.Context, staging store.Store, found []discovered) error {
	if len(found) == 0 {
		return nil
	}
	recs := make([]source.Record, len(found))
	for i, f := range found {
		recs[i] = source.Record{Kind: stagedKind(f.channel, source.Company), ID: f.ID, Channel: f.channel,
			Origin: DiscoveredOrigin + f.First, Fields: map[string]string{"id": f.ID, "name": f.Name}}
	}
	if _, err := staging.PutRecords(ctx, recs); err != nil {
		return fmt.Errorf("stage %d companies discovered from references: %w", len(recs), err)
	}
	return nil
}
