package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"ferry/internal/store"
)

func testJournal(t *testing.T, open Opener) {
	t.Run("append and walk by run", func(t *testing.T) { journalWalk(t, fresh(t, open)) })
	t.Run("mark undone", func(t *testing.T) { journalUndone(t, fresh(t, open)) })
	t.Run("reverse across pages with writing callback", func(t *testing.T) { journalRollback(t, fresh(t, open)) })
}

func entry(run int64, op, dest string) store.JournalEntry {
	return store.JournalEntry{RunID: run, Op: op, Entity: "person", DestID: dest, SourceID: "s" + dest,
		Undo: []byte(`{"id":` + dest + `}`), CreatedAt: at(len(dest))}
}

func journalWalk(t *testing.T, st store.Store) {
	ctx := t.Context()
	var all []store.JournalEntry
	for i, run := range []int64{1, 2, 1, 1, 2} {
		e := entry(run, "create", fmt.Sprint(100+i))
		e.Seq = 999 // ignored: the store assigns it
		seq, err := st.AppendJournal(ctx, e)
		must(t, err)
		if len(all) > 0 && seq <= all[len(all)-1].Seq {
			t.Fatalf("append %d returned seq %d after seq %d; want increasing", i, seq, all[len(all)-1].Seq)
		}
		e.Seq = seq
		all = append(all, e)
	}
	zero := store.JournalEntry{RunID: 3, Op: "schema_create", Entity: "field", DestID: "abc123"}
	seq, err := st.AppendJournal(ctx, zero)
	must(t, err)
	var got []store.JournalEntry
	must(t, st.EachJournal(ctx, 3, false, func(e store.JournalEntry) error { got = append(got, e); return nil }))
	if len(got) != 1 {
		t.Fatalf("walk of run 3 returned %d entries, want 1", len(got))
	}
	near(t, "zero CreatedAt after append", got[0].CreatedAt)
	zero.Seq, zero.CreatedAt = seq, got[0].CreatedAt
	all = append(all, zero)

	pick := func(idx ...int) []store.JournalEntry {
		var out []store.JournalEntry
		for _, i := range idx {
			out = append(out, all[i])
		}
		return out
	}
	cases := []struct {
		run     int64
		reverse bool
		want    []store.JournalEntry
	}{
		{0, false, pick(0, 1, 2, 3, 4, 5)},
		{0, true, pick(5, 4, 3, 2, 1, 0)},
		{1, false, pick(0, 2, 3)},
		{1, true, pick(3, 2, 0)},
		{2, true, pick(4, 1)},
		{9, false, nil},
	}
	for _, c := range cases {
		var got []store.JournalEntry
		must(t, st.EachJournal(ctx, c.run, c.reverse, func(e store.JournalEntry) error { got = append(got, e); return nil }))
		diff(t, fmt.Sprintf("journal of run %d, reverse %v", c.run, c.reverse), got, c.want)
	}
	_, err = st.AppendJournal(ctx, store.JournalEntry{RunID: 1, Entity: "person"})
	wantErr(t, "append without op", err)
	err = st.EachJournal(ctx, 0, true, func(store.JournalEntry) error { return errStop })
	if !errors.Is(err, errStop) {
		t.Errorf("walk stopped by its callback returned %v, want the callback's error", err)
	}
}

func journalUndone(t *testing.T, st store.Store) {
	ctx := t.Context()
	s1, err := st.AppendJournal(ctx, entry(1, "create", "1"))
	must(t, err)
	s2, err := st.AppendJournal(ctx, entry(1, "update", "2"))
	must(t, err)
	must(t, st.MarkUndone(ctx, s2))
	must(t, st.MarkUndone(ctx, s2)) // idempotent
	wantNotFound(t, "mark missing entry undone", st.MarkUndone(ctx, s2+100))
	undone := map[int64]bool{}
	must(t, st.EachJournal(ctx, 1, false, func(e store.JournalEntry) error { undone[e.Seq] = e.Undone; return nil }))
	diff(t, "undone flags", undone, map[int64]bool{s1: false, s2: true})
}

// journalRollback replays a long journal in reverse, marking each entry undone and journaling
// the undo under a new run from inside the callback, the way rollback does.
func journalRollback(t *testing.T, st store.Store) {
	ctx := t.Context()
	for i := range walkSize {
		_, err := st.AppendJournal(ctx, entry(1, "create", fmt.Sprint(i)))
		must(t, err)
	}
	var seqs []int64
	err := withDeadline(t, time.Minute, func() error {
		return st.EachJournal(ctx, 1, true, func(e store.JournalEntry) error {
			seqs = append(seqs, e.Seq)
			if _, err := st.AppendJournal(ctx, store.JournalEntry{RunID: 2, Op: "delete", Entity: e.Entity, DestID: e.DestID}); err != nil {
				return err
			}
			return st.MarkUndone(ctx, e.Seq)
		})
	})
	must(t, err)
	diff(t, "entries walked", len(seqs), walkSize)
	for i := 1; i < len(seqs); i++ {
		if seqs[i] >= seqs[i-1] {
			t.Fatalf("reverse walk gave seq %d after %d", seqs[i], seqs[i-1])
		}
	}
	left, undos := 0, 0
	must(t, st.EachJournal(ctx, 0, false, func(e store.JournalEntry) error {
		if e.RunID == 1 && !e.Undone {
			left++
		}
		if e.RunID == 2 {
			undos++
		}
		return nil
	}))
	diff(t, "entries of run 1 not undone", left, 0)
	diff(t, "undo entries of run 2", undos, walkSize)
}
