package main

import (
	"context"
	"strings"
	"testing"

	klipysandbox "ferry/internal/klipy/sandbox"
	"ferry/internal/source"
)

// TestExtractUnderKlipyFaults runs ferry extract against a Klipy sandbox that answers 5xx
// now and then and adds latency: each run either gives the snapshot of a clean run or stops
// with an error naming Klipy and a non-zero exit, never fewer records with exit 0. A key that
// expires mid-run exits 8 (unreachable / credential rejected).
func TestExtractUnderKlipyFaults(t *testing.T) {
	ctx := context.Background()
	clean := newExtractFixture(t, "new", 60, 5)
	if _, _, err := extractWorkspace(ctx, clean.ws, clean.st, clean.env, ExtractOptions{klipyRate: -1}); err != nil {
		t.Fatal(err)
	}
	counts := func(f *extractFixture) map[source.Kind]int {
		out := map[source.Kind]int{}
		for _, k := range source.Kinds {
			n, err := f.st.CountRecords(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			out[k] = n
		}
		return out
	}
	want := counts(clean)
	for seed := range int64(3) {
		f := newExtractFixture(t, "new", 60, 5, func(o *klipysandbox.Options) {
			o.Faults = klipysandbox.Faults{Rate5xx: 0.08, Latency: 1, Seed: seed}
		})
		_, _, err := extractWorkspace(ctx, f.ws, f.st, f.env, ExtractOptions{klipyRate: -1})
		if err != nil {
			if code := exitCode(klipyExitError(err)); code == exitOK || !strings.Contains(err.Error(), "klipy") {
				t.Errorf("seed %d: error %q exits %d; want a non-zero exit naming klipy", seed, err, code)
			}
			continue
		}
		for k, n := range counts(f) {
			if n != want[k] {
				t.Errorf("seed %d: %s: %d records after a run that succeeded, a clean run has %d", seed, k, n, want[k])
			}
		}
	}

	f := newExtractFixture(t, "old", 60, 5, func(o *klipysandbox.Options) {
		o.Faults = klipysandbox.Faults{KeyExpiresAt: 6}
	})
	_, _, err := extractWorkspace(ctx, f.ws, f.st, f.env, ExtractOptions{klipyRate: -1})
	if code := exitCode(klipyExitError(err)); code != exitUnreachable || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired key: %v, exit %d; want exit %d saying the key expired", err, code, exitUnreachable)
	}
}
