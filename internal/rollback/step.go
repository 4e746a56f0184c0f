package rollback

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"ferry/internal/store"
)

// Category is what one undo touches; categories run in the order of Categories.
type Category string

// The undo categories.
const (
	CatFile        Category = "file"
	CatNote        Category = "note"
	CatActivity    Category = "activity"
	CatDeal        Category = "deal"
	CatPerson      Category = "person"
	CatOrg         Category = "organization"
	CatLabelOption Category = "label_option"
	CatFieldOption Category = "field_option"
	CatField       Category = "field"
	CatStage       Category = "stage"
	CatPipeline    Category = "pipeline"
)

// Categories is the reverse dependency order in which undos run.
var Categories = []Category{CatFile, CatNote, CatActivity, CatDeal, CatPerson, CatOrg,
	CatLabelOption, CatFieldOption, CatField, CatStage, CatPipeline}

func rank(c Category) int {
	for i, x := range Categories {
		if x == c {
			return i
		}
	}
	return len(Categories)
}

// undoData is the union of the undo shapes the engine journals (internal/migrate/journal.go).
type undoData struct {
	Delete       string         `json:"delete"`
	ID           int64          `json:"id"`
	DeleteField  string         `json:"delete_field"`
	FieldCode    string         `json:"field_code"`
	DeleteOption string         `json:"delete_option"`
	OptionID     int64          `json:"option_id"`
	DeleteLabel  string         `json:"delete_label"`
	FieldID      int64          `json:"field_id"`
	Label        string         `json:"label"`
	Restore      string         `json:"restore"`
	PreImage     map[string]any `json:"pre_image"`
	WrittenAt    string         `json:"written_at"` // a create's update_time as Pipedrive answered it
	Wrote        map[string]any `json:"wrote"`      // what an update sent
}

// Step is one journal entry with its decoded undo.
type Step struct {
	Entry    store.JournalEntry
	Category Category
	// Entity is the record or field entity: "person", "organization", "deal", … .
	Entity string
	// Restore is set when the undo patches a pre-image back instead of deleting.
	Restore bool
	undo    undoData
}

// decodeStep reads the undo of e; an entry it cannot undo gives an error.
func decodeStep(e store.JournalEntry) (Step, error) {
	var u undoData
	if err := json.Unmarshal(e.Undo, &u); err != nil {
		return Step{}, fmt.Errorf("journal entry %d: decode undo: %w", e.Seq, err)
	}
	s := Step{Entry: e, undo: u}
	switch {
	case u.Restore != "" && u.ID != 0:
		s.Category, s.Entity, s.Restore = Category(u.Restore), u.Restore, true
	case u.Delete != "" && u.ID != 0:
		s.Category, s.Entity = Category(u.Delete), u.Delete
	case u.DeleteField != "" && u.FieldCode != "":
		s.Category, s.Entity = CatField, u.DeleteField
	case u.DeleteOption != "" && u.FieldCode != "" && u.OptionID != 0:
		s.Category, s.Entity = CatFieldOption, u.DeleteOption
	case u.DeleteLabel != "" && u.FieldID != 0 && u.OptionID != 0:
		s.Category, s.Entity = CatLabelOption, u.DeleteLabel
	default:
		return Step{}, fmt.Errorf("journal entry %d (%s %s): no undo ferry knows", e.Seq, e.Op, e.Entity)
	}
	if rank(s.Category) == len(Categories) || (s.Restore && !restorable(s.Category)) {
		return Step{}, fmt.Errorf("journal entry %d: cannot undo a %s of %q", e.Seq, e.Op, s.Category)
	}
	return s, nil
}

// restorable reports the categories whose pre-image can be written back: v2 records, and
// notes (v1 PUT) that a delta updated.
func restorable(c Category) bool {
	if c == CatNote {
		return true
	}
	_, ok := v2Kinds[c]
	return ok && c != CatStage && c != CatPipeline
}

// Plan is the journal of a scope split into what is left to undo, in execution order, what
// is already undone, and entries no undo is known for.
type Plan struct {
	Pending     []Step
	Done        []Step
	NotUndoable []Failure
	// Kept are pending steps a rollback left alone because users worked on their records in
	// Pipedrive after the migration (set from Result.Kept for Prove).
	Kept []Kept
}

// Failure is a journal entry whose undo did not happen, with the reason.
type Failure struct {
	Seq    int64  `json:"seq"`
	Op     string `json:"op"`
	Entity string `json:"entity"`
	DestID string `json:"dest_id"`
	Reason string `json:"reason"`
}

// Load reads the journal of run runID (every run when 0) and orders its pending undos:
// by category in reverse dependency order, newest entry first within a category.
func Load(ctx context.Context, st store.Store, runID int64) (Plan, error) {
	var p Plan
	err := st.EachJournal(ctx, runID, true, func(e store.JournalEntry) error {
		s, err := decodeStep(e)
		switch {
		case err != nil:
			p.NotUndoable = append(p.NotUndoable, failureOf(e, err))
		case e.Undone:
			p.Done = append(p.Done, s)
		default:
			p.Pending = append(p.Pending, s)
		}
		return nil
	})
	if err != nil {
		return Plan{}, fmt.Errorf("read journal: %w", err)
	}
	sort.SliceStable(p.Pending, func(i, j int) bool { return order(p.Pending[i], p.Pending[j]) })
	return p, nil
}

func order(a, b Step) bool {
	if ra, rb := rank(a.Category), rank(b.Category); ra != rb {
		return ra < rb
	}
	return a.Entry.Seq > b.Entry.Seq
}

func failureOf(e store.JournalEntry, err error) Failure {
	return Failure{Seq: e.Seq, Op: e.Op, Entity: e.Entity, DestID: e.DestID, Reason: err.Error()}
}

// Counts returns the number of steps per category.
func Counts(steps []Step) map[Category]int {
	out := map[Category]int{}
	for _, s := range steps {
		out[s.Category]++
	}
	return out
}
