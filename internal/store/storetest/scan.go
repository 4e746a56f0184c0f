package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store"
)

// scanned is what each worker of one ScanRecords saw, as kind/id keys.
func scanned(t *testing.T, st store.Store, kind source.Kind, workers int) [][]string {
	t.Helper()
	var mu sync.Mutex
	seen := make([][]string, workers)
	err := st.ScanRecords(t.Context(), kind, workers, func(w int, page []source.Record) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range page {
			seen[w] = append(seen[w], string(r.Kind)+"/"+r.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ScanRecords(%q, %d workers): %v", kind, workers, err)
	}
	return seen
}

func recordsScan(t *testing.T, st store.Store) {
	ctx := t.Context()
	var recs []source.Record
	for i := range 400 {
		recs = append(recs, person(fmt.Sprintf("p%04d", (i*37)%400), fmt.Sprintf("p%d@x.com", i)))
	}
	for i := range 30 {
		recs = append(recs, source.Record{Kind: source.Company, ID: fmt.Sprintf("c%03d", i), Channel: source.API,
			Fields: map[string]string{"name": "Acme"}})
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []source.Kind{"", source.Person, source.Company, source.Deal} {
		var want []string
		if err := st.EachRecord(ctx, kind, func(r source.Record) error {
			want = append(want, string(r.Kind)+"/"+r.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 3} {
			first := scanned(t, st, kind, workers)
			var all []string
			for w, ids := range first {
				if !slices.IsSorted(ids) {
					t.Errorf("kind %q, %d workers: worker %d saw records out of order", kind, workers, w)
				}
				all = append(all, ids...)
			}
			slices.Sort(all)
			if diff := cmp.Diff(want, all); diff != "" {
				t.Errorf("kind %q, %d workers: records seen differ from EachRecord's (-each +scan):\n%s", kind, workers, diff)
			}
			if diff := cmp.Diff(first, scanned(t, st, kind, workers)); diff != "" {
				t.Errorf("kind %q, %d workers: a second scan split the records differently:\n%s", kind, workers, diff)
			}
		}
	}
	scanContent(t, st)
	scanErrors(t, st)
	hashWalk(t, st)
}

// hashWalk checks EachRecordHash against EachRecord and source.Record.Hash, kind by kind.
func hashWalk(t *testing.T, st store.Store) {
	for _, kind := range []source.Kind{source.Person, source.Company, source.Deal} {
		var want, got []string
		if err := st.EachRecord(t.Context(), kind, func(r source.Record) error {
			want = append(want, r.ID+" "+r.Hash())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := st.EachRecordHash(t.Context(), kind, func(id, hash string) error {
			got = append(got, id+" "+hash)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("EachRecordHash(%q) differs from EachRecord and Hash (-each +hash):\n%s", kind, diff)
		}
	}
	stop := errors.New("stop")
	if err := st.EachRecordHash(t.Context(), source.Person, func(string, string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachRecordHash with a failing fn = %v; want %v", err, stop)
	}
}

// scanContent checks that scanned records carry everything EachRecord gives.
func scanContent(t *testing.T, st store.Store) {
	want := map[string]source.Record{}
	if err := st.EachRecord(t.Context(), "", func(r source.Record) error { want[r.ID] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	err := st.ScanRecords(t.Context(), "", 2, func(_ int, page []source.Record) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range page {
			if diff := cmp.Diff(want[r.ID], r); diff != "" {
				return fmt.Errorf("record %s differs from EachRecord's:\n%s", r.ID, diff)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// scanErrors checks that fn's error and a cancelled context stop the scan and come back.
func scanErrors(t *testing.T, st store.Store) {
	stop := errors.New("stop here")
	err := st.ScanRecords(t.Context(), "", 3, func(int, []source.Record) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("ScanRecords with a failing fn = %v; want %v", err, stop)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = st.ScanRecords(ctx, "", 3, func(int, []source.Record) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ScanRecords with a cancelled context = %v; want context.Canceled", err)
	}
	if err := st.ScanRecords(t.Context(), "", 0, func(int, []source.Record) error { return nil }); err == nil ||
		!strings.Contains(err.Error(), "workers") {
		t.Errorf("ScanRecords with 0 workers = %v; want an error naming workers", err)
	}
}
