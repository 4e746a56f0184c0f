package extract

import (
	"context"
	"errors"

	"ferry/internal/klipy"
	"ferry/internal/klipy/harvest"
	"ferry/internal/klipy/webhook"
	"ferry/internal/source"
	"ferry/internal/store"
)

// batchSize is how many records a channel hands to the staging store at once.
const batchSize = 1000

// HarvestChannel reads a harvest folder.
type HarvestChannel struct {
	Dir     string
	Options harvest.Options
	// Stats is filled by Extract: per-file accounting, absent files, the column map read.
	Stats harvest.Stats
	// ColumnsNote is what the caller says about the column map it saved from Stats.Columns
	// (ferry extract prints it).
	ColumnsNote string
}

// Name implements Channel.
func (*HarvestChannel) Name() source.Channel { return source.Harvest }

func (*HarvestChannel) keepsNoCursors() {}

// Extract implements Channel. Quarantine entries of earlier reads of the same files are
// cleared first, so re-running an extraction does not pile them up.
func (h *HarvestChannel) Extract(ctx context.Context, _ Cursors, emit func([]source.Record) error,
	quarantine func(store.QuarantineItem) error) (map[source.Kind]Counts, error) {
	b := &batcher{emit: emit}
	st, err := harvest.Read(ctx, h.Dir, h.Options, b.add, quarantine)
	h.Stats = st
	if errors.Is(err, harvest.ErrBadFile) {
		err = nil // named per file in Stats (see Unreadable); the other files are in
	}
	if ferr := b.flush(); err == nil {
		err = ferr
	}
	counts := map[source.Kind]Counts{}
	for _, f := range st.Files {
		if f.Kind != "" {
			counts[f.Kind] = Counts{Read: f.Rows, Loaded: f.Loaded, Quarantined: f.Quarantined}
		}
	}
	return counts, err
}

// Unreadable lists the harvest files that could not be read at all in the last Extract, as
// "file: why". Their kinds keep the records the snapshot already has (see Partial).
func (h *HarvestChannel) Unreadable() []string {
	var out []string
	for _, f := range h.Stats.Files {
		if f.Error != "" {
			out = append(out, f.File+": "+f.Error)
		}
	}
	return out
}

// PartialKinds implements Partial: the kinds whose harvest file could not be read (or whose
// reading stopped part-way), and every kind without a file when a workbook could not be
// opened (it may have held them).
func (h *HarvestChannel) PartialKinds() []source.Kind {
	var out []source.Kind
	read := map[source.Kind]bool{}
	brokenBook := false
	for _, f := range h.Stats.Files {
		read[f.Kind] = true
		switch {
		case f.Error != "" && f.Kind == "":
			brokenBook = true
		case f.Error != "":
			out = append(out, f.Kind)
		}
	}
	if brokenBook {
		for _, k := range source.Kinds {
			if !read[k] {
				out = append(out, k)
			}
		}
	}
	return out
}

// ClearHarvestQuarantine removes quarantine entries of every harvest file, before a re-read.
func ClearHarvestQuarantine(ctx context.Context, st store.Store) error {
	for k, name := range source.HarvestFile {
		if err := st.ClearQuarantine(ctx, k, name); err != nil {
			return err
		}
	}
	return nil
}

// APIChannel reads the Klipy API (people, interactions, companies).
type APIChannel struct {
	Client *klipy.Client
	Stats  klipy.Stats
}

// Name implements Channel.
func (*APIChannel) Name() source.Channel { return source.API }

// Extract implements Channel; it resumes from the cursors after a crash.
func (a *APIChannel) Extract(ctx context.Context, cur Cursors, emit func([]source.Record) error,
	_ func(store.QuarantineItem) error) (map[source.Kind]Counts, error) {
	st, err := klipy.Extract(ctx, a.Client, cur, emit)
	a.Stats = st
	return map[source.Kind]Counts{
		source.Person:      {Read: st.People, Loaded: st.People},
		source.Interaction: {Read: st.Interactions, Loaded: st.Interactions},
		source.Company:     {Read: st.Companies, Loaded: st.Companies},
	}, err
}

// WebhookChannel folds the captured events of the workspace store: deal events into deals,
// interaction.captured into interactions; the other event types stay stored and are listed
// in Report.NotMigrated.
type WebhookChannel struct {
	Events webhook.EventWalker
	Report webhook.FoldReport
}

// Name implements Channel.
func (*WebhookChannel) Name() source.Channel { return source.Webhook }

func (*WebhookChannel) keepsNoCursors() {}

// Extract implements Channel.
func (w *WebhookChannel) Extract(ctx context.Context, _ Cursors, emit func([]source.Record) error,
	_ func(store.QuarantineItem) error) (map[source.Kind]Counts, error) {
	recs, rep, err := webhook.Fold(ctx, w.Events)
	w.Report = rep
	if err != nil {
		return nil, err
	}
	b := &batcher{emit: emit}
	counts := map[source.Kind]Counts{source.Deal: {Read: rep.Folded + rep.Duplicates + rep.Malformed}}
	if rep.Interactions > 0 {
		counts[source.Interaction] = Counts{Read: rep.Interactions}
	}
	for _, r := range recs {
		c := counts[r.Kind]
		c.Loaded++
		counts[r.Kind] = c
		if err := b.add(r); err != nil {
			return nil, err
		}
	}
	return counts, b.flush()
}

// batcher groups single records into batches for emit.
type batcher struct {
	emit func([]source.Record) error
	buf  []source.Record
}

func (b *batcher) add(r source.Record) error {
	b.buf = append(b.buf, r)
	if len(b.buf) >= batchSize {
		return b.flush()
	}
	return nil
}

func (b *batcher) flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	err := b.emit(b.buf)
	b.buf = b.buf[:0]
	return err
}
