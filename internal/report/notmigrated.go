package report

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// collectNotMigrated lists what does not arrive in Pipedrive, each with its reason: objects
// and fields mapping.yaml leaves out, quarantined rows, records a run failed, held or
// skipped, and what Klipy cannot give at all.
func collectNotMigrated(ctx context.Context, st store.Store, r *Report, pf planFiles) error {
	r.NotMigrated = []NotMigrated{}
	if pf.mapping != nil {
		for _, o := range pf.mapping.Objects {
			if o.Skip != "" {
				r.NotMigrated = append(r.NotMigrated, NotMigrated{Category: NotObject, Object: o.Source,
					Item: string(o.Source), Reason: o.Skip})
				continue
			}
			for _, f := range o.Fields {
				if f.Skip != "" {
					r.NotMigrated = append(r.NotMigrated, NotMigrated{Category: NotField, Object: o.Source,
						Item: f.Source, Reason: f.Skip})
				}
			}
		}
	}
	nm := newNamer(ctx, st)
	if err := addQuarantined(ctx, st, r, nm); err != nil {
		return err
	}
	if err := addRunLeftovers(ctx, st, r, nm); err != nil {
		return err
	}
	if pf.decisions != nil {
		for _, a := range pf.decisions.AcceptedLosses {
			r.NotMigrated = append(r.NotMigrated, NotMigrated{Category: NotAccepted, Item: a.Reason,
				Reason: fmt.Sprintf("accepted in decisions.yaml (ferry decide accept-loss); %d record(s) when accepted", a.Records)})
		}
	}
	r.NotMigrated = append(r.NotMigrated, notExtractable(r.Snapshot)...)
	return nil
}

// addQuarantined lists every quarantined row with file:line[:column]; attachment rows are
// attachments that cannot move. A record the mapping quarantined is named (name, email and
// Klipy id); a row extraction quarantined is shown as it was read.
func addQuarantined(ctx context.Context, st store.Store, r *Report, nm *namer) error {
	items, err := st.QuarantineItems(ctx, "")
	if err != nil {
		return err
	}
	for _, q := range items {
		cat := NotQuarantined
		if q.Kind == source.Attachment {
			cat = NotAttachment
		}
		item := clip(q.Raw, 120)
		if id, ok := strings.CutPrefix(q.Raw, engineQuarantinedRaw); ok && migrate.MappingQuarantine(q) {
			item = nm.name(q.Kind, id)
		}
		r.NotMigrated = append(r.NotMigrated, NotMigrated{Category: cat, Object: q.Kind,
			Item: item, Location: location(q), Reason: q.Reason})
	}
	return nil
}

// engineQuarantinedRaw starts the raw text of a quarantine item the engine wrote for a record
// it could not map (migrate's quarantine): the record's Klipy id follows.
const engineQuarantinedRaw = "klipy id "

// location renders file:line[:column].
func location(q store.QuarantineItem) string {
	loc := q.File
	if q.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, q.Line)
	}
	if q.Column != "" {
		loc += ":" + q.Column
	}
	return loc
}

// addRunLeftovers lists id-map rows a run failed, held or skipped by rule (rows the engine
// quarantined are already in the quarantine list); attachments among them are attachments
// that cannot move.
func addRunLeftovers(ctx context.Context, st store.Store, r *Report, nm *namer) error {
	for _, state := range []store.State{store.Failed, store.Held, store.Skipped} {
		err := st.EachMapping(ctx, "", state, func(m store.Mapping) error {
			if state == store.Skipped && strings.HasPrefix(m.Reason, engineQuarantined) {
				return nil
			}
			cat := NotRun
			if m.Kind == source.Attachment {
				cat = NotAttachment
			}
			r.NotMigrated = append(r.NotMigrated, NotMigrated{Category: cat, Object: m.Kind,
				Item: nm.name(m.Kind, m.SourceID), Reason: string(state) + ": " + m.Reason})
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// notExtractable lists what Klipy holds but cannot give (ref/klipy/NOTES.md), worded by
// what the snapshot holds.
func notExtractable(snap []KindCount) []NotMigrated {
	count := map[source.Kind]int{}
	for _, k := range snap {
		count[k.Kind] = k.Records
	}
	harvested := func(k source.Kind, what string) string {
		file := source.HarvestFile[k]
		if count[k] == 0 {
			return fmt.Sprintf("no API or webhook exposes %s and %s was not harvested: none can be migrated; copy them into %s", what, file, file)
		}
		return fmt.Sprintf("no API or webhook exposes %s: only the %d harvested in %s are migrated", what, count[k], file)
	}
	return []NotMigrated{
		{Category: NotKlipy, Object: source.Interaction, Item: "raw email bodies",
			Reason: "Klipy stores an AI summary, not the raw message; summaries move as activities"},
		{Category: NotKlipy, Object: source.Attachment, Item: "attachment content Klipy holds only metadata for",
			Reason: "Klipy keeps attachment metadata only; only files harvested into files/ can move"},
		{Category: NotKlipy, Object: source.Note, Item: "notes and AI follow-up drafts", Reason: harvested(source.Note, "notes and drafts")},
		{Category: NotKlipy, Object: source.Task, Item: "to-dos", Reason: harvested(source.Task, "to-dos")},
		{Category: NotKlipy, Item: "custom field definitions",
			Reason: "not exposed by Klipy; types were inferred from the data by ferry plan"},
	}
}

// clip shortens s to at most n runes on one line, marking a cut with "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
