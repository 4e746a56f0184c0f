package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/klipy/harvest"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

// writeHarvest writes a hand-made harvest folder (written here by hand, not generated).
func writeHarvest(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "harvest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// snapshotRecords reads every record of kind from a workspace's snapshot.
func snapshotRecords(t *testing.T, ws string, kind source.Kind) []source.Record {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(ws, ".ferry", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []source.Record
	if err := st.EachRecord(context.Background(), kind, func(r source.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExtractColumnMap walks what a user does with the column map: extract proposes
// columns.yaml (a scribbles column kept as a custom field and listed), an edit re-maps the
// column on the next extract, a typo is named with its line by lint and refuses extract,
// confirm's lock covers the file.
func TestExtractColumnMap(t *testing.T) {
	dir := writeHarvest(t, map[string][]byte{
		"owners.csv": []byte("Name,Email\nMaya Lind,maya@brightwave.io\n"),
		"people.csv": []byte("Email Address,Vorname,Nachname,Kritzeleien\nann@x.io,Ann,Lee,call back??\nbo@y.io,Bo,Ray,\n"),
	})
	ws := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", ws, "--harvest", dir); code != exitOK {
		t.Fatalf("init: %d %s", code, stderr)
	}
	out, stderr, code := runFerry(t, "extract", "-w", ws)
	if code != exitOK {
		t.Fatalf("extract: exit %d\n%s%s", code, out, stderr)
	}
	colPath := filepath.Join(ws, harvest.ColumnsFile)
	data, err := os.ReadFile(colPath)
	if err != nil {
		t.Fatalf("extract wrote no column map: %v\n%s", err, out)
	}
	for _, want := range []string{"header: Vorname\n        field: first_name", "field: custom.Kritzeleien", `e.g. "call back??"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("columns.yaml lacks %q:\n%s", want, data)
		}
	}
	if !strings.Contains(out, `"Kritzeleien" → custom.Kritzeleien`) || !strings.Contains(out, "column map proposed") {
		t.Errorf("extract does not list the custom-field candidate or the new column map:\n%s", out)
	}
	people := snapshotRecords(t, ws, source.Person)
	if len(people) != 2 || !strings.HasPrefix(people[0].ID, harvest.SynthPrefix) {
		t.Fatalf("people: %+v", people)
	}
	ids := map[string]bool{people[0].ID: true, people[1].ID: true}

	edited := strings.Replace(string(data), "field: custom.Kritzeleien", "field: notes", 1)
	if err := os.WriteFile(colPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := runFerry(t, "extract", "-w", ws); code != exitOK || strings.Contains(out, "column map") {
		t.Fatalf("extract after an edit: exit %d (column map rewritten?)\n%s%s", code, out, stderr)
	}
	if got, _ := os.ReadFile(colPath); string(got) != edited {
		t.Error("extract rewrote an edited columns.yaml that had nothing new")
	}
	for _, p := range snapshotRecords(t, ws, source.Person) {
		if !ids[p.ID] {
			t.Errorf("id %s changed across extracts", p.ID)
		}
		if p.Fields["first_name"] == "Ann" && (p.Fields["notes"] != "call back??" || p.Fields["custom.Kritzeleien"] != "") {
			t.Errorf("edit not honoured: %v", p.Fields)
		}
	}

	typo := strings.Replace(edited, "field: notes", "field: nots", 1)
	if err := os.WriteFile(colPath, []byte(typo), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runFerry(t, "lint", "-w", ws)
	if code == exitOK || !strings.Contains(out+stderr, "columns.yaml:") || !strings.Contains(out+stderr, `unknown field "nots"`) ||
		!strings.Contains(out+stderr, "did you mean notes?") {
		t.Errorf("lint of a typo: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := runFerry(t, "extract", "-w", ws); code != exitUsage || !strings.Contains(stderr, `unknown field "nots"`) {
		t.Errorf("extract with a typo in columns.yaml: exit %d, want %d naming it\n%s%s", code, exitUsage, out, stderr)
	}
}

// TestExtractExtendsColumnMapKeepingComments: after the user commented and edited
// columns.yaml, a new column in people.csv and a new deals.csv are added to it on the next
// extract; the user's comments and edits stay, and the new column is honoured.
func TestExtractExtendsColumnMapKeepingComments(t *testing.T) {
	files := map[string][]byte{
		"owners.csv": []byte("Name,Email\nMaya Lind,maya@brightwave.io\n"),
		"people.csv": []byte("Email Address,First name,Last name,Scribbles\nann@x.io,Ann,Lee,call back??\n"),
	}
	dir := writeHarvest(t, files)
	ws := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", ws, "--harvest", dir); code != exitOK {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if out, stderr, code := runFerry(t, "extract", "-w", ws); code != exitOK {
		t.Fatalf("extract: exit %d\n%s%s", code, out, stderr)
	}
	colPath := filepath.Join(ws, harvest.ColumnsFile)
	data, err := os.ReadFile(colPath)
	if err != nil {
		t.Fatal(err)
	}
	edited := "# Checked with Maya: scribbles stay out.\n" + strings.Replace(string(data), "field: custom.Scribbles",
		"field: skip # not for Pipedrive", 1)
	if err := os.WriteFile(colPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	people := "Email Address,First name,Last name,Scribbles,Job Title\nann@x.io,Ann,Lee,call back??,CTO\n"
	if err := os.WriteFile(filepath.Join(dir, "people.csv"), []byte(people), 0o644); err != nil {
		t.Fatal(err)
	}
	deals := "Deal Name,Contact Email,Value (EUR)\nPilot,ann@x.io,\"1.200,00\"\n"
	if err := os.WriteFile(filepath.Join(dir, "deals.csv"), []byte(deals), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runFerry(t, "extract", "-w", ws)
	if code != exitOK || !strings.Contains(out, "column map extended (2 file(s)") {
		t.Fatalf("extract with a new column and file: exit %d, want it to say the map was extended\n%s%s", code, out, stderr)
	}
	got, err := os.ReadFile(colPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Checked with Maya: scribbles stay out.", "field: skip # not for Pipedrive",
		"header: Job Title", "file: deals.csv", "hint: \"currency:EUR\""} {
		if !strings.Contains(string(got), want) {
			t.Errorf("extended columns.yaml lacks %q:\n%s", want, got)
		}
	}
	for _, p := range snapshotRecords(t, ws, source.Person) {
		if p.Fields["title"] != "CTO" || p.Fields["custom.Scribbles"] != "" {
			t.Errorf("person after the extend: %v; want title CTO and no scribbles", p.Fields)
		}
	}
}

// TestExtractUnreadableFile: a gzip file under a .csv name is named (probe too) with what
// to do, every other file loads, and extract exits 6; the records of its kind already in
// the snapshot stay.
func TestExtractUnreadableFile(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("id,body\nn1,hello\n"))
	zw.Close()
	dir := writeHarvest(t, map[string][]byte{
		"owners.csv": []byte("id,name,email\no1,Maya,maya@x.io\n"),
		"people.csv": []byte("id,first_name,email\np1,Ann,ann@x.io\np2,Bo,bo@x.io\n"),
		"notes.csv":  []byte("id,body,person_id\nn1,First note,p1\n"),
	})
	ws := filepath.Join(t.TempDir(), "ws")
	runFerry(t, "init", ws, "--harvest", dir)
	if out, stderr, code := runFerry(t, "extract", "-w", ws); code != exitOK {
		t.Fatalf("first extract: %d\n%s%s", code, out, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.csv"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runFerry(t, "extract", "-w", ws)
	if code != exitIncomplete || !strings.Contains(stderr, "notes.csv") || !strings.Contains(stderr, "gzip") ||
		!strings.Contains(stderr, "every other file was loaded") {
		t.Errorf("extract with a gzip notes.csv: exit %d, want %d naming it and what to do\n%s%s", code, exitIncomplete, out, stderr)
	}
	if n := len(snapshotRecords(t, ws, source.Person)); n != 2 {
		t.Errorf("%d people loaded, want 2", n)
	}
	if notes := snapshotRecords(t, ws, source.Note); len(notes) != 1 || notes[0].Fields["body"] != "First note" {
		t.Errorf("the note extracted before the file broke was lost: %+v", notes)
	}
	out, stderr, _ = runFerry(t, "probe", "-w", ws)
	if !strings.Contains(out+stderr, "notes.csv") || !strings.Contains(out+stderr, "gzip") {
		t.Errorf("probe does not name the unreadable file:\n%s%s", out, stderr)
	}
}

// TestHarvestCheckUnreadable: ferry harvest check names a file it cannot read, checks the
// others, shows the column map it would propose and exits 6.
func TestHarvestCheckUnreadable(t *testing.T) {
	dir := writeHarvest(t, map[string][]byte{
		"people.csv": []byte("Email Address;Vorname\nann@x.io;Ann\n"),
		"notes.csv":  {0x1F, 0x8B, 0x08, 0x00, 0x00},
	})
	out, stderr, code := runFerry(t, "harvest", "check", dir)
	if code != exitIncomplete || !strings.Contains(out, "notes.csv") || !strings.Contains(out, "gzip") ||
		!strings.Contains(out, "Email Address → email; Vorname → first_name") {
		t.Errorf("harvest check: exit %d, want %d\n%s%s", code, exitIncomplete, out, stderr)
	}
}
