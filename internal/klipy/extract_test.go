package klipy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy"
	"ferry/internal/source"
)

// TestExtractResumesAfterACrash crashes an extraction at every emit and cursor write in
// turn (the operation fails as if the process died there), resumes it with a new client on
// the same store, and checks that every record is there once and that each crash cost at
// most one page emitted again. It does so for a first extraction and for one that follows a
// finished extraction (which must start over and emit everything again).
func TestExtractResumesAfterACrash(t *testing.T) {
	src := synthetic(60, 6)
	const page = 9
	for _, api := range []string{"new", "old"} {
		_, base, key := serve(t, api, src, nil)
		cfg := klipy.Config{BaseURL: base, APIKey: key, PageSize: page}
		clean := newMemStore()
		if _, err := klipy.Extract(context.Background(), newClient(t, cfg), clean, clean.emit); err != nil {
			t.Fatal(err)
		}
		for _, second := range []bool{false, true} {
			for crashAt := 1; crashAt <= clean.ops; crashAt++ {
				m := newMemStore()
				if second {
					m = clean.clone()
				}
				m.failAt = crashAt
				if _, err := klipy.Extract(context.Background(), newClient(t, cfg), m, m.emit); !errors.Is(err, errCrash) {
					t.Fatalf("%s crash at op %d/%d: Extract returned %v, want the crash", api, crashAt, clean.ops, err)
				}
				state, saved := m.cursors[klipy.CursorExtract]
				saved = saved && !strings.Contains(state, `"done"`)
				st, err := klipy.Extract(context.Background(), newClient(t, cfg), m, m.emit)
				if err != nil {
					t.Fatalf("%s crash at op %d: resume: %v", api, crashAt, err)
				}
				if st.Resumed != saved {
					t.Errorf("%s crash at op %d: Resumed = %v, want %v (state %s)", api, crashAt, st.Resumed, saved, state)
				}
				if d := cmp.Diff(got(clean), got(m)); d != "" {
					t.Fatalf("%s crash at op %d: records after resume (-want +got):\n%s", api, crashAt, d)
				}
				if len(m.seen) != len(clean.records) {
					t.Fatalf("%s crash at op %d (after a finished run: %v): %d of %d records emitted by the crashed run and its resumption",
						api, crashAt, second, len(m.seen), len(clean.records))
				}
				if extra := m.emitted - clean.emitted; extra < 0 || extra > page {
					t.Errorf("%s crash at op %d: %d records emitted again, want at most one page (%d)", api, crashAt, extra, page)
				}
			}
		}
	}
}

// TestExtractResumesAfterCancel cancels the context after a few pages and resumes.
func TestExtractResumesAfterCancel(t *testing.T) {
	src := synthetic(80, 6)
	_, base, key := serve(t, "new", src, nil)
	m := newMemStore()
	for _, stopAfter := range []int{3, 8, 5} {
		ctx, cancel := context.WithCancel(context.Background())
		pages := 0
		emit := func(recs []source.Record) error {
			if err := m.emit(recs); err != nil {
				return err
			}
			if pages++; pages == stopAfter {
				cancel()
			}
			return nil
		}
		_, err := klipy.Extract(ctx, newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 10}), m, emit)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled after %d pages: %v, want context.Canceled", stopAfter, err)
		}
	}
	st, err := klipy.Extract(context.Background(), newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 10}), m, m.emit)
	if err != nil || !st.Resumed {
		t.Fatalf("resume: %+v, %v", st, err)
	}
	if d := cmp.Diff(want(src), got(m)); d != "" {
		t.Errorf("records after resume (-want +got):\n%s", d)
	}
	if extra := m.emitted - len(m.records); extra > 3*10 {
		t.Errorf("%d records emitted again over 3 cancellations; want at most a page each", extra)
	}
}

// TestExtractAfterFinishStartsOver checks that a finished extraction is not "resumed" but
// run again in full (a later delta needs fresh data), and picks up overlaid changes.
func TestExtractAfterFinishStartsOver(t *testing.T) {
	src := synthetic(25, 4)
	s, base, key := serve(t, "new", src, nil)
	m := newMemStore()
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 6})
	if _, err := klipy.Extract(context.Background(), c, m, m.emit); err != nil {
		t.Fatal(err)
	}
	p := src[source.Person][1]
	p.Fields = map[string]string{"id": p.ID, "first_name": "Changed", "company_id": "cmp_003"}
	if err := s.UpsertPerson(p); err != nil {
		t.Fatal(err)
	}
	st, err := klipy.Extract(context.Background(), c, m, m.emit)
	if err != nil {
		t.Fatal(err)
	}
	if st.Resumed || st.People != 25 {
		t.Errorf("second extract: %+v, want a fresh run over all 25 people", st)
	}
	if d := cmp.Diff(p.Fields, m.records["person/"+p.ID].Fields); d != "" {
		t.Errorf("changed person (-want +got):\n%s", d)
	}
	if _, ok := m.records["company/cmp_003"]; !ok {
		t.Errorf("company cmp_003 referenced only by the changed person was not extracted")
	}
}
