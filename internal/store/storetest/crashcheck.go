package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

// checkCrashRecord checks that a record's fields agree with its id and returns its batch.
func checkCrashRecord(r source.Record) (int, error) {
	var b, i int
	if _, err := fmt.Sscanf(r.ID, "b%06d-%05d", &b, &i); err != nil {
		return -1, fmt.Errorf("record id %q is not a crash writer id: %w", r.ID, err)
	}
	if d := diffFields(r.Fields, crashFields(b, i)); d != "" {
		return b, fmt.Errorf("record %s: %s", r.ID, d)
	}
	return b, nil
}

func diffFields(got, want map[string]string) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d fields, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			return fmt.Sprintf("field %s = %q, want %q", k, got[k], v)
		}
	}
	return ""
}

// checkCrashJournal checks the journal against the number of whole batches.
func checkCrashJournal(t *testing.T, st store.Store, batches int, contiguousSeq bool) {
	t.Helper()
	var entries []store.JournalEntry
	must(t, st.EachJournal(t.Context(), 0, false, func(e store.JournalEntry) error {
		entries = append(entries, e)
		return nil
	}))
	lo, hi := (batches-1)*crashJournal, batches*crashJournal
	if batches == 0 {
		lo = 0
	}
	if len(entries) < lo || len(entries) > hi {
		t.Fatalf("journal holds %d entries for %d whole batches; want %d to %d", len(entries), batches, lo, hi)
	}
	for k, e := range entries {
		if k > 0 {
			prev := entries[k-1].Seq
			if e.Seq <= prev || (contiguousSeq && e.Seq != prev+1) {
				t.Fatalf("journal seq %d follows %d; want increasing without holes (contiguous: %v)", e.Seq, prev, contiguousSeq)
			}
		}
		want := crashUndo{Batch: k / crashJournal, J: k % crashJournal}
		var got crashUndo
		if err := json.Unmarshal(e.Undo, &got); err != nil || got != want || e.SourceID != crashSource(want.Batch) {
			t.Fatalf("journal entry %d (seq %d, source %s, undo %s): want batch %d entry %d (%v)",
				k, e.Seq, e.SourceID, e.Undo, want.Batch, want.J, err)
		}
	}
}
