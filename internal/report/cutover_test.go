package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ferry/internal/rollback"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
	"ferry/internal/verify"
)

// TestVerificationAndRollbackProof: what ferry verify and ferry rollback stored shows in the
// report, mismatches and a failing proof included.
func TestVerificationAndRollbackProof(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	res := verify.Result{At: at, Status: verify.StatusMismatches, Mismatches: 1, Requests: 11, Tokens: 120,
		Counts: []verify.Count{{Kind: source.Person, Entity: "person", Checked: 9, Matched: 8, Mismatched: 1}},
		First: []verify.Mismatch{{Kind: source.Person, SourceID: "per_1", Entity: "person", DestID: 7,
			Field: "emails", Want: "a@x.com", Got: "b@x.com"}}}
	if err := verify.Save(ctx, st, res); err != nil {
		t.Fatal(err)
	}
	proof := rollback.Proof{At: at, Checked: 3, Passed: 2,
		Mismatches: []rollback.Mismatch{{Seq: 4, DestID: "7", Problem: "still exists"}}}
	if err := rollback.SaveProof(ctx, st, proof); err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, Inputs{Store: st, Dir: dir, Now: at})
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(r))
	for _, want := range []string{"Status: **mismatches**", "9 record(s) checked, 1 mismatch(es)", "per_1",
		"b@x.com", "Proof FAILS: 2 of 3 item(s)"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if r.Verification.Result == nil || r.Rollback.Proof == nil {
		t.Error("report.json lacks the stored verification or rollback proof")
	}
}
