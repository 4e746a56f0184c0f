package migrate

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// linksExpect is the expect block of testdata/links.
type linksExpect struct {
	Deals map[string]struct {
		PersonEmail string `json:"person_email"`
		OrgName     string `json:"org_name"`
		Owner       string `json:"owner"`
	} `json:"deals"`
	Activities map[string]struct {
		Participants []string `json:"participants"`
		OrgName      string   `json:"org_name"`
		Owner        string   `json:"owner"`
	} `json:"activities"`
	Notes map[string]struct {
		PersonEmail string `json:"person_email"`
		OrgName     string `json:"org_name"`
	} `json:"notes"`
	Refused map[string]string `json:"refused"`
	Files   map[string]struct {
		PersonEmail string `json:"person_email"`
		OrgName     string `json:"org_name"`
	} `json:"files"`
	Warnings map[string][]string `json:"warnings"`
}

// TestHandLinksResolve takes the hand-written testdata/links (people named by email in
// every spelling exports use, companies by name and domain, owners by id, email and accented
// name, a merged duplicate) through plan and run with the mapping ferry proposes, unedited,
// and reads the sandbox back through its API: every deal's person and organization, every
// activity's participants, organization and owner, every note's and file's links; the note
// attached to nothing is refused with the reason; the references that name nothing are
// reported per record with their values.
func TestHandLinksResolve(t *testing.T) {
	ctx := context.Background()
	h := runHandCase(t, "links", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	var want linksExpect
	if err := json.Unmarshal(h.c.Expect, &want); err != nil {
		t.Fatal(err)
	}
	for id, w := range want.Deals {
		title := recordField(h.c, source.Deal, id, "name")
		d, ok := h.back.deals[title]
		if !ok {
			t.Errorf("deal %s (%q) is not in Pipedrive", id, title)
			continue
		}
		got := [3]string{h.personEmail(d.Int("person_id")), h.orgName(d.Int("org_id")), h.owner(d.Int("owner_id"))}
		if diff := cmp.Diff([3]string{w.PersonEmail, w.OrgName, w.Owner}, got); diff != "" {
			t.Errorf("deal %s person, organization, owner (-want +got):\n%s", id, diff)
		}
	}
	for subject, w := range want.Activities {
		a, ok := h.back.activities[subject]
		if !ok {
			t.Errorf("activity %q is not in Pipedrive", subject)
			continue
		}
		if diff := cmp.Diff(w.Participants, h.participants(a)); diff != "" {
			t.Errorf("activity %q participants (-want +got):\n%s", subject, diff)
		}
		if got := h.orgName(a.Int("org_id")); got != w.OrgName {
			t.Errorf("activity %q organization = %q, want %q", subject, got, w.OrgName)
		}
		if got := h.owner(a.Int("owner_id")); got != w.Owner {
			t.Errorf("activity %q owner = %q, want %q", subject, got, w.Owner)
		}
	}
	for prefix, w := range want.Notes {
		n := h.noteStarting(prefix)
		if n == nil {
			continue
		}
		got := [2]string{h.personEmail(n.Int("person_id")), h.orgName(n.Int("org_id"))}
		if diff := cmp.Diff([2]string{w.PersonEmail, w.OrgName}, got); diff != "" {
			t.Errorf("note %q person, organization (-want +got):\n%s", prefix, diff)
		}
	}
	for name, w := range want.Files {
		f, ok := h.back.files[name]
		if !ok {
			t.Errorf("file %q is not in Pipedrive", name)
			continue
		}
		got := [2]string{h.personEmail(f.Int("person_id")), h.orgName(f.Int("org_id"))}
		if diff := cmp.Diff([2]string{w.PersonEmail, w.OrgName}, got); diff != "" {
			t.Errorf("file %q person, organization (-want +got):\n%s", name, diff)
		}
	}
	for id, reason := range want.Refused {
		st, why := h.state(ctx, source.Note, id)
		if st != store.Skipped || !strings.Contains(why, reason) {
			t.Errorf("note %s: %s (%s), want skipped into quarantine because it %s", id, st, why, reason)
		}
	}
	if n := len(h.back.notes); n != len(want.Notes) {
		t.Errorf("%d notes in Pipedrive, want %d", n, len(want.Notes))
	}
	warned := map[string]string{}
	for _, w := range h.rep.Warnings {
		warned[w.SourceID] += w.Message + "\n"
	}
	for id, values := range want.Warnings {
		for _, v := range values {
			if !strings.Contains(warned[id], v) {
				t.Errorf("no warning of %s names %q; warnings: %q", id, v, warned[id])
			}
		}
	}
	for id, msg := range warned {
		if _, ok := want.Warnings[id]; !ok {
			t.Errorf("unexpected warning for %s: %s", id, msg)
		}
	}
}

// recordField returns a field of a hand-written record.
func recordField(c handCase, kind source.Kind, id, field string) string {
	for _, r := range c.Records[kind] {
		if r["id"] == id {
			return r[field]
		}
	}
	return ""
}

// noteStarting returns the one note whose content starts with prefix.
func (h *handRun) noteStarting(prefix string) pipedrive.Entity {
	var hit pipedrive.Entity
	for _, n := range h.back.notes {
		if strings.HasPrefix(strings.TrimPrefix(n.String("content"), "<p>"), prefix) {
			if hit != nil {
				h.t.Errorf("several notes start with %q", prefix)
			}
			hit = n
		}
	}
	if hit == nil {
		h.t.Errorf("no note starts with %q", prefix)
	}
	return hit
}
