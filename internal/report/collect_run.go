package report

import (
	"context"
	"errors"
	"ferry/internal/rollback"
	"sort"

	"ferry/internal/source"
	"ferry/internal/store"
)

// collectSnapshot counts the snapshot's records and quarantined rows per kind.
func collectSnapshot(ctx context.Context, st store.Store, r *Report, _ planFiles) error {
	for _, k := range source.Kinds {
		n, err := st.CountRecords(ctx, k)
		if err != nil {
			return err
		}
		q, err := st.QuarantineItems(ctx, k)
		if err != nil {
			return err
		}
		r.Snapshot = append(r.Snapshot, KindCount{Kind: k, Records: n, Quarantined: len(q)})
	}
	return nil
}

// collectRuns lists the runs, oldest first, with the number of writes each journaled.
func collectRuns(ctx context.Context, st store.Store, r *Report, _ planFiles) error {
	runs, err := st.Runs(ctx)
	if err != nil {
		return err
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].ID < runs[j].ID })
	for _, run := range runs {
		out := Run{ID: run.ID, Kind: run.Kind, Status: run.Status, StartedAt: run.StartedAt.UTC()}
		if !run.FinishedAt.IsZero() {
			t := run.FinishedAt.UTC()
			out.FinishedAt = &t
		}
		err := st.EachJournal(ctx, run.ID, false, func(store.JournalEntry) error {
			out.Writes++
			return nil
		})
		if err != nil {
			return err
		}
		r.Runs = append(r.Runs, out)
	}
	return nil
}

// collectSpend lists the budget ledger: tokens spent per day and endpoint.
func collectSpend(ctx context.Context, st store.Store, r *Report, _ planFiles) error {
	rows, err := st.Ledger(ctx, "")
	if err != nil {
		return err
	}
	r.Spend = []Spend{}
	for _, s := range rows {
		r.Spend = append(r.Spend, Spend{Day: s.Day, Endpoint: s.Endpoint, Calls: s.Calls, Tokens: s.Tokens})
	}
	sort.Slice(r.Spend, func(i, j int) bool {
		a, b := r.Spend[i], r.Spend[j]
		return a.Day < b.Day || (a.Day == b.Day && a.Endpoint < b.Endpoint)
	})
	return nil
}

// collectCutover summarises delta and rollback runs from the run list and the journal.
func collectCutover(ctx context.Context, st store.Store, r *Report, _ planFiles) error {
	r.Delta = CutoverSummary{Status: StatusNoneYet, Runs: []Run{}}
	r.Rollback = CutoverSummary{Status: StatusNoneYet, Runs: []Run{}}
	for _, run := range r.Runs {
		switch run.Kind {
		case "delta":
			r.Delta.Status = "ran"
			r.Delta.Runs = append(r.Delta.Runs, run)
		case "rollback":
			r.Rollback.Status = "ran"
			r.Rollback.Runs = append(r.Rollback.Runs, run)
		}
	}
	if proof, err := rollback.LoadProof(ctx, st); err == nil {
		r.Rollback.Proof = &proof
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if r.Rollback.Status == StatusNoneYet {
		return nil
	}
	return st.EachJournal(ctx, 0, false, func(e store.JournalEntry) error {
		r.Rollback.Writes++
		if e.Undone {
			r.Rollback.Undone++
		}
		return nil
	})
}
