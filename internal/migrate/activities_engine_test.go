package migrate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// activityWant is what one activity must be in Pipedrive.
type activityWant struct {
	Type         string   `json:"type"`
	Done         bool     `json:"done"`
	Owner        string   `json:"owner"`
	Participants []string `json:"participants"`
	NoteHas      []string `json:"note_has,omitempty"`
}

// TestHandActivitiesAsSalesExpects takes the hand-written testdata/activities through plan
// and run at the case's clock with the proposed mapping and decisions, unedited, and reads
// the sandbox back through its API: interactions before the clock are done and those after
// it (a booking, a meeting later that day) are open; tasks follow their done column; each
// activity is owned by the user who logged it (by name with or without accents, email or
// owner id; an owner without a Pipedrive user by the fallback); direct messages are tasks
// named after their channel when they have no subject, with the channel in the note; AI
// drafts are marked and keep their source conversation, an interaction id made readable.
func TestHandActivitiesAsSalesExpects(t *testing.T) {
	h := runHandCase(t, "activities", time.Time{}) // at the case's clock
	var want struct {
		Activities map[string]activityWant `json:"activities"`
		Notes      map[string]struct {
			Has    []string `json:"has"`
			HasNot []string `json:"has_not"`
		} `json:"notes"`
	}
	if err := json.Unmarshal(h.c.Expect, &want); err != nil {
		t.Fatal(err)
	}
	if n := len(h.back.activities); n != len(want.Activities) {
		t.Errorf("%d activities in Pipedrive, want %d", n, len(want.Activities))
	}
	for subject, w := range want.Activities {
		a, ok := h.back.activities[subject]
		if !ok {
			t.Errorf("activity %q is not in Pipedrive", subject)
			continue
		}
		done, _ := a["done"].(bool)
		got := activityWant{Type: a.String("type"), Done: done, Owner: h.owner(a.Int("owner_id")),
			Participants: h.participants(a), NoteHas: w.NoteHas}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("activity %q (-want +got):\n%s", subject, diff)
		}
		for _, s := range w.NoteHas {
			if !strings.Contains(a.String("note"), s) {
				t.Errorf("activity %q note %q does not name %q", subject, a.String("note"), s)
			}
		}
	}
	for prefix, w := range want.Notes {
		n := h.noteStarting(prefix)
		if n == nil {
			continue
		}
		content := n.String("content")
		for _, s := range w.Has {
			if !strings.Contains(content, s) {
				t.Errorf("note %q: %q does not contain %q", prefix, content, s)
			}
		}
		for _, s := range w.HasNot {
			if strings.Contains(content, s) {
				t.Errorf("note %q: %q contains %q", prefix, content, s)
			}
		}
	}
}
