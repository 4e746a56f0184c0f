package decide

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// deal is one hand-written deals-file row: pipeline, stage, stage history, status.
type deal struct{ pipeline, stage, history, status string }

// TestStageOrder: stages are proposed in funnel order from the data, never alphabetically
// when there is evidence: stage histories across deals (the exports' own funnels), Klipy's
// default order, numeric prefixes, first rows; closing stages last; a cycle in the
// histories is broken by the majority.
func TestStageOrder(t *testing.T) {
	cases := []struct {
		name     string
		deals    []deal
		want     map[string][]string
		evidence string
		closed   map[string]int
	}{
		{name: "sheets-export", deals: []deal{
			{"Sales", "Negotiation", "Lead In;Qualified;Demo;Proposal;Negotiation", "won"},
			{"Sales", "Proposal", "Lead In;Qualified;Demo;Proposal", "open"},
			{"Sales", "Demo", "Lead In;Qualified;Demo", "lost"},
			{"Partnerships", "Pilot", "Intro;Pilot", "open"},
			{"Partnerships", "Contract", "Intro;Pilot;Contract", "won"},
			{"Sales", "Qualified", "Lead In;Qualified", "open"},
			{"Sales", "Lead In", "Lead In", "open"},
			{"Sales", "Demo", "Lead In;Qualified;Demo", "open"},
		}, want: map[string][]string{"Sales": {"Lead In", "Qualified", "Demo", "Proposal", "Negotiation"},
			"Partnerships": {"Intro", "Pilot", "Contract"}}, evidence: "stage histories"},
		{name: "excel-eu", deals: []deal{
			{"Vertrieb", "Verhandlung", "Erstkontakt;Bedarfsanalyse;Angebot versendet;Verhandlung", "won"},
			{"Vertrieb", "Bedarfsanalyse", "Erstkontakt;Bedarfsanalyse", "open"},
			{"Vertrieb", "Angebot versendet", "Erstkontakt;Bedarfsanalyse;Angebot versendet", "open"},
			{"Vertrieb", "Erstkontakt", "Erstkontakt", "open"},
		}, want: map[string][]string{"Vertrieb": {"Erstkontakt", "Bedarfsanalyse", "Angebot versendet", "Verhandlung"}}, evidence: "stage histories"},
		{name: "crm-dump", deals: []deal{
			{"New Business", "Negotiation", "Discovery;Demo;Proposal;Negotiation", "open"},
			{"New Business", "Closing", "Discovery;Demo;Proposal;Negotiation;Closing", "won"},
			{"New Business", "Proposal", "Discovery;Demo;Proposal", "open"},
			{"New Business", "Demo", "Discovery;Demo", "lost"},
			{"Renewals", "Commit", "Upcoming;Quote Sent;Commit", "won"},
			{"New Business", "Discovery", "Discovery", "open"},
			{"Renewals", "Quote Sent", "Upcoming;Quote Sent", "open"},
		}, want: map[string][]string{"New Business": {"Discovery", "Demo", "Proposal", "Negotiation", "Closing"},
			"Renewals": {"Upcoming", "Quote Sent", "Commit"}}, evidence: "stage histories"},
		{name: "histories with timestamps and Klipy's closing stages", deals: []deal{
			{"Main", "Closed Won", "Opportunity@2024-01-01T00:00:00Z;Discovery@2024-01-05T00:00:00Z;Closed Won@2024-02-01T00:00:00Z", ""},
			{"Main", "Closed Lost", "Opportunity@2024-01-01T00:00:00Z;Closed Lost@2024-01-09T00:00:00Z", ""},
			{"Main", "Discovery", "Opportunity;Discovery", "open"},
		}, want: map[string][]string{"Main": {"Opportunity", "Discovery", "Closed Won", "Closed Lost"}}, evidence: "stage histories"},
		{name: "Klipy's default names, no history", deals: []deal{
			{"Sales", "Negotiation", "", "open"}, {"Sales", "Closed Lost", "", "lost"}, {"Sales", "Prospecting", "", "open"},
			{"Sales", "Closed Won", "", "won"}, {"Sales", "proposal", "", "open"},
		}, want: map[string][]string{"Sales": {"Prospecting", "proposal", "Negotiation", "Closed Won", "Closed Lost"}},
			evidence: "default", closed: map[string]int{"Sales": 2}},
		{name: "numeric prefixes beat the alphabet", deals: []deal{
			{"P", "10. Contract", "", "open"}, {"P", "2. Demo", "", "open"}, {"P", "1. Lead", "", "open"}, {"P", "3) Offer", "", "won"},
		}, want: map[string][]string{"P": {"1. Lead", "2. Demo", "3) Offer", "10. Contract"}}, evidence: "numbers"},
		{name: "first rows when nothing else", deals: []deal{
			{"P", "Zulu", "", "open"}, {"P", "Alpha", "", "open"}, {"P", "Zulu", "", "open"}, {"P", "Mike", "", "won"},
		}, want: map[string][]string{"P": {"Zulu", "Alpha", "Mike"}}, evidence: "first appear", closed: map[string]int{}},
		{name: "a cycle goes the majority's way", deals: []deal{
			{"P", "B", "A;B", "open"}, {"P", "B", "A;B", "open"}, {"P", "A", "B;A", "open"}, {"P", "C", "B;C", "open"},
		}, want: map[string][]string{"P": {"A", "B", "C"}}, evidence: "stage histories"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := NewScan()
			for i, d := range c.deals {
				sc.Add(source.Record{Kind: source.Deal, ID: fmt.Sprintf("d%02d", i), Origin: fmt.Sprintf("deals.csv:%d", i+2),
					Fields: map[string]string{"pipeline": d.pipeline, "stage": d.stage, "stage_history": d.history, "status": d.status}})
			}
			got := map[string][]string{}
			for _, pm := range proposePipelines(sc, Destination{}) {
				for _, s := range pm.Stages {
					got[pm.Klipy] = append(got[pm.Klipy], s.Klipy)
				}
				if !strings.Contains(pm.Order, c.evidence) {
					t.Errorf("pipeline %s order evidence %q, want it to mention %q", pm.Klipy, pm.Order, c.evidence)
				}
				if c.closed != nil && pm.ClosedToLast != c.closed[pm.Klipy] {
					t.Errorf("pipeline %s: %d closed deals to the last stage, want %d", pm.Klipy, pm.ClosedToLast, c.closed[pm.Klipy])
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("stage order (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStageOrderSurvivesShards: scanning the deals in two halves and merging gives the
// order of one scan (ferry plan scans in shards).
func TestStageOrderSurvivesShards(t *testing.T) {
	rows := []deal{{"S", "C", "A;B;C", "open"}, {"S", "B", "A;B", "open"}, {"S", "D", "A;B;C;D", "won"}, {"S", "A", "A", "open"}}
	one, a, b := NewScan(), NewScan(), NewScan()
	for i, d := range rows {
		r := source.Record{Kind: source.Deal, ID: fmt.Sprint(i), Origin: fmt.Sprintf("deals.csv:%d", i+2),
			Fields: map[string]string{"pipeline": d.pipeline, "stage": d.stage, "stage_history": d.history, "status": d.status}}
		one.Add(r)
		if i%2 == 0 {
			a.Add(r)
		} else {
			b.Add(r)
		}
	}
	a.Merge(b)
	if diff := cmp.Diff(proposePipelines(one, Destination{}), proposePipelines(a, Destination{})); diff != "" {
		t.Errorf("merged scan proposes differently (-one +merged):\n%s", diff)
	}
}

// TestNoCollapseOnOneSharedStage: a pipeline sharing one stage name with an existing
// pipeline of another name is created, not folded into it.
func TestNoCollapseOnOneSharedStage(t *testing.T) {
	sc := NewScan()
	sc.Add(source.Record{Kind: source.Deal, ID: "d1", Fields: map[string]string{"pipeline": "Sales", "stage": "Qualified", "status": "open"}})
	dest := Destination{Pipelines: []Pipeline{{Name: "Pipeline", Stages: []string{"Qualified", "Contact Made", "Demo Scheduled"}}}}
	got := proposePipelines(sc, dest)
	if len(got) != 1 || got[0].Action != ActionCreate || got[0].Target != "Sales" {
		t.Errorf("proposal %+v, want Sales created", got)
	}
}
