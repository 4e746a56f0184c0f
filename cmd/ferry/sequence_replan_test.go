package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"ferry/internal/plan"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/workspace"
)

// TestReplanKeepsWork: plan, then a person resolves an owner with ferry decide and renames a
// custom field by hand in mapping.yaml, then plan runs again: both are kept (read back from
// the files), the files as they were are backed up, and a change with no place in the new
// proposal (an owner who is not in the data) is listed beside decisions.yaml and named in
// the output. plan --fresh starts over.
func TestReplanKeepsWork(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 25, 31)
	if out, stderr, code := runFerry(t, "plan", "--fresh", "-w", dir); code != 0 {
		t.Fatalf("first plan: exit %d\n%s%s", code, out, stderr)
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := readDecisionsT(t, ws)
	var owner string
	for _, o := range d.Owners {
		if o.Resolution == decide.OwnerOpen {
			owner, _, _ = strings.Cut(o.Klipy, " <")
		}
	}
	if owner == "" {
		t.Fatalf("no open owner after plan: %+v", d.Owners)
	}
	admin := sb.Snapshot().Users[0]["email"].(string)
	if _, stderr, code := runFerry(t, "decide", "owner", owner, "--fallback", admin, "-w", dir); code != 0 {
		t.Fatalf("decide: %s", stderr)
	}
	renamed := renameACustomField(t, ws)
	addGhostOwner(t, ws)
	out, stderr, code := runFerry(t, "plan", "-w", dir)
	if code != 0 || !strings.Contains(out, "kept your edits") || !strings.Contains(out, "Ghost") {
		t.Fatalf("second plan: exit %d, want it to say what it kept and what it could not\n%s%s", code, out, stderr)
	}
	d = readDecisionsT(t, ws)
	if o := ownerNamed(d, owner); o.Resolution != decide.OwnerFallback || o.Target != admin {
		t.Errorf("re-plan lost the owner decision: %+v", o)
	}
	if !strings.Contains(readFile(t, ws.PlanPath(workspace.MappingFile)), "custom_field: "+renamed) {
		t.Errorf("re-plan lost the hand-renamed custom field %q", renamed)
	}
	if side := readFile(t, ws.PlanPath(workspace.DecisionsFile)+plan.NotKeptSuffix); !strings.Contains(side, "Ghost") {
		t.Errorf("decisions.yaml%s does not list the owner it could not keep:\n%s", plan.NotKeptSuffix, side)
	}
	if _, err := os.Stat(ws.PlanPath(workspace.MappingFile) + plan.PreviousSuffix); err != nil {
		t.Errorf("no backup of mapping.yaml: %v", err)
	}
	if out, stderr, code := runFerry(t, "plan", "--fresh", "-w", dir); code != 0 || !strings.Contains(out, "started over") {
		t.Fatalf("plan --fresh: exit %d\n%s%s", code, out, stderr)
	}
	if o := ownerNamed(readDecisionsT(t, ws), owner); o.Resolution != decide.OwnerOpen {
		t.Errorf("plan --fresh kept the owner decision: %+v", o)
	}
	if strings.Contains(readFile(t, ws.PlanPath(workspace.MappingFile)), "custom_field: "+renamed) {
		t.Error("plan --fresh kept the hand edit")
	}
}

func readDecisionsT(t *testing.T, ws *workspace.Workspace) decide.Decisions {
	t.Helper()
	d, err := readDecisions(ws)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ownerNamed(d decide.Decisions, name string) decide.Owner {
	for _, o := range d.Owners {
		if strings.HasPrefix(o.Klipy, name) {
			return o
		}
	}
	return decide.Owner{}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// renameACustomField renames the first custom field of mapping.yaml as a person would, and
// returns the new name.
func renameACustomField(t *testing.T, ws *workspace.Workspace) string {
	t.Helper()
	path := ws.PlanPath(workspace.MappingFile)
	m, err := mapping.Parse(path, []byte(readFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Objects {
		for j := range m.Objects[i].Fields {
			if f := &m.Objects[i].Fields[j]; f.CustomField != "" {
				f.CustomField += " (from Klipy)"
				var buf bytes.Buffer
				if err := mapping.Write(&buf, m); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return f.CustomField
			}
		}
	}
	t.Fatal("mapping.yaml maps no custom field")
	return ""
}

// addGhostOwner adds an owner decision for someone who owns nothing in the data.
func addGhostOwner(t *testing.T, ws *workspace.Workspace) {
	t.Helper()
	d := readDecisionsT(t, ws)
	d.Owners = append(d.Owners, decide.Owner{Klipy: "Ghost Owner <ghost@example.com>", Email: "ghost@example.com",
		Resolution: decide.OwnerMap, Target: "someone@example.com"})
	if err := writeDecisions(ws, d); err != nil {
		t.Fatal(err)
	}
}
