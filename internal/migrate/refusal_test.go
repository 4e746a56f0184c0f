package migrate

import (
	"context"
	"strings"
	"testing"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/source"
	"ferry/internal/store"
)

// TestRefusal checks the rules Pipedrive refuses a create by (API-NOTES.md: a note needs
// content and a parent; the OpenAPI documents' required name and title).
func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		entity string
		body   pipedrive.Entity
		want   string // a substring of the refusal, "" when Pipedrive takes it
	}{
		{"note", pipedrive.Entity{"content": "hi", "person_id": int64(4)}, ""},
		{"note", pipedrive.Entity{"content": "hi", "lead_id": "5f1c7e2a-0000-4000-8000-000000000001"}, ""},
		{"note", pipedrive.Entity{"content": "hi"}, "deal, person, organization or lead"},
		{"note", pipedrive.Entity{"content": "hi", "person_id": int64(0), "deal_id": nil}, "deal, person, organization or lead"},
		{"note", pipedrive.Entity{"content": "  ", "org_id": int64(2)}, "needs content"},
		{"organization", pipedrive.Entity{"name": ""}, "needs a name"},
		{"organization", pipedrive.Entity{"name": "Acme"}, ""},
		{"deal", pipedrive.Entity{"value": 3}, "needs a title"},
		{"person", pipedrive.Entity{"first_name": "Ann", "last_name": "Lee"}, ""},
		{"person", pipedrive.Entity{"emails": []any{}}, "needs a name"},
		{"activity", pipedrive.Entity{}, ""},
	} {
		got := refusal(tc.entity, tc.body, nil)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("refusal(%s, %v) = %q, want %q", tc.entity, tc.body, got, tc.want)
		}
	}
}

// refusingMapper is testMapper with one note given an author Pipedrive has no user for (a
// body ferry cannot know is bad, which the sandbox refuses with 400 "User not found."), and
// one note stripped of every link (a body Pipedrive's rules refuse, which must not be sent).
type refusingMapper struct {
	BasicMapper
	noteID, orphanID string
}

func (m refusingMapper) Payload(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	body, err := m.BasicMapper.Payload(kind, rec, refs)
	if err == nil && kind == source.Note && rec.ID == m.noteID {
		body["user_id"] = int64(987654)
	}
	if err == nil && kind == source.Note && rec.ID == m.orphanID {
		delete(body, "person_id")
		delete(body, "org_id")
		delete(body, "deal_id")
	}
	return body, err
}

// TestRefusedCreateNotResent: a note Pipedrive's rules refuse (no parent) is never sent; a
// create answered with a 4xx is recorded as failed with
// Pipedrive's message and is not sent again by the next run; once the record's input
// changes it is sent again.
func TestRefusedCreateNotResent(t *testing.T) {
	ctx := context.Background()
	f := newFixtureOpts(t, 12, 21, sandbox.Options{LogRequests: true})
	var note, orphan source.Record
	_ = f.data.Each(source.Note, func(r source.Record) error {
		switch {
		case note.ID == "" && r.Fields["person_id"] != "":
			note = r
		case orphan.ID == "":
			orphan = r
		}
		return nil
	})
	if note.ID == "" || orphan.ID == "" {
		t.Fatal("the generated data has not two notes, one with a person")
	}
	run := func() {
		t.Helper()
		e, err := New(Config{Client: f.client(0), Store: f.store, Decisions: f.dec,
			Mapper: refusingMapper{BasicMapper: testMapper(), noteID: note.ID, orphanID: orphan.ID}, Merges: f.merges, Workers: 4, FilesRoot: f.harvest})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sentWith := func(id string) int { // note creates whose body carries id (its Klipy ID marker)
		n := 0
		for _, r := range f.sb.Requests() {
			if r.Method == "POST" && r.Path == "/api/v1/notes" && strings.Contains(string(r.Body), id) {
				n++
			}
		}
		return n
	}
	noteBadRequests := func() int {
		if s := f.sb.Stats().Endpoints["POST /api/v1/notes"]; s != nil {
			return s.Status["400"]
		}
		return 0
	}
	run()
	m, err := f.store.GetMapping(ctx, source.Note, note.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != store.Failed || !strings.HasPrefix(m.Reason, refusedPrefix) || !strings.Contains(m.Reason, "User not found.") {
		t.Fatalf("refused note: state %s reason %q, want failed with Pipedrive's message", m.State, m.Reason)
	}
	if n := noteBadRequests(); n != 1 {
		t.Fatalf("first run: %d notes answered 400, want 1 (the orphan note must not be sent)", n)
	}
	if n, o := sentWith(note.ID), sentWith(orphan.ID); n != 1 || o != 0 {
		t.Fatalf("first run's request log: the refused note sent %d times (want 1), the orphan %d (want 0)", n, o)
	}
	o, err := f.store.GetMapping(ctx, source.Note, orphan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if o.State != store.Skipped || !strings.Contains(o.Reason, ErrRefused.Error()) || o.DestID != 0 {
		t.Errorf("note without a parent: state %s reason %q, want quarantined as one Pipedrive refuses", o.State, o.Reason)
	}
	before := f.posts()
	run()
	if n := noteBadRequests(); n != 1 {
		t.Errorf("second run sent the refused note again (%d answers 400 in all)", n)
	}
	if n := f.posts() - before; n != 0 {
		t.Errorf("second run sent %d POSTs, want 0", n)
	}
	if n, o := sentWith(note.ID), sentWith(orphan.ID); n != 1 || o != 0 {
		t.Errorf("second run's request log: the refused note sent %d times in all (want 1), the orphan %d (want 0)", n, o)
	}
	note.Fields["body"] += " (edited in Klipy)"
	if _, err := f.store.PutRecords(ctx, []source.Record{note}); err != nil {
		t.Fatal(err)
	}
	run()
	if n := noteBadRequests(); n != 2 {
		t.Errorf("after its input changed the note was sent %d times in all, want 2", n)
	}
	if n := sentWith(note.ID); n != 2 {
		t.Errorf("request log: after its input changed the note was sent %d times in all, want 2", n)
	}
}
