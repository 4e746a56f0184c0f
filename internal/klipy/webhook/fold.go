package webhook

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

// Fields a folded deal carries beyond source.Standard[source.Deal]. Klipy's deal events name
// people and companies, not their ids, so the planner resolves these to person_id and
// company_id (person_id/company_id are set directly only when the payload has ids).
const (
	FieldPersonEmail   = "person_email"   // the point of contact's email
	FieldPersonName    = "person_name"    // the point of contact's "first last"
	FieldContactEmails = "contact_emails" // every contact's email, ';'-joined, first seen first
	FieldPersonIDs     = "person_ids"     // contact ids of deal.contact_added, first seen first
	FieldCompanyName   = "company_name"
	FieldCompanyDomain = "company_domain"
	FieldPipelineID    = "pipeline_id"
	FieldIsPrivate     = "is_private"
)

// Deal statuses, as source.Standard's status field holds them.
const (
	StatusOpen = "open"
	StatusWon  = "won"
	StatusLost = "lost"
)

// The stages a closed deal enters, as Klipy's default pipeline names them; deal.closed
// carries "won" and the stage it left, not the closed stage's name.
const (
	StageClosedWon  = "Closed Won"
	StageClosedLost = "Closed Lost"
)

// EventWalker walks stored events; store.Store satisfies it.
type EventWalker interface {
	EachEvent(ctx context.Context, fn func(store.Event) error) error
}

// FoldReport accounts for every event Fold saw:
// Events = Folded + Interactions + Duplicates + NotMigrated + Malformed.
type FoldReport struct {
	Events       int            `json:"events"`
	Folded       int            `json:"folded"`       // deal events applied
	Interactions int            `json:"interactions"` // interaction.captured events made records
	Duplicates   int            `json:"duplicates"`   // same svix-id, or same type and data under another id
	NotMigrated  map[string]int `json:"not_migrated"` // other event types by type: stored, not migrated
	Malformed    int            `json:"malformed"`    // stored payloads that do not parse
	Deals        int            `json:"deals"`
}

// NotMigratedLines says, one line per type in type order, which stored events ferry does not
// migrate: "not migrated: booking.created (3 events): Klipy's event has no Pipedrive object ferry maps it to".
func (r FoldReport) NotMigratedLines() []string {
	types := make([]string, 0, len(r.NotMigrated))
	for t := range r.NotMigrated {
		types = append(types, t)
	}
	slices.Sort(types)
	out := make([]string, 0, len(types))
	for _, t := range types {
		out = append(out, fmt.Sprintf("not migrated: %s (%d events): stored in the workspace; ferry maps no Pipedrive object to it", t, r.NotMigrated[t]))
	}
	return out
}

// Fold walks every stored event and returns the current state of each deal, ordered by id,
// then the interactions of interaction.captured events, ordered by id.
// Malformed payloads are counted in the report, not fatal; the error is the walker's.
func Fold(ctx context.Context, w EventWalker) ([]source.Record, FoldReport, error) {
	f := NewFolder()
	if err := w.EachEvent(ctx, func(e store.Event) error { f.Add(e); return nil }); err != nil {
		return nil, f.Report(), fmt.Errorf("fold webhook events: %w", err)
	}
	return f.Records(), f.Report(), nil
}

// Folder folds deal events in any arrival order: it keeps each deal's events and replays them
// in event-time order when asked, so shuffled, late or repeated deliveries give the same
// records. An event's time is deal_creation_date for deal.created, else an explicit time in
// its data when a sender adds one (Klipy documents none), else the creation time in its Svix
// message id (shared by every retry), else the time ferry first stored it (see eventTime).
// Times compare to the second; ties go created, contact added, moved, closed, then by
// message id, then by content.
//
// Klipy emits a stage change into a closed stage as deal.moved and may emit deal.closed for
// the same change (both come from the one stage update: https://klipy.ai/docs/webhooks/deal-closed).
// A deal.moved and a deal.closed that leave the same stage, one right after the other, are
// that one change whichever is first: the stage is the move's "to", the status the close's
// "won", closed_at the earlier time. A move that leaves the closed stage reopens the deal.
//
// deal.contact_added carries {deal_id, contact_id, association_type, supervisor_id}
// (https://klipy.ai/docs/webhooks/deal-contact-added): the contact id joins person_ids and
// a PRIMARY one becomes person_id. A point_of_contact on it (older senders) is read too.
//
// Each record has id, name, value, currency, pipeline, stage, status (open, won, lost),
// owner (a name), expected_close_date (RFC 3339 UTC), created_at, closed_at, person_ids,
// stage_history
// ("stage@RFC3339;…", oldest first; a deal that never moved has no known stage), and the
// Field* extras; fields the events never gave are absent.
type Folder struct {
	inter   map[string]source.Record
	ids     map[string]bool
	content map[string]bool
	deals   map[string][]dealEvent
	report  FoldReport
}

// dealEvent is one parsed deal event with its sort keys.
type dealEvent struct {
	id   string
	ev   Event
	deal Deal
	at   time.Time
	key  string // type and data: the tie-break and the content identity
}

// NewFolder returns an empty Folder.
func NewFolder() *Folder {
	return &Folder{ids: map[string]bool{}, content: map[string]bool{}, deals: map[string][]dealEvent{},
		inter: map[string]source.Record{}, report: FoldReport{NotMigrated: map[string]int{}}}
}

// Add takes one stored event. It returns an error wrapping ErrMalformedEvent for a payload
// that does not parse (also counted in the report); duplicates and non-deal events are
// counted and otherwise ignored.
func (f *Folder) Add(se store.Event) error {
	f.report.Events++
	if f.ids[se.ID] {
		f.report.Duplicates++
		return nil
	}
	f.ids[se.ID] = true
	ev, err := ParseEvent(se.Payload)
	if err != nil {
		f.report.Malformed++
		return fmt.Errorf("event %s: %w", se.ID, err)
	}
	ev.ID, ev.ReceivedAt = se.ID, se.ReceivedAt
	if ev.Type == InteractionCaptured {
		return f.addInteraction(ev)
	}
	if !ev.IsDeal() {
		f.report.NotMigrated[ev.Type]++
		return nil
	}
	d, _ := ev.Deal() // ParseEvent decoded it already
	at, src := eventTime(ev, d)
	key := ev.Type + "\x00" + canonicalJSON(ev.Data)
	if src <= timeExplicit && f.content[key] {
		f.report.Duplicates++ // the same change, with its own time, under another svix-id
		return nil
	}
	f.content[key] = true
	id := string(d.DealID)
	f.deals[id] = append(f.deals[id], dealEvent{id: se.ID, ev: ev, deal: d, at: at, key: key})
	f.report.Folded++
	return nil
}

// Report returns the counts so far.
func (f *Folder) Report() FoldReport {
	r := f.report
	r.NotMigrated = make(map[string]int, len(f.report.NotMigrated))
	for k, v := range f.report.NotMigrated {
		r.NotMigrated[k] = v
	}
	r.Deals = len(f.deals)
	return r
}

// Records returns the current state of every deal, ordered by deal id, then the captured
// interactions, ordered by id.
func (f *Folder) Records() []source.Record {
	out := make([]source.Record, 0, len(f.deals)+len(f.inter))
	for id, evs := range f.deals {
		out = append(out, foldDeal(id, evs))
	}
	byID := func(a, b source.Record) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(out, byID)
	n := len(out)
	for _, r := range f.inter {
		out = append(out, r)
	}
	slices.SortFunc(out[n:], byID)
	return out
}

// addInteraction keeps the record of an interaction.captured event; of several events for one
// interaction id the latest (by event time, then message id) wins.
func (f *Folder) addInteraction(ev Event) error {
	at, _ := eventTime(ev, Deal{})
	r, err := interactionRecord(ev, rfc(at))
	if err != nil {
		f.report.Malformed++
		return fmt.Errorf("event %s: %w", ev.ID, err)
	}
	if old, ok := f.inter[r.ID]; ok && cmp.Or(cmp.Compare(old.Fields["created_at"], r.Fields["created_at"]),
		cmp.Compare(old.Origin, r.Origin)) > 0 {
		f.report.Interactions++
		return nil
	}
	f.inter[r.ID] = r
	f.report.Interactions++
	return nil
}

// typeRank orders events of one deal that share a time: created, contact added, moved, closed.
var typeRank = map[string]int{DealCreated: 0, DealContactAdded: 1, DealMoved: 2, DealClosed: 3}

// foldDeal replays one deal's events in time order.
func foldDeal(id string, evs []dealEvent) source.Record {
	evs = slices.Clone(evs)
	slices.SortFunc(evs, func(a, b dealEvent) int {
		// Seconds only: message ids carry whole seconds, deal_creation_date milliseconds.
		return cmp.Or(a.at.Truncate(time.Second).Compare(b.at.Truncate(time.Second)),
			cmp.Compare(typeRank[a.ev.Type], typeRank[b.ev.Type]), cmp.Compare(a.id, b.id),
			cmp.Compare(a.key, b.key))
	})
	s := newDealState(id)
	for _, e := range evs {
		s.apply(e)
	}
	return source.Record{Kind: source.Deal, ID: id, Channel: source.Webhook,
		Origin: fmt.Sprintf("webhook:%d events", len(evs)), Fields: s.fields()}
}
