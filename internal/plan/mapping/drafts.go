package mapping

import (
	"fmt"
	"strings"
	"time"

	"ferry/internal/plan/profile"
)

// isAIDraft reads an AI-draft flag or kind: a yes in any language ProfileBool knows (TRUE,
// Ja, oui, x) or a kind naming AI ("AI draft", "ai_follow_up", "AI-generated").
func isAIDraft(s string) bool {
	if v, ok := profile.ParseBool(s); ok {
		return v
	}
	for _, w := range words(s) {
		if w == "ai" || w == "ki" || w == "gpt" {
			return true
		}
	}
	return false
}

// conversation renders a source conversation: an interaction id the snapshot has becomes a
// readable reference (its type, subject, time and id); anything else is kept as written.
func (b *builder) conversation(s string) string {
	f, ok := b.refs.Interaction(strings.TrimSpace(s))
	if !ok {
		return s
	}
	what := typeLabel(f["type"])
	if ch := strings.TrimSpace(f["channel"]); ch != "" {
		what = ch + " message"
	}
	if what == "" {
		what = "Interaction"
	}
	if t := strings.TrimSpace(f["title"]); t != "" {
		what += fmt.Sprintf(" \u201c%s\u201d", t)
	}
	if at, err := time.Parse(time.RFC3339, strings.TrimSpace(f["interaction_date"])); err == nil {
		what += " on " + at.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return fmt.Sprintf("%s (Klipy interaction %s)", what, strings.TrimSpace(s))
}
