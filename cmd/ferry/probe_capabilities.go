package main

import (
	"fmt"
	"strings"

	"ferry/internal/report"
	"ferry/internal/source"
)

// capabilities builds the capability table from what the probe found.
func capabilities(res probeResult) []capability {
	api := res.Klipy.Reachable
	apiCount := func() string {
		if res.Klipy.Complete {
			return fmt.Sprint(res.Klipy.People)
		}
		return fmt.Sprintf("at least %d", res.Klipy.People)
	}
	row := func(obj string, k source.Kind, viaAPI bool, note string) capability {
		var chans []string
		count := ""
		if viaAPI && api {
			chans = append(chans, "api")
		}
		if n, ok := harvestRows(res.Harvest, k); ok {
			chans = append(chans, "harvest")
			count = fmt.Sprint(n)
		}
		if k == source.Person && api {
			count = apiCount()
		}
		if len(chans) == 0 {
			return capability{Object: obj, Channels: "none yet", Count: "-",
				Note: "add " + source.HarvestFile[k] + " to the harvest folder" + apiHint(viaAPI, api)}
		}
		if count == "" {
			count = "counted on extract"
		}
		return capability{Object: obj, Channels: strings.Join(chans, " + "), Count: count, Note: note}
	}
	caps := []capability{
		row("people", source.Person, true, "API lacks tags, owner, custom fields: harvest fills them"),
		row("companies", source.Company, true, "API has no list: ids gathered from people and interactions"),
		dealCapability(res),
		row("interactions", source.Interaction, true, "EMAIL, MEETING, DIRECT_MESSAGE, VOICE_NOTE, MEMO, BOOKING_*"),
		row("notes, AI drafts", source.Note, false, "no API: only what was harvested"),
		row("to-dos", source.Task, false, "no API: only what was harvested"),
		row("owners", source.Owner, false, "no users endpoint: harvest, or names on deal events"),
		row("attachments", source.Attachment, false, "content only from files/ in the harvest folder"),
	}
	return append(caps, notExtractable()...)
}

func apiHint(viaAPI, api bool) string {
	if viaAPI && !api {
		return ", or set KLIPY_API_KEY"
	}
	return ""
}

// dealCapability: deals come from captured events (after capture began) and deals.csv.
func dealCapability(res probeResult) capability {
	var chans []string
	n := 0
	if res.Events.Deals > 0 {
		chans = append(chans, "webhook")
		n += res.Events.Deals
	}
	if h, ok := harvestRows(res.Harvest, source.Deal); ok {
		chans = append(chans, "harvest")
		n += h
	}
	c := capability{Object: "deals", Count: fmt.Sprintf("up to %d", n),
		Note: "no API: events since capture began + deals.csv for older ones"}
	if len(chans) == 0 {
		c.Channels, c.Count = "none yet", "-"
		c.Note = "run ferry listen for new deals and add deals.csv for existing ones"
		return c
	}
	c.Channels = strings.Join(chans, " + ")
	return c
}

// notExtractable lists what Klipy holds but cannot give, with the reason.
func notExtractable() []capability {
	return []capability{
		{"email bodies", "not extractable", "-", "Klipy stores an AI summary, not the raw message; summaries move as activities"},
		{"attachment content (API)", "not extractable", "-", "Klipy keeps attachment metadata only; harvest the files"},
		{"drafts, to-dos not harvested", "not extractable", "-", "no API or webhook exposes them; copy them into notes.csv/tasks.csv"},
		{"custom field definitions", "not extractable", "-", "not exposed; types are inferred from the data by ferry plan"},
	}
}

// probeNotes records where the platforms' docs contradict the service description, and
// anything the user should act on.
func probeNotes(res probeResult) []string {
	notes := []string{
		"Klipy documents a beta REST API (people, companies, interactions); deals only via webhooks",
		"Klipy stages can be renamed: the stage map in ferry plan is built from the names found",
	}
	if res.Harvest != nil {
		if _, _, q := res.Harvest.Totals(); q > 0 {
			notes = append(notes, fmt.Sprintf("%d harvest rows will be quarantined, so ferry extract will exit 6 (incomplete) and list each in report/%s: see ferry harvest check", q, report.QuarantineFile))
		}
	}
	return notes
}
