package gen

import (
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

func TestEachDeterministicAndSeeded(t *testing.T) {
	collect := func(seed int64, kind source.Kind) []string {
		var out []string
		err := New(Config{People: 3*chunkSize + 5, Seed: seed}).Each(kind, func(r source.Record) error {
			if r.Kind != kind || r.ID == "" || r.Channel == "" {
				t.Fatalf("bad record header %+v", r)
			}
			out = append(out, r.ID+" "+r.Hash())
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, kind := range source.Kinds {
		a, b, c := collect(3, kind), collect(3, kind), collect(4, kind)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: same seed differs:\n%s", kind, diff)
		}
		if kind != source.Owner && slices.Equal(a, c) {
			t.Errorf("%s: seeds 3 and 4 give the same records", kind)
		}
	}
}

func TestEachUnknownKindAndStop(t *testing.T) {
	d := New(Config{People: 30, Seed: 1})
	if err := d.Each("planet", func(source.Record) error { return nil }); err == nil {
		t.Error("Each(planet) succeeded, want an error")
	}
	stop := errors.New("stop")
	for _, kind := range source.Kinds {
		n := 0
		err := d.Each(kind, func(source.Record) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("%s: err %v after %d calls, want stop after 1", kind, err, n)
		}
	}
}

// TestEachMemoryFlat streams interactions of a workspace and checks the live heap does not
// grow between the first tenth and the end.
func TestEachMemoryFlat(t *testing.T) {
	d := New(Config{People: 6000, Seed: 5})
	var early, late uint64
	n, total := 0, 0
	d.Each(source.Interaction, func(source.Record) error { total++; return nil })
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	err := d.Each(source.Interaction, func(source.Record) error {
		n++
		switch n {
		case total / 10:
			early = heap()
		case total - 1:
			late = heap()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if late > early+4<<20 {
		t.Errorf("heap grew from %d to %d bytes over %d interactions", early, late, total)
	}
}

func TestInteractionsCoverEveryType(t *testing.T) {
	d := New(Config{People: 120, Seed: 9})
	types, channels := map[string]bool{}, map[string]bool{}
	persons := map[string]string{} // person id → company id
	d.Each(source.Person, func(r source.Record) error {
		persons[r.ID] = r.Fields["company_id"]
		return nil
	})
	dealPerson := map[string]string{}
	d.Each(source.Deal, func(r source.Record) error {
		dealPerson[r.ID] = r.Fields["person_id"]
		return nil
	})
	withDeal := 0
	err := d.Each(source.Interaction, func(r source.Record) error {
		types[r.Fields["type"]], channels[r.Fields["channel"]] = true, true
		if deal := r.Fields["deal_id"]; deal != "" {
			withDeal++
			if p := dealPerson[deal]; p == "" || !strings.HasPrefix(r.Fields["person_ids"], p) {
				t.Errorf("%s: deal %s belongs to %q, not to %s", r.ID, deal, p, r.Fields["person_ids"])
			}
		}
		for _, p := range source.List(r.Fields["person_ids"]) {
			if _, ok := persons[p]; !ok {
				t.Errorf("%s links unknown person %s", r.ID, p)
			}
		}
		first := source.List(r.Fields["person_ids"])[0]
		if r.Fields["company_ids"] != persons[first] {
			t.Errorf("%s: company_ids %q, its person has %q", r.ID, r.Fields["company_ids"], persons[first])
		}
		if _, err := time.Parse(time.RFC3339, r.Fields["interaction_date"]); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if withDeal == 0 {
		t.Error("no interaction links a deal")
	}
	for _, typ := range source.InteractionTypes {
		if !types[typ] {
			t.Errorf("no interaction of type %s", typ)
		}
	}
	for _, ch := range []string{"LinkedIn", "WhatsApp", "Telegram", "email", "meeting", "voice_note", "memo", "booking"} {
		if !channels[ch] {
			t.Errorf("no interaction on channel %s", ch)
		}
	}
}

func TestNotesHaveDraftsAndScripts(t *testing.T) {
	fx := sharedHarvest(t)
	notes := readCSV(t, filepath.Join(fx.dir, "notes.csv")).records(source.Note)
	inter := readCSV(t, filepath.Join(fx.dir, "interactions.csv")).records(source.Interaction)
	drafts, scripts := 0, 0
	for id, n := range notes {
		if n["ai_draft"] != "true" {
			continue
		}
		drafts++
		if inter[n["source_conversation"]] == nil {
			t.Errorf("draft %s: source_conversation %q is no interaction", id, n["source_conversation"])
		}
		if strings.Contains(n["body"], "<script>") {
			scripts++
		}
	}
	if drafts == 0 || scripts == 0 {
		t.Errorf("%d AI drafts, %d with a script; want both > 0", drafts, scripts)
	}
}

func TestLiveDealEvents(t *testing.T) {
	d := New(Config{People: 500, Seed: 11})
	emails := map[string]bool{}
	d.Each(source.Person, func(r source.Record) error {
		emails[normEmail(r.Fields["email"])] = true
		return nil
	})
	harvest := map[string]bool{}
	d.Each(source.Deal, func(r source.Record) error { harvest[r.ID] = true; return nil })
	var last time.Time
	ids, created, types := map[string]bool{}, map[string]bool{}, map[string]int{}
	err := d.LiveDealEvents(func(e DealEvent) error {
		if e.Time.Before(last) || e.Time.Before(CaptureStart) || !e.Time.Before(Now) {
			t.Errorf("event %s at %s out of order or outside capture", e.ID, e.Time)
		}
		last = e.Time
		if ids[e.ID] || !strings.HasPrefix(e.ID, "msg_") {
			t.Errorf("event id %q repeated or malformed", e.ID)
		}
		ids[e.ID] = true
		deal := e.Data["deal_id"].(string)
		if harvest[deal] {
			t.Errorf("live deal %s is also a harvest deal", deal)
		}
		if e.Type == EventDealCreated {
			created[deal] = true
		} else if !created[deal] {
			t.Errorf("%s for deal %s before deal.created", e.Type, deal)
		}
		poc := e.Data["point_of_contact"].(map[string]any)
		if em := poc["email"].(string); em != "" && !emails[em] {
			t.Errorf("point of contact %s is not a person of the dataset", em)
		}
		types[e.Type]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{EventDealCreated, EventDealMoved, EventDealClosed, EventDealContactAdded} {
		if types[typ] == 0 {
			t.Errorf("no %s event", typ)
		}
	}
	if len(created) != d.Key().Distinct.LiveDeals || d.Key().LiveDealEvents != len(ids) {
		t.Errorf("%d live deals, %d events; key says %d and %d", len(created), len(ids),
			d.Key().Distinct.LiveDeals, d.Key().LiveDealEvents)
	}
}

func TestPipedriveUsersAndOwners(t *testing.T) {
	d := New(Config{People: 600, Seed: 2})
	users := d.PipedriveUsers()
	k := d.Key()
	want := map[string]string{}
	none := 0
	for _, o := range k.Owners {
		switch o.Match {
		case MatchNone:
			none++
		case MatchEmail:
			want[o.Name] = o.Email
		case MatchName:
			want[o.Name] = o.PipedriveEmail
		}
	}
	got := map[string]string{}
	for _, u := range users {
		got[u.Name] = u.Email
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("users (-key +PipedriveUsers):\n%s", diff)
	}
	if none == 0 || len(got) == len(k.Owners) || len(k.Owners) != 12 {
		t.Errorf("%d owners, %d unknown to Pipedrive; want 12 with some unknown", len(k.Owners), none)
	}
}
