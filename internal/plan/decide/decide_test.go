package decide

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/klipy/harvest"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// loadGenerated writes a generated harvest folder and loads it into a fresh store.
func loadGenerated(t *testing.T, people int, seed int64) (store.Store, gen.Key) {
	t.Helper()
	dir := t.TempDir()
	key, err := gen.New(gen.Config{People: people, Seed: seed}).WriteHarvest(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	var batch []source.Record
	_, err = harvest.Read(ctx, dir, harvest.Options{}, func(r source.Record) error {
		batch = append(batch, r)
		return nil
	}, func(store.QuarantineItem) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutRecords(ctx, batch); err != nil {
		t.Fatal(err)
	}
	return st, key
}

func TestProposeAgainstAnswerKey(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run("seed"+string(rune('0'+seed)), func(t *testing.T) {
			st, key := loadGenerated(t, 400, seed)
			sc, err := ScanSnapshot(context.Background(), st)
			if err != nil {
				t.Fatal(err)
			}
			var dest Destination
			for _, u := range gen.New(gen.Config{People: 400, Seed: seed}).PipedriveUsers() {
				dest.Users = append(dest.Users, User{Name: u.Name, Email: u.Email})
			}
			d := Propose(sc, dest, Options{})
			checkOwners(t, d, key)
			checkLabels(t, d, key)
			checkPipelines(t, d, key)
			checkActivityTypes(t, d)
		})
	}
}

// checkOwners: owners the key says match by email or name are matched the same way;
// the others are open.
func checkOwners(t *testing.T, d Decisions, key gen.Key) {
	t.Helper()
	byEmail := map[string]Owner{}
	for _, o := range d.Owners {
		byEmail[o.Email] = o
	}
	for _, ko := range key.Owners {
		o, ok := byEmail[strings.ToLower(ko.Email)]
		if !ok {
			continue // an owner without records
		}
		want := OwnerOpen
		if ko.Match != "none" {
			want = OwnerMatched
		}
		if o.Resolution != want || (want == OwnerMatched && o.MatchedBy != ko.Match) {
			t.Errorf("owner %s: resolution %s by %q, want %s by %q", ko.Email, o.Resolution, o.MatchedBy, want, ko.Match)
		}
	}
	if len(d.Open()) == 0 {
		t.Error("no open decision, but the key has owners unknown in Pipedrive")
	}
}

// checkLabels: every tag variant group of the key lands in exactly one label.
func checkLabels(t *testing.T, d Decisions, key gen.Key) {
	t.Helper()
	for _, g := range key.Tags {
		labels := map[string]bool{}
		for _, v := range g.Variants {
			if l := d.LabelFor(v); l != "" {
				labels[l] = true
			}
		}
		if len(labels) > 1 {
			t.Errorf("tag variants of %q split into labels %v", g.Canonical, labels)
		}
	}
}

// checkPipelines: both generated pipelines are created with their open stages in the key's
// order; closing stages map to statuses.
func checkPipelines(t *testing.T, d Decisions, key gen.Key) {
	t.Helper()
	for _, kp := range key.Pipelines {
		var pm *PipelineMap
		for i := range d.Pipelines {
			if d.Pipelines[i].Klipy == kp.Name {
				pm = &d.Pipelines[i]
			}
		}
		if pm == nil {
			t.Errorf("pipeline %q not in the stage map", kp.Name)
			continue
		}
		var got, want []string
		for _, s := range pm.Stages {
			if s.Status == "" {
				got = append(got, s.Klipy)
			}
		}
		for _, s := range kp.Stages {
			if closingStatus(s) == "" {
				want = append(want, s)
			}
		}
		if diff := cmp.Diff(onlyPresent(want, got), got); diff != "" {
			t.Errorf("pipeline %q open stage order (-want +got):\n%s", kp.Name, diff)
		}
	}
}

// onlyPresent keeps the stages of want that the data used (a small dataset may skip one).
func onlyPresent(want, got []string) []string {
	have := map[string]bool{}
	for _, g := range got {
		have[g] = true
	}
	var out []string
	for _, w := range want {
		if have[w] {
			out = append(out, w)
		}
	}
	return out
}

func checkActivityTypes(t *testing.T, d Decisions) {
	t.Helper()
	var seen []string
	for _, a := range d.ActivityTypes {
		seen = append(seen, a.Klipy)
		if a.Target == "" {
			t.Errorf("activity type %s has no target", a.Klipy)
		}
		if strings.HasPrefix(a.Klipy, source.TypeDirectMessage+"/") && (a.Target != "task" || !a.Channel) {
			t.Errorf("%s → %s (channel %v), want task with the channel in the description", a.Klipy, a.Target, a.Channel)
		}
	}
	sort.Strings(seen)
	if len(seen) < len(source.InteractionTypes) {
		t.Errorf("only %d interaction types seen: %v", len(seen), seen)
	}
}

func TestCollapseOntoSimilarPipeline(t *testing.T) {
	sc := &Scan{Stages: map[string]map[string]*StageStat{"Sales": {
		"Prospecting": {Deals: 3, posSum: 0, posN: 1},
		"Discovery":   {Deals: 2, posSum: 0.3, posN: 1},
		"Proposal":    {Deals: 1, posSum: 0.6, posN: 1},
		"Closed Won":  {Deals: 4, posSum: 1, posN: 1},
	}}}
	dest := Destination{Pipelines: []Pipeline{{Name: "Main", Stages: []string{"prospecting", "Discovery ", "Proposal Made"}}}}
	got := Propose(sc, dest, Options{}).Pipelines
	want := []PipelineMap{{Klipy: "Sales", Deals: 10, Action: ActionCollapse, Target: "Main", Order: OrderKlipyDefault, Stages: []StageMap{
		{Klipy: "Prospecting", Deals: 3, Target: "prospecting"},
		{Klipy: "Discovery", Deals: 2, Target: "Discovery "},
		{Klipy: "Proposal", Deals: 1, Target: ""},
		{Klipy: "Closed Won", Deals: 4, Status: "won"},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collapse proposal (-want +got):\n%s", diff)
	}
	open := Decisions{Pipelines: got}.Open()
	if len(open) != 1 || !strings.Contains(open[0], `"Proposal": no target stage`) {
		t.Errorf("Open() = %q, want the unmapped Proposal stage", open)
	}
}

func TestFallbackOwnerResolvesUnmatched(t *testing.T) {
	sc := &Scan{OwnerRefs: map[string]int{"  Ghost Writer ": 2, "KNOWN@acme.com": 1}}
	dest := Destination{Users: []User{{Name: "Known", Email: "known@acme.com"}}}
	d := Propose(sc, dest, Options{FallbackOwner: "admin@acme.com"})
	want := []Owner{
		{Klipy: "<known@acme.com>", Email: "known@acme.com", Records: 1, Resolution: OwnerMatched, Target: "known@acme.com", MatchedBy: "email"},
		{Klipy: "Ghost Writer", Records: 2, Resolution: OwnerFallback, Target: "admin@acme.com"},
	}
	if diff := cmp.Diff(want, d.Owners); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	if open := d.Open(); len(open) != 0 {
		t.Errorf("open decisions with a fallback: %q", open)
	}
	if got, ok := d.OwnerFor("ghost writer"); !ok || got != "admin@acme.com" {
		t.Errorf("OwnerFor = %q, %v", got, ok)
	}
}
