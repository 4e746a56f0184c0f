package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"ferry/internal/source"
)

// Pipeline is a Klipy pipeline and its stages in order; Renamed maps a stage name to the
// Klipy default it was renamed from.
type Pipeline struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Stages  []string          `json:"stages"`
	Renamed map[string]string `json:"renamed,omitempty"`
}

// Pipelines are the two pipelines of every generated workspace.
var Pipelines = []Pipeline{
	{ID: "pip_sales01", Name: "Sales",
		Stages:  []string{"Prospecting", "Qualified", "Proposal", "Negotiation", "Closed Won", "Closed Lost"},
		Renamed: map[string]string{"Qualified": "Discovery"}},
	{ID: "pip_partner1", Name: "Partnerships",
		Stages:  []string{"Opportunity", "Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost"},
		Renamed: map[string]string{"Opportunity": "Prospecting"}},
}

// StageHistoryFormat documents the stage_history field of deals.csv.
const StageHistoryFormat = "stage@RFC3339 items joined by ';', oldest first"

var (
	products    = []string{"Annual licence", "Pilot", "Expansion", "Renewal", "Integration", "Support plan"}
	currencies  = []string{"USD", "USD", "EUR", "GBP"}
	lostReasons = []string{"Budget", "Went with competitor", "No decision", "Timing"}
)

// deal is one deal's life, shared by harvest records and webhook events.
type deal struct {
	id, name, currency string
	value              int64 // cents
	pipe               Pipeline
	person             int // person record index
	owner              int
	created, expected  time.Time
	path               []string    // stages visited, the last one current
	at                 []time.Time // when each stage was entered
	status             string      // open, won, lost
	private            bool
}

// dealPerson returns the person record deal slot k of slots links to: one near k*n/slots,
// drawn from its own stream so dealOf can invert it cheaply.
func (d *Dataset) dealPerson(tag uint64, k, slots int) int {
	n := d.cfg.People
	stride := max(1, n/slots)
	return min(n-1, k*n/slots+d.rng(tagDealPerson, int(tag)<<40+k).IntN(stride))
}

// dealOf returns the harvest deal linked to person record i, or -1. Only deals whose slot
// lies near i can pick it, so a handful of draws decide.
func (d *Dataset) dealOf(i int) int {
	n := d.cfg.People
	stride := max(1, n/d.deals)
	lo := max(0, (i-stride)*d.deals/n-1)
	hi := min(d.deals-1, i*d.deals/n+1)
	for k := lo; k <= hi; k++ {
		if d.dealPerson(tagDeal, k, d.deals) == i {
			return k
		}
	}
	return -1
}

// dealLife generates a deal created in [from, to) linked to a person chosen near slot.
func (d *Dataset) dealLife(r *rand.Rand, tag uint64, slot, slots int, from, to time.Time) deal {
	dl := deal{id: d.id("deal_", tag, slot), currency: pick(r, currencies),
		value: 100_000 + r.Int64N(20_000_000), person: d.dealPerson(tag, slot, slots),
		owner:   r.IntN(d.owners),
		private: r.IntN(10) == 0}
	dl.pipe = Pipelines[0]
	if r.IntN(4) == 0 {
		dl.pipe = Pipelines[1]
	}
	dl.created = between(r, from, to)
	dl.expected = dl.created.AddDate(0, 1+r.IntN(6), 0).Truncate(24 * time.Hour)
	dl.status = pick(r, []string{"open", "open", "won", "lost"})
	reach := 1 + r.IntN(4) // open stages reached
	t := dl.created
	for s := range reach {
		dl.path, dl.at = append(dl.path, dl.pipe.Stages[s]), append(dl.at, t)
		t = t.Add(time.Duration(1+r.IntN(20*24)) * time.Hour)
	}
	switch dl.status {
	case "won":
		dl.path, dl.at = append(dl.path, "Closed Won"), append(dl.at, t)
	case "lost":
		dl.path, dl.at = append(dl.path, "Closed Lost"), append(dl.at, t)
	}
	return dl
}

func (dl deal) stage() string { return dl.path[len(dl.path)-1] }

// harvestDeal returns harvest deal k (created before capture began).
// It also returns the person record the deal links to.
func (d *Dataset) harvestDeal(k int) (deal, source.Record) {
	r := d.rng(tagDeal, k)
	dl := d.dealLife(r, tagDeal, k, d.deals, Epoch, CaptureStart.AddDate(0, -4, 0))
	rec, _ := d.person(dl.person)
	dl.name = dealName(r, rec)
	return dl, rec
}

func dealName(r *rand.Rand, p source.Record) string {
	who := p.Fields["company_name"]
	if who == "" {
		who = p.Fields["first_name"] + " " + p.Fields["last_name"]
	}
	return strings.TrimSpace(who) + " — " + pick(r, products)
}

// dealRecord returns harvest deal k as a record.
func (d *Dataset) dealRecord(k int) source.Record {
	dl, p := d.harvestDeal(k)
	r := d.rng(tagDeal, k+1<<40)
	f := map[string]string{"id": dl.id, "name": dl.name, "currency": dl.currency,
		"value": fmt.Sprintf("%d.%02d", dl.value/100, dl.value%100), "pipeline": dl.pipe.Name,
		"stage": dl.stage(), "status": dl.status, "person_id": p.ID,
		"company_id": p.Fields["company_id"], "owner": d.ownerRef(dl.owner, r.IntN(4)),
		"expected_close_date": dl.expected.Format(time.DateOnly), "created_at": rfc(dl.created)}
	if dl.status != "open" {
		f["closed_at"] = rfc(dl.at[len(dl.at)-1])
	}
	if dl.status == "lost" {
		f["lost_reason"] = pick(r, lostReasons)
	}
	if r.IntN(5) == 0 {
		f["tags"] = tagList(r)
	}
	hist := make([]string, len(dl.path))
	for i, s := range dl.path {
		hist[i] = s + "@" + rfc(dl.at[i])
	}
	f["stage_history"] = source.JoinList(hist)
	if k == d.badDateDeal() {
		f["created_at"] = "31/02/2024 25:61"
	}
	return source.Record{Kind: source.Deal, ID: dl.id, Channel: source.Harvest,
		Origin: "gen:deal", Fields: compact(f)}
}

// badDateDeal is the harvest deal whose created_at is deliberately unparseable.
func (d *Dataset) badDateDeal() int { return min(2, d.deals-1) }

// eachDeal yields every harvest deal.
func (d *Dataset) eachDeal(fn func(source.Record) error) error {
	for k := range d.deals {
		if err := fn(d.dealRecord(k)); err != nil {
			return err
		}
	}
	return nil
}
