package gen

import (
	"regexp"
	"strings"
	"time"

	"ferry/internal/source"
)

// dialectSpec says how a dialect writes each file of the harvest.
type dialectSpec struct {
	// headers gives the header of a canonical field per kind; a field not listed keeps
	// ferry's header (custom fields always do).
	headers map[source.Kind]map[string]string
	// noIDs lists the kinds written without their id column (rows keyed by natural key).
	noIDs map[source.Kind]bool
	// byRef writes id references as the referenced record's email or name (source.References)
	// and owner ids as the owner's email.
	byRef bool
	// value rewrites one value into the dialect's surface; nil keeps it.
	value func(field, v string) string
	// csv is the CSV surface; unused by DialectXLSX.
	csv csvSurface
	// xlsx writes one workbook, a sheet per object.
	xlsx bool
}

// csvSurface is how a dialect's CSV files are encoded.
type csvSurface struct {
	comma rune
	crlf  bool
	// cp1252 writes Windows-1252, or UTF-8 with a BOM when a file holds text Windows-1252
	// cannot encode (what Excel's "CSV UTF-8" would hold).
	cp1252 bool
}

// dropsBroken reports whether a dialect leaves a deliberately broken row of ferry's layout
// out: without an id column, a row without an id is an ordinary row and a row repeating an
// id is an ordinary row too, so the sheets dialect cannot express them (neither is a record
// in the key, so no count changes).
func (s dialectSpec) dropsBroken(kind source.Kind, b BrokenRow) bool {
	return s.noIDs[kind] && (b.Reason == "row without id" || strings.HasPrefix(b.Reason, "id repeats"))
}

var dialectSpecs = map[Dialect]dialectSpec{
	DialectSheets: {
		headers: sheetsHeaders,
		noIDs:   map[source.Kind]bool{source.Owner: true, source.Company: true, source.Person: true},
		byRef:   true,
		csv:     csvSurface{comma: ','},
	},
	DialectExcelEU: {
		headers: germanHeaders,
		value:   euValue,
		csv:     csvSurface{comma: ';', crlf: true, cp1252: true},
	},
	DialectXLSX: {xlsx: true},
	DialectDump: {
		headers: dumpHeaders,
		csv:     csvSurface{comma: ','},
	},
}

// sheetsHeaders are English headers as someone typing a Google Sheet writes them; the
// reference columns name people by email and companies by name.
var sheetsHeaders = map[source.Kind]map[string]string{
	source.Owner: {"name": "Name", "email": "Email"},
	source.Company: {"name": "Company Name", "domain": "Domain", "website": "Website", "industry": "Industry",
		"employee_count": "Employees", "city": "City", "country": "Country", "linkedin_url": "LinkedIn",
		"owner": "Owner", "tags": "Tags", "created_at": "Created"},
	source.Person: {"first_name": "First name", "last_name": "Last name", "email": "Email Address",
		"phone": "Phone", "title": "Job Title", "company_name": "Company", "linkedin_url": "LinkedIn URL",
		"owner": "Owner", "tags": "Tags", "notes": "Notes", "created_at": "Created", "updated_at": "Last Modified"},
	source.Deal: {"id": "Deal ID", "name": "Deal Name", "value": "Value", "currency": "Currency",
		"pipeline": "Pipeline", "stage": "Stage", "status": "Status", "person_email": "Contact Email",
		"company_name": "Company", "owner": "Owner", "expected_close_date": "Expected Close",
		"created_at": "Created", "closed_at": "Close Date", "lost_reason": "Lost Reason", "tags": "Tags",
		"stage_history": "Stage History"},
	source.Interaction: {"id": "ID", "type": "Type", "channel": "Channel", "direction": "Direction",
		"title": "Subject", "summary": "Summary", "interaction_date": "Date", "created_at": "Logged At",
		"person_emails": "Participant Emails", "company_name": "Company", "deal_id": "Deal ID",
		"created_by": "Logged By", "duration_minutes": "Duration (min)"},
	source.Note: {"id": "ID", "body": "Note", "person_email": "Contact Email", "company_name": "Company",
		"deal_id": "Deal ID", "author": "Author", "created_at": "Created", "ai_draft": "AI Draft",
		"source_conversation": "Source Conversation"},
	source.Task: {"id": "ID", "title": "Title", "due_date": "Due Date", "done": "Done",
		"person_email": "Contact Email", "deal_id": "Deal ID", "owner": "Owner", "created_at": "Created"},
	source.Attachment: {"id": "ID", "file_name": "File Name", "path": "File", "size_bytes": "Size (bytes)",
		"sha256": "SHA-256", "content_type": "Content Type", "person_email": "Contact Email",
		"deal_id": "Deal ID", "interaction_id": "Interaction ID", "source_url": "Source URL", "created_at": "Uploaded"},
}

// germanHeaders are the headers of a German Excel export.
var germanHeaders = map[source.Kind]map[string]string{
	source.Owner: {"id": "ID", "name": "Name", "email": "E-Mail"},
	source.Company: {"id": "ID", "name": "Firma", "domain": "Domain", "website": "Webseite", "industry": "Branche",
		"employee_count": "Mitarbeiter", "city": "Ort", "country": "Land", "linkedin_url": "LinkedIn",
		"owner": "Verantwortlich", "tags": "Tags", "created_at": "Erstellt am"},
	source.Person: {"id": "ID", "first_name": "Vorname", "last_name": "Nachname", "email": "E-Mail",
		"phone": "Telefon", "title": "Position", "company_id": "Firmen-ID", "company_name": "Firma",
		"linkedin_url": "LinkedIn", "owner": "Verantwortlich", "tags": "Tags", "notes": "Notizen",
		"created_at": "Erstellt am", "updated_at": "Geändert am"},
	source.Deal: {"id": "ID", "name": "Name", "value": "Wert", "currency": "Währung", "pipeline": "Pipeline",
		"stage": "Phase", "status": "Status", "person_id": "Kontakt-ID", "company_id": "Firmen-ID",
		"owner": "Verantwortlich", "expected_close_date": "Erwartetes Abschlussdatum", "created_at": "Erstellt am",
		"closed_at": "Abschlussdatum", "lost_reason": "Verlustgrund", "tags": "Tags", "stage_history": "Phasenverlauf"},
	source.Interaction: {"id": "ID", "type": "Typ", "channel": "Kanal", "direction": "Richtung", "title": "Betreff",
		"summary": "Zusammenfassung", "interaction_date": "Datum", "created_at": "Erfasst am",
		"person_ids": "Kontakt-IDs", "company_ids": "Firmen-IDs", "deal_id": "Deal-ID",
		"created_by": "Erfasst von", "duration_minutes": "Dauer (Min.)"},
	source.Note: {"id": "ID", "body": "Notiz", "person_id": "Kontakt-ID", "company_id": "Firmen-ID",
		"deal_id": "Deal-ID", "author": "Autor", "created_at": "Erstellt am", "ai_draft": "KI-Entwurf",
		"source_conversation": "Quellgespräch"},
	source.Task: {"id": "ID", "title": "Aufgabe", "due_date": "Fällig am", "done": "Erledigt",
		"person_id": "Kontakt-ID", "deal_id": "Deal-ID", "owner": "Verantwortlich", "created_at": "Erstellt am"},
	source.Attachment: {"id": "ID", "file_name": "Dateiname", "path": "Pfad", "size_bytes": "Größe (Bytes)",
		"sha256": "SHA-256", "content_type": "Dateityp", "person_id": "Kontakt-ID", "company_id": "Firmen-ID",
		"deal_id": "Deal-ID", "interaction_id": "Interaktions-ID", "source_url": "Quell-URL",
		"created_at": "Hochgeladen am"},
}

// dumpHeaders are another CRM's export names: ids under foreign names.
var dumpHeaders = map[source.Kind]map[string]string{
	source.Owner: {"id": "Owner ID", "name": "Name", "email": "Email"},
	source.Company: {"id": "Account ID", "name": "Company Name", "domain": "Company Domain Name",
		"website": "Website URL", "industry": "Industry", "employee_count": "Number of Employees", "city": "City",
		"country": "Country/Region", "linkedin_url": "LinkedIn Company Page", "owner": "Account Owner",
		"tags": "Tags", "created_at": "Create Date"},
	source.Person: {"id": "Record ID", "first_name": "First Name", "last_name": "Last Name", "email": "Email",
		"phone": "Phone Number", "title": "Job Title", "company_id": "Account ID", "company_name": "Associated Company",
		"linkedin_url": "LinkedIn URL", "owner": "Contact Owner", "tags": "Tags", "notes": "Notes",
		"created_at": "Create Date", "updated_at": "Last Modified Date"},
	source.Deal: {"id": "Record ID", "name": "Deal Name", "value": "Amount", "currency": "Currency",
		"pipeline": "Pipeline", "stage": "Deal Stage", "status": "Deal Status", "person_id": "Contact Record ID",
		"company_id": "Account ID", "owner": "Deal Owner", "expected_close_date": "Expected Close Date",
		"created_at": "Create Date", "closed_at": "Close Date", "lost_reason": "Closed Lost Reason", "tags": "Tags",
		"stage_history": "Stage History"},
	source.Interaction: {"id": "Record ID", "type": "Activity Type", "channel": "Channel", "direction": "Direction",
		"title": "Subject", "summary": "Body Preview", "interaction_date": "Activity Date", "created_at": "Create Date",
		"person_ids": "Contact Record IDs", "company_ids": "Account IDs", "deal_id": "Deal Record ID",
		"created_by": "Created By", "duration_minutes": "Duration (Minutes)"},
	source.Note: {"id": "Record ID", "body": "Note Body", "person_id": "Contact Record ID", "company_id": "Account ID",
		"deal_id": "Deal Record ID", "author": "Created By", "created_at": "Create Date", "ai_draft": "AI Draft",
		"source_conversation": "Source Conversation"},
	source.Task: {"id": "Record ID", "title": "Task Title", "due_date": "Due Date", "done": "Completed",
		"person_id": "Contact Record ID", "deal_id": "Deal Record ID", "owner": "Task Owner", "created_at": "Create Date"},
	source.Attachment: {"id": "Record ID", "file_name": "File Name", "path": "File Path", "size_bytes": "Size (bytes)",
		"sha256": "SHA-256", "content_type": "Content Type", "person_id": "Contact Record ID", "company_id": "Account ID",
		"deal_id": "Deal Record ID", "interaction_id": "Activity Record ID", "source_url": "Source URL",
		"created_at": "Uploaded At"},
}

var plainDecimal = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// euValue writes a value as a German Excel export shows it: times and dates day-first
// (31.01.2024 09:15, in UTC, without seconds, as a "TT.MM.JJJJ hh:mm" cell format shows
// them; 31.01.2024), a deal's value with '.' grouping and a decimal comma, and booleans
// as Ja/Nein. Anything else, including a date that does not parse, is kept as written.
func euValue(field, v string) string {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC().Format("02.01.2006 15:04")
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format("02.01.2006")
	}
	switch field {
	case "value":
		if plainDecimal.MatchString(v) {
			return euDecimal(v)
		}
	case "done", "ai_draft":
		switch strings.ToLower(v) {
		case "true", "yes", "1":
			return "Ja"
		case "false", "no", "0":
			return "Nein"
		}
	}
	return v
}

// euDecimal turns "-1234567.5" into "-1.234.567,5".
func euDecimal(v string) string {
	sign := ""
	if strings.HasPrefix(v, "-") {
		sign, v = "-", v[1:]
	}
	whole, frac, hasFrac := strings.Cut(v, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("," + frac)
	}
	return sign + b.String()
}
