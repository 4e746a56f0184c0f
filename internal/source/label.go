package source

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// labelMax is the longest label Label returns, in runes (a note's body or a long title is cut).
const labelMax = 60

// Label returns what a person reading a report knows a record by, without its id: a
// person's or owner's "First Last <email>" (the first email of a list), a company's "Name
// (domain)", a deal's, task's or interaction's name or title, a note's first words, an
// attachment's file name. Missing parts are left out; "" when the record carries none of
// them. The label is plain text on one line: callers escape it for their format.
func Label(r Record) string {
	f := r.Fields
	var s string
	switch r.Kind {
	case Person, Owner:
		name := strings.TrimSpace(f["name"])
		if full := strings.TrimSpace(f["first_name"] + " " + f["last_name"]); full != "" {
			name = full
		}
		s = withEmail(name, firstEmail(f["email"]))
	case Company:
		s = strings.TrimSpace(f["name"])
		if d := strings.TrimSpace(f["domain"]); d != "" {
			s = strings.TrimSpace(s + " (" + d + ")")
		}
	case Deal:
		s = f["name"]
	case Interaction:
		s = f["title"]
		if strings.TrimSpace(s) == "" {
			s = strings.TrimSpace(strings.ToLower(f["type"]) + " " + dateOf(f["interaction_date"]))
		}
	case Task:
		s = f["title"]
	case Note:
		if b := clipRunes(strings.Join(strings.Fields(f["body"]), " "), labelMax-2); b != "" {
			return "“" + b + "”"
		}
	case Attachment:
		s = f["file_name"]
	}
	return clipRunes(strings.Join(strings.Fields(s), " "), labelMax)
}

// Named returns the record's label followed by its Klipy id in parentheses ("Jane Roe
// <jane@acme.com> (per_0epjp1)"), or the id alone when the record has no label: a record
// named for a reader, still findable by its id.
func Named(r Record) string { return NameWithID(Label(r), r.ID) }

// NameWithID joins a label and an id as Named does.
func NameWithID(label, id string) string {
	switch {
	case label == "":
		return id
	case id == "":
		return label
	}
	return label + " (" + id + ")"
}

// withEmail formats "Name <email>", or whichever of the two is set.
func withEmail(name, email string) string {
	switch {
	case email == "":
		return name
	case name == "":
		return "<" + email + ">"
	}
	return name + " <" + email + ">"
}

// firstEmail returns the address of the first item of a list-valued email field: a
// display name around it ("Jane" <jane@x.com>) and mailto: are dropped; an item that is not
// an address is kept as written.
func firstEmail(v string) string {
	l := List(v)
	if len(l) == 0 {
		return ""
	}
	e := strings.TrimPrefix(l[0], "mailto:")
	if a, err := mail.ParseAddress(e); err == nil {
		return a.Address
	}
	return e
}

// dateOf returns the date part of an RFC 3339 time, or the value as written.
func dateOf(v string) string {
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' {
		return v[:10]
	}
	return strings.TrimSpace(v)
}

// clipRunes cuts s to n runes, marking a cut with "…".
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}
