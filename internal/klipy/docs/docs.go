// Package docs holds the payload examples of Klipy's public documentation, written out by hand
// from the pages named below, so that the client, the event folder and the sandbox are all
// checked against what Klipy documents rather than against each other.
//
// Webhook examples ({type, object:"event", data}), one file per event type, from
// https://klipy.ai/docs/webhooks/<type with dots and underscores as dashes> (read 2026):
// deal.created, deal.contact_added, deal.moved, deal.closed, lead.captured,
// interaction.captured, booking.created, booking.cancelled, contact.job_changed,
// meeting.starting_soon. (booking.rescheduled, meeting.completed and meeting.no_showed are
// listed on https://klipy.ai/docs/webhooks/event-types but their examples were not retrievable.)
//
// API examples: the old generation's query and get of interactions
// (https://developer.klipycrm.com/api-reference/interactions/query-interaction-records and
// …/get-interaction-record-by-id: {success, data: {interactions: […]}} with ISO times) and the
// new generation's create answer (https://klipy.ai/docs/api-reference/interactions/create-an-interaction:
// {object, data, meta{request_id, api_version, timestamp}}). The new generation's list body is
// not shown anywhere: https://klipy.ai/docs/api/introduction says only "page_info (cursor-based)".
package docs

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed webhooks/*.json api/*.json
var files embed.FS

// Example is one documented payload.
type Example struct {
	Name string // file name without .json: the event type, or "old.interactions.query", …
	Body []byte // as documented (re-indented)
}

// Webhooks returns the documented webhook examples, ordered by event type.
func Webhooks() []Example { return read("webhooks") }

// API returns the documented API answer examples, ordered by name.
func API() []Example { return read("api") }

// Webhook returns the documented example of one event type; it panics for a type without one
// (a programming error: the set is fixed at build time).
func Webhook(eventType string) []byte {
	for _, e := range Webhooks() {
		if e.Name == eventType {
			return e.Body
		}
	}
	panic(fmt.Sprintf("docs: no documented example of %s", eventType))
}

// WebhookData returns the data object of one event type's documented example.
func WebhookData(eventType string) map[string]any {
	var env struct {
		Data map[string]any `json:"data"`
	}
	dec := json.NewDecoder(strings.NewReader(string(Webhook(eventType))))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		panic(fmt.Sprintf("docs: example of %s: %v", eventType, err))
	}
	return env.Data
}

func read(dir string) []Example {
	entries, err := files.ReadDir(dir)
	if err != nil {
		panic(err) // embedded at build time
	}
	var out []Example
	for _, e := range entries {
		b, err := files.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			panic(err)
		}
		out = append(out, Example{Name: strings.TrimSuffix(e.Name(), ".json"), Body: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
