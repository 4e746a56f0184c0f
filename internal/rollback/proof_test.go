package rollback

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"ferry/internal/pipedrive"
)

// TestProofFindsDifferences: before the rollback every created item is reported as still
// there and every merged-into record as changed; after it, a restored field edited by hand is
// the one mismatch.
func TestProofFindsDifferences(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 12, 23)
	p, err := Load(ctx, f.store, 0)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := Prove(ctx, f.client(), p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	creates, restores := 0, map[string]bool{}
	for _, s := range p.Pending {
		if s.Restore {
			restores[string(s.Category)+"/"+s.Entry.DestID] = true
		} else {
			creates++
		}
	}
	if pr.Holds() || pr.Passed != 0 || len(pr.Mismatches) != creates+len(restores) {
		t.Fatalf("proof before the rollback: %d passed, %d mismatches; want 0 and %d", pr.Passed, len(pr.Mismatches), creates+len(restores))
	}
	res := f.rollbackAll(ctx)
	var person Step
	for _, s := range p.Pending {
		if _, ok := s.undo.PreImage["emails"]; ok && s.Restore && s.Category == CatPerson {
			person = s
		}
	}
	if person.Entry.Seq == 0 {
		t.Fatal("no merged-into person whose emails the merge filled: the test cannot edit a restored field")
	}
	id, _ := strconv.ParseInt(person.Entry.DestID, 10, 64)
	if _, err := f.client().Update(ctx, pipedrive.Persons, id, pipedrive.Entity{"emails": []map[string]any{{"value": "edited.by@hand.example", "primary": true, "label": "work"}}}); err != nil {
		t.Fatal(err)
	}
	if p, err = Load(ctx, f.store, 0); err != nil {
		t.Fatal(err)
	}
	pr, err = Prove(ctx, f.client(), p, 0, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Mismatches) != 1 || !strings.Contains(pr.Mismatches[0].Problem, "edited.by@hand.example") || pr.Holds() {
		t.Errorf("proof after a hand edit: %+v, want one mismatch naming the edited name", pr.Mismatches)
	}
}
