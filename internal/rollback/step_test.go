package rollback

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// TestDecodeStep reads each undo shape the engine journals (internal/migrate/journal.go).
func TestDecodeStep(t *testing.T) {
	tests := []struct {
		name, undo string
		cat        Category
		entity     string
		restore    bool
		wantErr    bool
	}{
		{"create person", `{"delete":"person","id":4}`, CatPerson, "person", false, false},
		{"create file", `{"delete":"file","id":9}`, CatFile, "file", false, false},
		{"create stage", `{"delete":"stage","id":2}`, CatStage, "stage", false, false},
		{"merge", `{"restore":"organization","id":3,"pre_image":{"name":"A"}}`, CatOrg, "organization", true, false},
		{"field", `{"delete_field":"deal","field_code":"abc"}`, CatField, "deal", false, false},
		{"option", `{"delete_option":"person","field_code":"abc","option_id":7}`, CatFieldOption, "person", false, false},
		{"label", `{"delete_label":"person","field_id":5,"option_id":8,"label":"VIP"}`, CatLabelOption, "person", false, false},
		{"unknown entity", `{"delete":"lead","id":1}`, "", "", false, true},
		{"restore of a stage", `{"restore":"stage","id":1,"pre_image":{}}`, "", "", false, true},
		{"no undo", `{}`, "", "", false, true},
		{"not json", `nope`, "", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeStep(store.JournalEntry{Seq: 1, Op: "x", Undo: []byte(tt.undo)})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (s.Category != tt.cat || s.Entity != tt.entity || s.Restore != tt.restore) {
				t.Errorf("step = %s %s restore=%v, want %s %s restore=%v", s.Category, s.Entity, s.Restore, tt.cat, tt.entity, tt.restore)
			}
		})
	}
}

// TestLoadOrder: pending undos come in reverse dependency order, newest first within a
// category; undone entries and unknown ones are set apart; a run scope limits the walk.
func TestLoadOrder(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r1, _ := st.StartRun(ctx, "run", "")
	r2, _ := st.StartRun(ctx, "delta", "")
	entries := []struct {
		run  int64
		undo string
	}{
		{r1.ID, `{"delete":"pipeline","id":1}`},
		{r1.ID, `{"delete_field":"person","field_code":"c"}`},
		{r1.ID, `{"delete":"organization","id":1}`},
		{r1.ID, `{"delete":"person","id":1}`},
		{r1.ID, `{"restore":"person","id":9,"pre_image":{}}`},
		{r1.ID, `{"delete":"file","id":1}`},
		{r2.ID, `{"delete":"person","id":2}`},
		{r2.ID, `{"strange":true}`},
	}
	for _, e := range entries {
		if _, err := st.AppendJournal(ctx, store.JournalEntry{RunID: e.run, Op: "create", Entity: "x", Undo: []byte(e.undo)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.MarkUndone(ctx, 6); err != nil { // the file
		t.Fatal(err)
	}
	seqs := func(steps []Step) []int64 {
		var out []int64
		for _, s := range steps {
			out = append(out, s.Entry.Seq)
		}
		return out
	}
	tests := []struct {
		scope       int64
		pending     []int64
		done        int
		notUndoable int
	}{
		{0, []int64{7, 5, 4, 3, 2, 1}, 1, 1},
		{r1.ID, []int64{5, 4, 3, 2, 1}, 1, 0},
		{r2.ID, []int64{7}, 0, 1},
	}
	for _, tt := range tests {
		p, err := Load(ctx, st, tt.scope)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.pending, seqs(p.Pending)); diff != "" || len(p.Done) != tt.done || len(p.NotUndoable) != tt.notUndoable {
			t.Errorf("scope %d: pending (-want +got) %s; done %d (want %d), not undoable %d (want %d)",
				tt.scope, diff, len(p.Done), tt.done, len(p.NotUndoable), tt.notUndoable)
		}
	}
}
