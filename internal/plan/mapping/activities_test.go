package mapping

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// clockAt is NameResolver with another clock and one known interaction.
type clockAt struct {
	NameResolver
	now time.Time
}

func (c clockAt) Now() time.Time { return c.now }

func (clockAt) Interaction(id string) (map[string]string, bool) {
	if id != "7203" {
		return nil, false
	}
	return map[string]string{"type": "VOICE_NOTE", "title": "Voicemail from Marco", "interaction_date": "2024-02-20T13:22:00+00:00"}, true
}

// activityMapping is the proposal's interaction and note fields that this test needs.
func activityMapping() Mapping {
	f := func(src, target string, ts ...string) Field {
		return Field{Source: src, Target: target, Transforms: ts}
	}
	return Mapping{Version: Version, DefaultRegion: "US", Objects: []Object{
		{Source: source.Interaction, Target: EntityActivity, Done: DonePast, Fields: []Field{
			f("type", "type", TActivityType), f("channel", "type", TActivityType), f("title", "subject", TTrim),
			f("summary", "note", TSanitizeHTML), f("interaction_date", "due_date", TSplitDateTime+":2006-01-02T15:04:05Z07:00")}},
		{Source: source.Task, Target: EntityActivity, ActivityType: "task", Fields: []Field{
			f("title", "subject", TTrim), f("due_date", "due_date", TParseDate+":2006-01-02"), f("done", "done", TBoolean)}},
		{Source: source.Note, Target: EntityNote, Fields: []Field{f("body", "content", TSanitizeHTML),
			f("person_id", "person_id", "link:person"), f("ai_draft", "content", TAIDraft), f("source_conversation", "content", TConversation)}},
	}}
}

// TestApplyActivities: an interaction due before the run's clock is done and one after it
// open; a task keeps its done column; a direct message without a subject is named after its
// channel and its note names the channel; an interaction without a subject is named after
// its type.
func TestApplyActivities(t *testing.T) {
	m := activityMapping()
	if ps := validate(m); len(ps) > 0 {
		t.Fatalf("mapping invalid: %v", ps)
	}
	refs := clockAt{now: time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)}
	cases := []struct {
		name string
		kind source.Kind
		in   map[string]string
		want map[string]any
	}{
		{"past email", source.Interaction, map[string]string{"type": "EMAIL", "title": "Plan", "interaction_date": "2024-02-05T15:04:00Z"},
			map[string]any{"type": "email", "subject": "Plan", "due_date": "2024-02-05", "due_time": "15:04", "done": true}},
		{"booking to come", source.Interaction, map[string]string{"type": "BOOKING_CREATED", "title": "Demo", "interaction_date": "2024-03-18T14:00:00Z"},
			map[string]any{"type": "meeting", "subject": "Demo", "due_date": "2024-03-18", "due_time": "14:00", "done": false}},
		{"later the same day", source.Interaction, map[string]string{"type": "MEETING", "title": "Visit", "interaction_date": "2024-03-10T12:01:00Z"},
			map[string]any{"type": "meeting", "subject": "Visit", "due_date": "2024-03-10", "due_time": "12:01", "done": false}},
		{"direct message without a subject", source.Interaction, map[string]string{"type": "DIRECT_MESSAGE", "channel": "LinkedIn",
			"summary": "Asked about tiers.", "interaction_date": "2024-03-04T19:20:00Z"},
			map[string]any{"type": "task", "subject": "LinkedIn message", "note": "<p>Channel: LinkedIn</p>Asked about tiers.",
				"due_date": "2024-03-04", "due_time": "19:20", "done": true}},
		{"voice note without a subject", source.Interaction, map[string]string{"type": "VOICE_NOTE", "interaction_date": "2024-03-04T19:20:00Z"},
			map[string]any{"type": "call", "subject": "Voice note", "due_date": "2024-03-04", "due_time": "19:20", "done": true}},
		{"no date, no flag", source.Interaction, map[string]string{"type": "MEMO", "title": "Memo"},
			map[string]any{"type": "task", "subject": "Memo"}},
		{"overdue task stays open", source.Task, map[string]string{"title": "Call", "due_date": "2024-03-01", "done": "FALSE"},
			map[string]any{"type": "task", "subject": "Call", "due_date": "2024-03-01", "done": false}},
		{"AI draft answering an interaction", source.Note, map[string]string{"body": "Hi Marco", "person_id": "p1", "ai_draft": "TRUE", "source_conversation": "7203"},
			map[string]any{"person_id": "person:p1", "content": "Hi Marco<p>AI draft: a follow-up drafted by Klipy AI, kept as a draft (not sent)</p>" +
				"<p>Source conversation: Voice note \u201cVoicemail from Marco\u201d on 2024-02-20 13:22 UTC (Klipy interaction 7203)</p>"}},
		{"AI draft by kind, conversation as text", source.Note, map[string]string{"body": "Hi", "person_id": "p1", "ai_draft": "AI follow-up", "source_conversation": "LinkedIn 2024-03-04"},
			map[string]any{"person_id": "person:p1", "content": "Hi<p>AI draft: a follow-up drafted by Klipy AI, kept as a draft (not sent)</p><p>Source conversation: LinkedIn 2024-03-04</p>"}},
		{"not a draft", source.Note, map[string]string{"body": "Hi", "person_id": "p1", "ai_draft": "Nein"},
			map[string]any{"person_id": "person:p1", "content": "Hi"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ps := Apply(m, c.kind, source.Record{Kind: c.kind, ID: "x", Fields: c.in}, refs)
			if diff := cmp.Diff(c.want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if len(ps) > 0 {
				t.Errorf("problems: %+v", ps)
			}
		})
	}
}

// TestIsAIDraft reads draft flags and kinds in the forms exports use.
func TestIsAIDraft(t *testing.T) {
	for s, want := range map[string]bool{"TRUE": true, "true": true, "Ja": true, "oui": true, "yes": true, "x": true,
		"AI draft": true, "ai_follow_up": true, "KI-Entwurf": true, "FALSE": false, "Nein": false, "no": false,
		"": false, "Note": false, "Call log": false, "Email": false} {
		if got := isAIDraft(s); got != want {
			t.Errorf("isAIDraft(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestDoneNeedsActivity: done is allowed on activity objects only, with the one value past.
func TestDoneNeedsActivity(t *testing.T) {
	m := activityMapping()
	m.Objects[0].Done = "always"
	m.Objects[2].Done = DonePast
	var msgs []string
	for _, p := range validate(m) {
		msgs = append(msgs, p.Message)
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{`done "always": allowed value is past`, "done is only allowed on activity objects"} {
		if !strings.Contains(got, want) {
			t.Errorf("validate: %q, want it to contain %q", got, want)
		}
	}
}

// TestProposeAIKindColumn: a notes column of kinds that names AI drafts is proposed as the
// AI-draft mark, not a custom field or plain appended text.
func TestProposeAIKindColumn(t *testing.T) {
	recs := memRecords{source.Note: {
		{Kind: source.Note, ID: "n1", Fields: map[string]string{"id": "n1", "body": "Hi", "person_id": "p1", "custom.Kind": "AI draft"}},
		{Kind: source.Note, ID: "n2", Fields: map[string]string{"id": "n2", "body": "Met at a fair", "person_id": "p1", "custom.Kind": "Note"}},
		{Kind: source.Note, ID: "n3", Fields: map[string]string{"id": "n3", "body": "Call", "person_id": "p1", "custom.Kind": "Note"}},
	}}
	p, err := profile.Build(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	m := Propose(p, Schema{}, Options{})
	o, _ := m.Object(source.Note)
	for _, f := range o.Fields {
		if f.Source == "custom.Kind" && (f.Target != "content" || !hasTransform(f.Transforms, TAIDraft)) {
			t.Errorf("custom.Kind proposed as %+v, want content with %s", f, TAIDraft)
		}
	}
	body, _ := Apply(m, source.Note, recs[source.Note][0], NameResolver{})
	if c, _ := body["content"].(string); !strings.Contains(c, "AI draft") {
		t.Errorf("content %q does not mark the AI draft", c)
	}
	body, _ = Apply(m, source.Note, recs[source.Note][1], NameResolver{})
	if c, _ := body["content"].(string); strings.Contains(c, "AI draft") || strings.Contains(c, "Kind") {
		t.Errorf("content %q of a plain note mentions the kind", c)
	}
}

// TestProposeTaskDueTime: a task due date with a time of day keeps the time (due_time).
func TestProposeTaskDueTime(t *testing.T) {
	recs := memRecords{source.Task: {
		{Kind: source.Task, ID: "t1", Fields: map[string]string{"id": "t1", "title": "Send proposal", "due_date": "2024-03-25 10:00"}},
		{Kind: source.Task, ID: "t2", Fields: map[string]string{"id": "t2", "title": "Follow up", "due_date": "2024-04-02 09:00"}},
		{Kind: source.Task, ID: "t3", Fields: map[string]string{"id": "t3", "title": "Ship", "due_date": "2024-02-28 16:00"}},
	}}
	p, err := profile.Build(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	m := Propose(p, Schema{}, Options{})
	body, ps := Apply(m, source.Task, recs[source.Task][0], NameResolver{})
	if body["due_date"] != "2024-03-25" || body["due_time"] != "10:00" || len(ps) > 0 {
		t.Errorf("task body %v (problems %v), want due 2024-03-25 at 10:00", body, ps)
	}
}
