package gen

import (
	"cmp"
	"slices"
	"time"
)

// Live deal webhook event types.
const (
	EventDealCreated      = "deal.created"
	EventDealMoved        = "deal.moved"
	EventDealClosed       = "deal.closed"
	EventDealContactAdded = "deal.contact_added"
)

// DealEvent is one Klipy webhook event about a deal created after capture began. Data holds
// the payload fields Klipy documents for the event type.
type DealEvent struct {
	ID   string         `json:"id"` // unique event id, "msg_…"
	Type string         `json:"type"`
	Time time.Time      `json:"time"`
	Data map[string]any `json:"data"`
}

// liveDeal returns live deal l: created between CaptureStart and Now, spread evenly.
func (d *Dataset) liveDeal(l int) deal {
	r := d.rng(tagLiveDeal, l)
	span := Now.Sub(CaptureStart) - 72*time.Hour
	from := CaptureStart.Add(span * time.Duration(l) / time.Duration(d.liveDeals))
	to := CaptureStart.Add(span * time.Duration(l+1) / time.Duration(d.liveDeals))
	dl := d.dealLife(r, tagLiveDeal, l, d.liveDeals, from, to)
	// Squeeze the stage moves into the capture window: an hour to a day apart.
	t := dl.created
	for i := range dl.at {
		dl.at[i] = t
		t = t.Add(time.Duration(1+r.IntN(24)) * time.Hour)
	}
	p, _ := d.person(dl.person)
	dl.name = dealName(r, p)
	return dl
}

// liveEvents returns the events of live deal l in time order.
func (d *Dataset) liveEvents(l int) []DealEvent {
	dl := d.liveDeal(l)
	r := d.rng(tagLiveDeal, l+1<<40)
	base := d.dealPayload(dl)
	evID := func(k int) string { return d.id("msg_", tagLiveDeal, l*16+k) }
	evs := []DealEvent{{ID: evID(0), Type: EventDealCreated, Time: dl.created, Data: base}}
	for i := 1; i < len(dl.path); i++ {
		data := copyMap(base)
		data["from"] = dl.path[i-1]
		typ := EventDealMoved
		if dl.path[i] == "Closed Won" || dl.path[i] == "Closed Lost" {
			typ = EventDealClosed
			data["won"] = dl.path[i] == "Closed Won"
			data["cycle_length"] = int(dl.at[i].Sub(dl.created).Hours() / 24)
			data["days_diff_from_estimate"] = int(dl.at[i].Sub(dl.expected).Hours() / 24)
		} else {
			data["to"] = dl.path[i]
			data["actor_name"] = d.owner(r.IntN(d.owners)).name
		}
		evs = append(evs, DealEvent{ID: evID(i), Type: typ, Time: dl.at[i], Data: data})
	}
	if l%2 == 0 || r.IntN(3) == 0 {
		data := copyMap(base)
		other := min(d.cfg.People-1, dl.person+1+r.IntN(5))
		data["point_of_contact"] = d.contactOf(other)
		p, _ := d.person(other)
		data["contact_id"] = p.ID // what Klipy's documented deal.contact_added carries
		at := dl.created.Add(time.Duration(1+r.IntN(50)) * time.Minute)
		evs = append(evs, DealEvent{ID: evID(15), Type: EventDealContactAdded, Time: at, Data: data})
	}
	return evs
}

// dealPayload returns the fields every deal event carries.
func (d *Dataset) dealPayload(dl deal) map[string]any {
	m := map[string]any{"deal_id": dl.id, "pipeline_id": dl.pipe.ID, "pipeline": dl.pipe.Name,
		"estimated_value": float64(dl.value) / 100, "currency": dl.currency,
		"deal_creation_date": rfc(dl.created), "estimated_close_date": dl.expected.Format(time.DateOnly),
		"is_private": dl.private, "deal_name": dl.name, "owner_name": d.owner(dl.owner).name,
		"point_of_contact": d.contactOf(dl.person)}
	h := d.human(d.root(dl.person))
	if h.org >= 0 {
		m["company"] = map[string]any{"name": h.o.name, "domain": h.o.domain}
	}
	return m
}

// contactOf returns the webhook point_of_contact of person record i: its name as the
// record writes it and the person's canonical email.
func (d *Dataset) contactOf(i int) map[string]any {
	p, _ := d.person(i)
	h := d.human(d.root(i))
	return map[string]any{"first_name": p.Fields["first_name"], "last_name": p.Fields["last_name"],
		"email": h.email, "title": h.title}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+4)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// LiveDealEvents calls fn with every webhook event of the deals created after capture began,
// in time order (ties by event id). It holds the events of all live deals in memory, about
// one per hundred people. It stops at and returns the first error fn returns.
func (d *Dataset) LiveDealEvents(fn func(DealEvent) error) error {
	var all []DealEvent
	for l := range d.liveDeals {
		all = append(all, d.liveEvents(l)...)
	}
	slices.SortFunc(all, func(a, b DealEvent) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID))
	})
	for _, e := range all {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
