package extract

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/source"
	"ferry/internal/store"
)

// TestSortedAgreesWithStaged extracts the same generated harvest and captured deal events
// through the staging store and through the sorted merge (with a memory budget small enough
// to spill sorted runs), then again after an edit, and checks that both give the same
// snapshot, the same report and leave no run file behind.
func TestSortedAgreesWithStaged(t *testing.T) {
	defer func(b int) { sortedBudget = b }(sortedBudget)
	cases := []struct {
		dialect gen.Dialect
		budget  int
	}{
		{gen.DialectFerry, sortedBudget},
		{gen.DialectFerry, 64 << 10},
		{"", sortedBudget}, // hand-written: a company named by a person and a deal, in no companies row
	}
	for _, tc := range cases {
		budget := tc.budget
		sortedBudget = budget
		dir := t.TempDir()
		data := gen.New(gen.Config{People: 80, Seed: 11})
		if tc.dialect == "" {
			writeByName(t, dir)
		} else if _, err := data.WriteHarvestDialect(dir, tc.dialect); err != nil {
			t.Fatal(err)
		}
		staged, sorted := openStore(t, "staged.db"), openStore(t, "sorted.db")
		for _, st := range []store.Store{staged, sorted} {
			captureEvents(t, data, st)
		}
		scratch := t.TempDir()
		for round := range 2 {
			if round == 1 && tc.dialect == gen.DialectFerry {
				editTasks(t, filepath.Join(dir, "tasks.csv"))
			}
			want := extractWith(t, staged, dir, Options{staged: true})
			got := extractWith(t, sorted, dir, Options{ScratchDir: scratch})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("budget %d, round %d: report (-staged +sorted):\n%s", budget, round, diff)
			}
			if diff := cmp.Diff(snapshot(t, staged), snapshot(t, sorted)); diff != "" {
				t.Errorf("budget %d, round %d: snapshot (-staged +sorted):\n%s", budget, round, diff)
			}
			if want.Channels[source.Webhook][source.Deal].Loaded == 0 {
				t.Errorf("budget %d: no deal came from the webhook channel; the test does not merge channels", budget)
			}
			if tc.dialect == "" && !discoveredName(want.Discovered, "Nordlicht Design GmbH") {
				t.Errorf("hand-written harvest: discovered %+v, want Nordlicht Design GmbH among them", want.Discovered)
			}
		}
		if left, _ := os.ReadDir(scratch); len(left) != 0 {
			t.Errorf("budget %d: %d run files left in the scratch directory", budget, len(left))
		}
	}
}

func discoveredName(ds []Discovered, name string) bool {
	for _, d := range ds {
		if d.Name == name {
			return true
		}
	}
	return false
}

// writeByName writes a harvest whose people and deals name their companies, one of them in
// no companies row.
func writeByName(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"companies.csv": "Company Name,Website\nMüller & Söhne GmbH,mueller-soehne.de\n",
		"people.csv": "First Name,Last Name,Email,Company\nKlaus,Müller,klaus@mueller-soehne.de,MÜLLER & SÖHNE\n" +
			"Jana,Berg,jana@nordlicht.example,Nordlicht Design GmbH\n",
		"deals.csv": "id,name,Company,value\nD1,Relaunch,Nordlicht Design,1200\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// captureEvents stores the dataset's live deal events as ferry listen would.
func captureEvents(t *testing.T, data *gen.Dataset, st store.Store) {
	t.Helper()
	err := data.LiveDealEvents(func(e gen.DealEvent) error {
		payload, err := json.Marshal(map[string]any{"type": e.Type, "object": "event", "data": e.Data})
		if err != nil {
			return err
		}
		_, err = st.PutEvent(context.Background(), store.Event{ID: e.ID, Type: e.Type, Payload: payload, ReceivedAt: e.Time})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func extractWith(t *testing.T, target store.Store, dir string, opts Options) Report {
	t.Helper()
	ctx := context.Background()
	if err := ClearHarvestQuarantine(ctx, target); err != nil {
		t.Fatal(err)
	}
	rep, err := RunWith(ctx, target, openStore(t, "staging.db"),
		[]Channel{&HarvestChannel{Dir: dir}, &WebhookChannel{Events: target}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// snapshot reads every record of st with its stored hash.
func snapshot(t *testing.T, st store.Store) map[string]source.Record {
	t.Helper()
	out := map[string]source.Record{}
	err := st.EachRecord(context.Background(), "", func(r source.Record) error {
		out[string(r.Kind)+"/"+r.ID] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSorterLastVersionWins adds versions of ids in no order, spilling between them, and
// reads one record per id in id order, each the last version added.
func TestSorterLastVersionWins(t *testing.T) {
	srt := newSorter(t.TempDir(), 1) // spill after every record
	defer srt.close()
	adds := []struct{ id, fields string }{{"b", "1"}, {"a", "1"}, {"b", "2"}, {"c", "1"}, {"a", "2"}, {"b", "3"}}
	for i, a := range adds {
		r := staged(source.Record{Kind: source.Person, ID: a.id, Channel: source.Harvest, Fields: map[string]string{"n": a.fields}})
		r.seq = uint64(i)
		if err := srt.addSeq(r); err != nil {
			t.Fatal(err)
		}
	}
	s, err := srt.stream(source.Harvest, source.Person)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	var got []string
	for {
		if err := s.advance(); err != nil {
			t.Fatal(err)
		}
		if !s.ok {
			break
		}
		f, err := s.cur.fieldMap()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s.cur.ID+"="+f["n"])
	}
	if diff := cmp.Diff([]string{"a=2", "b=3", "c=1"}, got); diff != "" {
		t.Errorf("stream (-want +got):\n%s", diff)
	}
}
