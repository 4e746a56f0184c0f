package storetest

import (
	"fmt"
	"testing"

	"ferry/internal/store"
)

func testRuns(t *testing.T, open Opener) {
	st := fresh(t, open)
	ctx := t.Context()
	r1, err := st.StartRun(ctx, "run", "first")
	must(t, err)
	r2, err := st.StartRun(ctx, "rollback", "")
	must(t, err)
	if r1.ID <= 0 || r2.ID <= r1.ID {
		t.Fatalf("run ids %d then %d; want positive and increasing", r1.ID, r2.ID)
	}
	near(t, "StartedAt", r1.StartedAt)
	diff(t, "started run", r1, store.Run{ID: r1.ID, Kind: "run", Status: "running", StartedAt: r1.StartedAt, Note: "first"})
	got, err := st.GetRun(ctx, r1.ID)
	must(t, err)
	diff(t, "stored run", got, r1)

	must(t, st.FinishRun(ctx, r1.ID, "done"))
	got, err = st.GetRun(ctx, r1.ID)
	must(t, err)
	near(t, "FinishedAt", got.FinishedAt)
	if got.FinishedAt.Before(got.StartedAt) {
		t.Errorf("run finished at %v before it started at %v", got.FinishedAt, got.StartedAt)
	}
	r1.Status, r1.FinishedAt = "done", got.FinishedAt
	diff(t, "finished run", got, r1)

	runs, err := st.Runs(ctx)
	must(t, err)
	diff(t, "runs newest first", runs, []store.Run{r2, r1})

	_, err = st.GetRun(ctx, r2.ID+10)
	wantNotFound(t, "get missing run", err)
	wantNotFound(t, "finish missing run", st.FinishRun(ctx, r2.ID+10, "failed"))
	for _, bad := range []string{"", "running", "completed"} {
		wantErr(t, fmt.Sprintf("finish run with status %q", bad), st.FinishRun(ctx, r2.ID, bad))
	}
	_, err = st.StartRun(ctx, "", "no kind")
	wantErr(t, "start run without kind", err)
}

func testCursors(t *testing.T, open Opener) {
	st := fresh(t, open)
	ctx := t.Context()
	_, err := st.GetCursor(ctx, "people")
	wantNotFound(t, "get missing cursor", err)
	must(t, st.PutCursor(ctx, "people", "page=2"))
	must(t, st.PutCursor(ctx, "lock", ""))
	must(t, st.PutCursor(ctx, "people", "page=3"))
	for name, want := range map[string]string{"people": "page=3", "lock": ""} {
		got, err := st.GetCursor(ctx, name)
		must(t, err)
		diff(t, "cursor "+name, got, want)
	}
	wantErr(t, "put cursor without name", st.PutCursor(ctx, "", "x"))
}
