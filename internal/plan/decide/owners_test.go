package decide

import (
	"testing"

	"ferry/internal/source"
)

// TestOwnerForForms: an owner reference resolves by Klipy id, by email in any spelling and
// by name with case, spacing and accents ignored; an unknown reference does not.
func TestOwnerForForms(t *testing.T) {
	d := Decisions{Owners: []Owner{
		{Klipy: "Jürgen Weiß <juergen.weiss@kontorwerk.de>", ID: "1", Email: "juergen.weiss@kontorwerk.de", Resolution: OwnerMatched, Target: "juergen.weiss@kontorwerk.de"},
		{Klipy: "Rachel Stone <rachel.stone@vantora.com>", ID: "81234567", Email: "rachel.stone@vantora.com", Resolution: OwnerMap, Target: "admin@vantora.com"},
		{Klipy: "Björn Krüger", Resolution: OwnerOpen},
	}}
	cases := []struct{ ref, want string }{
		{"1", "juergen.weiss@kontorwerk.de"},
		{"Jürgen Weiß", "juergen.weiss@kontorwerk.de"},
		{"jürgen  weiß", "juergen.weiss@kontorwerk.de"},
		{"Jurgen Weiss", "juergen.weiss@kontorwerk.de"},
		{"JUERGEN.WEISS@KONTORWERK.DE", "juergen.weiss@kontorwerk.de"},
		{`"Jürgen" <juergen.weiss@kontorwerk.de>`, "juergen.weiss@kontorwerk.de"},
		{"mailto:juergen.weiss@kontorwerk.de.", "juergen.weiss@kontorwerk.de"},
		{"81234567", "admin@vantora.com"},
		{" Rachel Stone ", "admin@vantora.com"},
		{"Rachel Stone <rachel.stone@vantora.com>", "admin@vantora.com"},
		{"Björn Krüger", ""},
		{"Bjorn Kruger", ""},
		{"someone@else.com", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, ok := d.OwnerFor(c.ref)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("OwnerFor(%q) = %q, %v; want %q", c.ref, got, ok, c.want)
		}
	}
}

// TestOwnersFromAccentedReferences: references to one owner spelled with and without accents
// or by email are one owner in the queue, counted together.
func TestOwnersFromAccentedReferences(t *testing.T) {
	sc := NewScan()
	sc.Owners = nil
	sc.OwnerRefs = map[string]int{"Jürgen Weiß": 3, "Jurgen Weiss": 2, "juergen.weiss@kontorwerk.de": 1}
	sc.Add(ownerRecord("1", "Jürgen Weiß", "juergen.weiss@kontorwerk.de"))
	got := resolveOwners(sc, Destination{}, "")
	if len(got) != 1 || got[0].Records != 6 {
		t.Fatalf("owners = %+v, want one owner with 6 records", got)
	}
}

func ownerRecord(id, name, email string) source.Record {
	return source.Record{Kind: source.Owner, ID: id, Fields: map[string]string{"id": id, "name": name, "email": email}}
}

// TestActivityTypeForChannel: a direct message finds its decision whatever the case of its
// type and channel, and says whether the channel goes into the note.
func TestActivityTypeForChannel(t *testing.T) {
	d := Decisions{ActivityTypes: []ActivityType{{Klipy: "DIRECT_MESSAGE/LinkedIn", Target: "task", Channel: true},
		{Klipy: "EMAIL", Target: "email"}}}
	for _, c := range []struct {
		typ, channel, want string
		inNote             bool
	}{{"DIRECT_MESSAGE", "LinkedIn", "task", true}, {"direct_message", " linkedin ", "task", true},
		{"email", "", "email", false}, {"DIRECT_MESSAGE", "Telegram", "", false}} {
		got, inNote := d.ActivityTypeFor(c.typ, c.channel)
		if got != c.want || inNote != c.inNote {
			t.Errorf("ActivityTypeFor(%q, %q) = %q, %v; want %q, %v", c.typ, c.channel, got, inNote, c.want, c.inNote)
		}
	}
}

// TestNoteAuthorsJoinTheOwnerQueue: a note's author is an owner reference like a record's
// owner, so an author unknown to Pipedrive gets a decision instead of failing its notes.
func TestNoteAuthorsJoinTheOwnerQueue(t *testing.T) {
	sc := NewScan()
	sc.Add(source.Record{Kind: source.Note, ID: "n1", Fields: map[string]string{"author": "Lena Schäfer"}})
	sc.Add(source.Record{Kind: source.Note, ID: "n2", Fields: map[string]string{"author": "lena schafer"}})
	got := resolveOwners(sc, Destination{}, "")
	if len(got) != 1 || got[0].Records != 2 || got[0].Resolution != OwnerOpen {
		t.Errorf("owners %+v, want one open owner with 2 records", got)
	}
}

// TestOwnerLabel: an owner reference is named by its decision's name, email and Klipy id,
// however it was written; an unknown reference is quoted as written.
func TestOwnerLabel(t *testing.T) {
	d := Decisions{Owners: []Owner{
		{Klipy: "Jane Roe <jane.roe@acme.com>", ID: "o2", Email: "jane.roe@acme.com", Resolution: OwnerOpen},
		{Klipy: "Björn Krüger", Resolution: OwnerOpen},
	}}
	for _, c := range []struct{ ref, want string }{
		{"o2", "Jane Roe <jane.roe@acme.com> (o2)"},
		{"JANE.ROE@acme.com", "Jane Roe <jane.roe@acme.com> (o2)"},
		{"jane roe", "Jane Roe <jane.roe@acme.com> (o2)"},
		{"Bjorn Kruger", "Björn Krüger"},
		{"o9", `"o9"`},
	} {
		if got := d.OwnerLabel(c.ref); got != c.want {
			t.Errorf("OwnerLabel(%q) = %q, want %q", c.ref, got, c.want)
		}
	}
}
