package source

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLabel(t *testing.T) {
	long := "Met at the Leeds trade fair; she wants a quote for the new press line before June."
	for _, tc := range []struct {
		name string
		rec  Record
		want string // Named
	}{
		{"person", Record{Kind: Person, ID: "per_0epjp1", Fields: map[string]string{"first_name": "Jane", "last_name": "Roe", "email": "jane@acme.com;j.roe@acme.com"}}, "Jane Roe <jane@acme.com> (per_0epjp1)"},
		{"person with a display name in the email", Record{Kind: Person, ID: "p1", Fields: map[string]string{"first_name": "Jane", "last_name": "Nguyen", "email": `"Jane Nguyen" <Jane_nguyen@Credit.com>`}}, "Jane Nguyen <Jane_nguyen@Credit.com> (p1)"},
		{"person with a broken email", Record{Kind: Person, ID: "p1", Fields: map[string]string{"first_name": "Ines", "email": "mailto:ines@@x.com"}}, "Ines <ines@@x.com> (p1)"},
		{"person without email", Record{Kind: Person, ID: "p1", Fields: map[string]string{"first_name": " Jane", "last_name": ""}}, "Jane (p1)"},
		{"person with email only", Record{Kind: Person, ID: "p1", Fields: map[string]string{"email": "x@y.z"}}, "<x@y.z> (p1)"},
		{"person with nothing", Record{Kind: Person, ID: "p1", Fields: map[string]string{}}, "p1"},
		{"owner", Record{Kind: Owner, ID: "o2", Fields: map[string]string{"name": "Jane Roe", "email": "jane@x.com"}}, "Jane Roe <jane@x.com> (o2)"},
		{"company", Record{Kind: Company, ID: "c1", Fields: map[string]string{"name": "Acme GmbH", "domain": "acme.de"}}, "Acme GmbH (acme.de) (c1)"},
		{"company without name", Record{Kind: Company, ID: "c1", Fields: map[string]string{"domain": "acme.de"}}, "(acme.de) (c1)"},
		{"deal", Record{Kind: Deal, ID: "d1", Fields: map[string]string{"name": "Press line"}}, "Press line (d1)"},
		{"interaction by title", Record{Kind: Interaction, ID: "i1", Fields: map[string]string{"title": "Intro\ncall", "type": "MEETING"}}, "Intro call (i1)"},
		{"interaction by type and date", Record{Kind: Interaction, ID: "i1", Fields: map[string]string{"type": "EMAIL", "interaction_date": "2024-03-03T11:00:00Z"}}, "email 2024-03-03 (i1)"},
		{"task", Record{Kind: Task, ID: "t1", Fields: map[string]string{"title": "Send the quote"}}, "Send the quote (t1)"},
		{"note clipped", Record{Kind: Note, ID: "n1", Fields: map[string]string{"body": long}}, "“Met at the Leeds trade fair; she wants a quote for the ne…” (n1)"},
		{"attachment", Record{Kind: Attachment, ID: "a1", Fields: map[string]string{"file_name": "quote.pdf"}}, "quote.pdf (a1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Named(tc.rec); got != tc.want {
				t.Errorf("Named = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzLabel: whatever a Klipy record holds, its label is one line of at most labelMax runes
// (a note's two quotes aside) and Named ends with the record's id in parentheses.
func FuzzLabel(f *testing.F) {
	f.Add("person", "Jane", "Roe", `"Jane" <jane@x.com>;j@x.com`, "p1")
	f.Add("note", "", "", "", "n1")
	f.Add("company", "Acme\nGmbH", "", "acme.de", "c1")
	f.Fuzz(func(t *testing.T, kind, a, b, c, id string) {
		r := Record{Kind: Kind(kind), ID: id, Fields: map[string]string{"first_name": a, "last_name": b, "email": c,
			"name": a, "domain": c, "title": a, "body": a + b, "file_name": b, "type": c, "interaction_date": c}}
		l := Label(r)
		if strings.ContainsAny(l, "\n\r") {
			t.Errorf("Label = %q: more than one line", l)
		}
		if n := utf8.RuneCountInString(l); n > labelMax+2 {
			t.Errorf("Label = %q: %d runes, want at most %d", l, n, labelMax+2)
		}
		if n := Named(r); id != "" && l != "" && !strings.HasSuffix(n, " ("+id+")") {
			t.Errorf("Named = %q, want it to end with (%s)", n, id)
		}
	})
}
