package webhook

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/klipy/docs"
	"ferry/internal/source"
	"ferry/internal/store"
)

// TestDocumentedExamples folds each of Klipy's documented webhook examples on its own (as
// delivered: a Svix message id, no time in the payload but deal.created's) and checks what
// comes out. Every documented example must have a row.
func TestDocumentedExamples(t *testing.T) {
	sent := time.Date(2026, 4, 22, 10, 0, 0, 0, time.UTC)
	deal := map[string]string{"id": "dl_1a2b3c", "name": "Acme Analytics - Expansion plan", "value": "18500",
		"currency": "USD", "pipeline": "Q4 Pipeline", FieldPipelineID: "pl_b4c5d6", "owner": "Alex Morgan",
		"expected_close_date": "2026-06-01T00:00:00Z", FieldIsPrivate: "false", "status": "open",
		FieldCompanyName: "Acme Analytics", FieldCompanyDomain: "acmeanalytics.com",
		FieldPersonEmail: "jordan.patel@acmeanalytics.com", FieldPersonName: "Jordan Patel",
		FieldContactEmails: "jordan.patel@acmeanalytics.com"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	notMigrated := func(typ string) FoldReport {
		return FoldReport{Events: 1, NotMigrated: map[string]int{typ: 1}}
	}
	tests := map[string]struct {
		kind   source.Kind
		fields map[string]string // nil: no record
		report FoldReport
	}{
		"deal.created": {source.Deal, with(deal, "created_at", "2026-04-20T09:21:11Z"),
			FoldReport{Events: 1, Folded: 1, Deals: 1}},
		"deal.contact_added": {source.Deal, map[string]string{"id": "dl_1a2b3c", "status": "open",
			FieldPersonIDs: "h7w8y2f1", "person_id": "h7w8y2f1"}, FoldReport{Events: 1, Folded: 1, Deals: 1}},
		"deal.moved": {source.Deal, with(deal, "created_at", "2026-04-20T09:21:11Z", "stage", "Proposal",
			"stage_history", "Opportunity@2026-04-20T09:21:11Z;Proposal@2026-04-22T10:00:00Z"),
			FoldReport{Events: 1, Folded: 1, Deals: 1}},
		"deal.closed": {source.Deal, with(deal, "created_at", "2026-03-13T09:21:11Z", "stage", StageClosedWon,
			"status", StatusWon, "closed_at", "2026-04-22T10:00:00Z",
			"stage_history", "Qualified@2026-03-13T09:21:11Z;Closed Won@2026-04-22T10:00:00Z"),
			FoldReport{Events: 1, Folded: 1, Deals: 1}},
		"interaction.captured": {source.Interaction, map[string]string{"id": "int_k8n3d1q2",
			"title": "Intro call with Acme Analytics", "created_at": "2026-04-22T10:00:00Z",
			"summary":    "Reviewed current CRM workflow and agreed to a 30-minute follow-up.",
			"person_ids": "h7w8y2f1", "person_emails": "jordan.patel@acmeanalytics.com",
			"company_ids": "cmp_a1b2c3", "company_name": "Acme Analytics", "company_domain": "acmeanalytics.com"},
			FoldReport{Events: 1, Interactions: 1}},
		"lead.captured":         {report: notMigrated("lead.captured")},
		"contact.job_changed":   {report: notMigrated("contact.job_changed")},
		"booking.created":       {report: notMigrated("booking.created")},
		"booking.cancelled":     {report: notMigrated("booking.cancelled")},
		"meeting.starting_soon": {report: notMigrated("meeting.starting_soon")},
	}
	for _, ex := range docs.Webhooks() {
		t.Run(ex.Name, func(t *testing.T) {
			tt, ok := tests[ex.Name]
			if !ok {
				t.Fatalf("documented example %s has no expectation here", ex.Name)
			}
			ev, err := ParseEvent(ex.Body)
			if err != nil {
				t.Fatalf("ParseEvent(documented %s) = %v", ex.Name, err)
			}
			f := NewFolder()
			if err := f.Add(store.Event{ID: NewMessageID(sent), Type: ev.Type, Payload: ex.Body, ReceivedAt: sent.Add(time.Hour)}); err != nil {
				t.Fatalf("Add: %v", err)
			}
			if diff := cmp.Diff(tt.report, f.Report(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			recs := f.Records()
			if tt.fields == nil {
				if len(recs) != 0 {
					t.Errorf("records = %v, want none", recs)
				}
				return
			}
			if len(recs) != 1 || recs[0].Kind != tt.kind || recs[0].Channel != source.Webhook {
				t.Fatalf("records = %v, want one %s", recs, tt.kind)
			}
			if diff := cmp.Diff(tt.fields, recs[0].Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
