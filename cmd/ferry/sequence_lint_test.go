package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/mapping"
	"ferry/internal/workspace"
)

// TestLintAgainstExistingFields is a second rehearsal: Pipedrive already has the custom
// fields plan maps to (upper-cased names; a text field where the plan wants varchar). Plan
// proposes reusing them, lint and confirm check against Pipedrive's actual fields and pass,
// and the run reuses them: no second field of any of those names exists afterwards, and
// migrated records carry their values in the existing fields (read back from the sandbox).
func TestLintAgainstExistingFields(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 25, 31)
	if out, stderr, code := runFerry(t, "plan", "--fresh", "-w", dir); code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, stderr)
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := ws.PlanPath(workspace.MappingFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pipedrive.New(pipedrive.Config{BaseURL: os.Getenv("PIPEDRIVE_BASE_URL"), Token: os.Getenv("PIPEDRIVE_API_TOKEN"), Burst: 200})
	if err != nil {
		t.Fatal(err)
	}
	existing := map[string]string{} // entity + folded name → code
	for _, o := range m.Objects {
		ent := pipedrive.FieldEntity(o.Target)
		if ent != pipedrive.PersonFields && ent != pipedrive.OrganizationFields && ent != pipedrive.DealFields {
			continue
		}
		for _, f := range o.Fields {
			if f.CustomField == "" || f.Skip != "" {
				continue
			}
			typ := f.Type
			if typ == "varchar" {
				typ = "text" // compatible: the engine and lint must both accept it
			}
			made, err := c.CreateField(context.Background(), ent, pipedrive.NewField{Name: strings.ToUpper(f.CustomField), Type: typ, Options: f.Options})
			if err != nil {
				t.Fatalf("create %s field %q: %v", ent, f.CustomField, err)
			}
			existing[string(ent)+":"+mapping.FieldKey(f.CustomField)] = made.Code
		}
	}
	if len(existing) == 0 {
		t.Fatal("the mapping has no custom field: the test would prove nothing")
	}
	if out, stderr, code := runFerry(t, "plan", "-w", dir); code != 0 {
		t.Fatalf("second plan: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := runFerry(t, "lint", "-w", dir); code != 0 || strings.Contains(out, "not checked") {
		t.Fatalf("lint against a destination that has the fields: exit %d\n%s%s", code, out, stderr)
	}
	resolveOwners(t, dir, sb)
	acceptAllLosses(t, dir)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	if out, stderr, code := runFerry(t, "run", "-w", dir); code != exitOK && code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	snap := sb.Snapshot()
	count := map[string]int{}
	for ent, fields := range snap.Fields {
		for _, f := range fields {
			count[ent+":"+mapping.FieldKey(fmt.Sprint(f["field_name"]))]++
		}
	}
	for key := range existing {
		if count[key] != 1 {
			t.Errorf("%s: %d fields of that name after the run, want the 1 that existed", key, count[key])
		}
	}
	filled := 0
	for _, recs := range [][]map[string]any{snap.Persons, snap.Organizations, snap.Deals} {
		for _, r := range recs {
			cf, _ := r["custom_fields"].(map[string]any)
			for _, code := range existing {
				if v, ok := cf[code]; ok && v != nil && v != "" {
					filled++
				}
			}
		}
	}
	if filled == 0 {
		t.Error("no migrated record carries a value in the existing fields")
	}
	t.Logf("%d existing fields reused, %d values written into them", len(existing), filled)
}
