package rollback

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/store"
)

// ProofCursor is the store cursor holding the latest proof as JSON; each proof is also
// stored under ProofCursor + "." + its rollback run id.
const ProofCursor = "rollback.proof"

// Proof compares every item the journal of a scope names with what Pipedrive holds now.
type Proof struct {
	At          time.Time                   `json:"at"`
	RollbackRun int64                       `json:"rollback_run"` // 0 when no rollback run made it
	Scope       int64                       `json:"scope"`        // the undone run; 0: all runs
	Checked     int                         `json:"checked"`
	Passed      int                         `json:"passed"`
	NotUndoable int                         `json:"not_undoable"` // journal entries with no known undo: not proven
	ByCategory  map[Category]*CategoryProof `json:"by_category"`
	Mismatches  []Mismatch                  `json:"mismatches"`
	// Kept are records rollback left alone because users worked on them in Pipedrive after
	// the migration (KeptReason); they are not checked, and the account is not claimed to
	// be as it was for them.
	Kept []Kept `json:"kept"`
}

// CategoryProof counts the checks of one category.
type CategoryProof struct {
	Checked  int `json:"checked"`
	Deleted  int `json:"deleted"`  // created items now gone
	Restored int `json:"restored"` // merged-into records equal to their pre-image
}

// Mismatch is one item that is not as it was before the migration.
type Mismatch struct {
	Seq      int64    `json:"seq"`
	Category Category `json:"category"`
	DestID   string   `json:"dest_id"`
	Problem  string   `json:"problem"`
}

// Holds reports whether every item of the journal is as it was before the migration (an
// entry with no known undo makes that unprovable).
func (p Proof) Holds() bool {
	return len(p.Mismatches) == 0 && p.Checked == p.Passed && p.NotUndoable == 0
}

// Prove reads Pipedrive back (lists, not one call per item) and checks every step of p:
// created items must be gone (deleted or soft-deleted), merged-into records must hold their
// first journaled pre-image again, field by field.
func Prove(ctx context.Context, c *pipedrive.Client, p Plan, scope, rollbackRun int64) (Proof, error) {
	steps := append(append([]Step(nil), p.Pending...), p.Done...)
	sort.Slice(steps, func(i, j int) bool { return steps[i].Entry.Seq < steps[j].Entry.Seq })
	live, err := readLive(ctx, c, steps)
	if err != nil {
		return Proof{}, fmt.Errorf("rollback proof: %w", err)
	}
	pr := Proof{At: time.Now().UTC(), RollbackRun: rollbackRun, Scope: scope, ByCategory: map[Category]*CategoryProof{}, Mismatches: []Mismatch{},
		NotUndoable: len(p.NotUndoable)}
	kept := map[int64]bool{}
	for _, k := range p.Kept {
		kept[k.Seq] = true
	}
	pr.Kept = p.Kept
	restored := map[string]bool{}
	for _, s := range steps {
		if kept[s.Entry.Seq] {
			continue
		}
		if s.Restore {
			key := fmt.Sprintf("%s/%d", s.Category, s.undo.ID)
			if restored[key] {
				continue // one check per record, against all its pre-images
			}
			restored[key] = true
		}
		pr.check(s, live.problem(s, steps))
	}
	return pr, nil
}

func (pr *Proof) check(s Step, problem string) {
	cp := pr.ByCategory[s.Category]
	if cp == nil {
		cp = &CategoryProof{}
		pr.ByCategory[s.Category] = cp
	}
	cp.Checked++
	pr.Checked++
	if problem != "" {
		pr.Mismatches = append(pr.Mismatches, Mismatch{Seq: s.Entry.Seq, Category: s.Category, DestID: s.Entry.DestID, Problem: problem})
		return
	}
	pr.Passed++
	if s.Restore {
		cp.Restored++
	} else {
		cp.Deleted++
	}
}

// preImageOf merges the pre-images of every restore of s's record, earliest first: the
// earliest value of each key is what the record held before ferry touched it.
func preImageOf(s Step, steps []Step) map[string]any {
	out := map[string]any{}
	cf := map[string]any{}
	for _, o := range steps {
		if !o.Restore || o.Category != s.Category || o.undo.ID != s.undo.ID {
			continue
		}
		for k, v := range o.undo.PreImage {
			if k == "custom_fields" {
				m, _ := v.(map[string]any)
				for code, cv := range m {
					if _, seen := cf[code]; !seen {
						cf[code] = cv
					}
				}
				continue
			}
			if _, seen := out[k]; !seen {
				out[k] = v
			}
		}
	}
	if len(cf) > 0 {
		out["custom_fields"] = cf
	}
	return out
}

// diffPreImage names the first key of pre whose value cur does not hold.
func diffPreImage(pre map[string]any, cur pipedrive.Entity) string {
	keys := make([]string, 0, len(pre))
	for k := range pre {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "custom_fields" {
			m, _ := pre[k].(map[string]any)
			have := cur.CustomFields()
			for code, v := range m {
				if !same(v, have[code]) {
					return fmt.Sprintf("custom field %s is %s, was %s", code, show(have[code]), show(v))
				}
			}
			continue
		}
		if !same(pre[k], cur[k]) {
			return fmt.Sprintf("%s is %s, was %s", k, show(cur[k]), show(pre[k]))
		}
	}
	return ""
}

// same compares two JSON values; null, "", [] and {} are all "empty" and equal.
func same(a, b any) bool {
	if empty(a) && empty(b) {
		return true
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func norm(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(raw, &out) != nil {
		return v
	}
	return out
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func show(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(raw) > 120 {
		return string(raw[:120]) + "…"
	}
	return string(raw)
}

// SaveProof stores p as JSON under ProofCursor (the latest) and ProofCursor.<run id>.
func SaveProof(ctx context.Context, st store.Store, p Proof) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("rollback proof: encode: %w", err)
	}
	if p.RollbackRun != 0 {
		if err := st.PutCursor(ctx, fmt.Sprintf("%s.%d", ProofCursor, p.RollbackRun), string(raw)); err != nil {
			return fmt.Errorf("rollback proof: store: %w", err)
		}
	}
	if err := st.PutCursor(ctx, ProofCursor, string(raw)); err != nil {
		return fmt.Errorf("rollback proof: store: %w", err)
	}
	return nil
}

// LoadProof returns the latest stored proof, or an error wrapping store.ErrNotFound.
func LoadProof(ctx context.Context, st store.Store) (Proof, error) {
	raw, err := st.GetCursor(ctx, ProofCursor)
	if err != nil {
		return Proof{}, err
	}
	var p Proof
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return Proof{}, fmt.Errorf("rollback proof: decode: %w", err)
	}
	return p, nil
}
