package harvest

import (
	"fmt"
	"strings"
	"unicode"

	"ferry/internal/source"
)

// commonAliases lists, per canonical field, the other header spellings that mean it in every
// kind whose source.Standard list has that field. The canonical name itself always matches.
// Matching ignores case, spaces and punctuation (see normalizeHeader), so "First Name",
// "first_name", "FirstName" and "first-name" are one entry.
var commonAliases = map[string][]string{
	"first_name":          {"First Name", "Given Name", "First", "Forename"},
	"last_name":           {"Last Name", "Surname", "Family Name", "Last"},
	"email":               {"Email", "Email Address", "E-mail", "Mail", "Work Email", "Primary Email"},
	"phone":               {"Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Mobile Phone"},
	"title":               {"Title", "Job Title", "Position"},
	"company_id":          {"Company ID", "Organization ID", "Org ID", "Account ID"},
	"company_name":        {"Company", "Company Name", "Organization", "Organisation", "Account"},
	"linkedin_url":        {"LinkedIn URL", "LinkedIn", "LinkedIn Profile", "LinkedIn Profile URL"},
	"owner":               {"Owner", "Owner Email", "Owner Name", "Assigned To", "Assignee"},
	"tags":                {"Tags", "Tag", "Labels", "Label"},
	"notes":               {"Notes", "Note", "Remarks", "Comments"},
	"created_at":          {"Created At", "Created", "Created On", "Created Date", "Creation Date", "Creation Time", "Date Created"},
	"updated_at":          {"Updated At", "Updated", "Last Modified", "Modified At", "Last Updated"},
	"domain":              {"Domain", "Company Domain", "Website Domain"},
	"website":             {"Website", "Web Site", "Homepage", "Website URL", "URL", "Web"},
	"industry":            {"Industry", "Sector"},
	"employee_count":      {"Size", "Employees", "Employee Count", "Number of Employees", "Company Size", "Headcount"},
	"city":                {"City", "Town"},
	"country":             {"Country"},
	"value":               {"Value", "Amount", "Deal Value", "Estimated Value"},
	"currency":            {"Currency"},
	"pipeline":            {"Pipeline", "Pipeline Name"},
	"stage":               {"Stage", "Deal Stage", "Stage Name"},
	"status":              {"Status", "Deal Status"},
	"person_id":           {"Person ID", "Contact ID", "Main Contact ID"},
	"expected_close_date": {"Expected Close Date", "Close Date", "Estimated Close Date", "Expected Close"},
	"closed_at":           {"Closed At", "Closed", "Closed Date", "Close Time"},
	"lost_reason":         {"Lost Reason", "Reason Lost"},
	"stage_history":       {"Stage History"},
	"direction":           {"Direction"},
	"summary":             {"Summary", "Description"},
	"interaction_date":    {"Interaction Date", "Date", "Occurred At"},
	"person_ids":          {"Person IDs", "Contact IDs", "Contacts", "People"},
	"company_ids":         {"Company IDs", "Companies", "Organization IDs"},
	"deal_id":             {"Deal ID", "Deal"},
	"created_by":          {"Created By", "Creator", "User"},
	"duration_minutes":    {"Duration Minutes", "Duration", "Duration (min)"},
	"author":              {"Author", "Written By", "Created By"},
	"ai_draft":            {"AI Draft", "Is AI Draft", "AI Generated", "Draft"},
	"source_conversation": {"Source Conversation", "Conversation", "Source Thread"},
	"due_date":            {"Due Date", "Due", "Due At", "Deadline"},
	"done":                {"Done", "Completed", "Is Done", "Complete"},
	"path":                {"Path", "File Path", "Relative Path", "Location"},
	"sha256":              {"SHA-256", "SHA256", "Checksum", "SHA256 Checksum"},
	"interaction_id":      {"Interaction ID"},
	"source_url":          {"Source URL", "Download URL", "Original URL"},
}

// kindAliases holds the spellings whose meaning depends on the file: "Company Name" is the
// name of a company in companies.csv but a person's company_name in people.csv. An entry here
// wins over commonAliases for its kind.
var kindAliases = map[source.Kind]map[string][]string{
	source.Owner: {
		"name": {"Name", "Full Name", "Owner Name", "User Name"},
		"id":   {"Owner ID", "User ID"},
	},
	source.Company: {
		"name": {"Company Name", "Company", "Name", "Organization", "Organization Name", "Account Name"},
		"id":   {"Company ID", "Organization ID"},
	},
	source.Person: {
		"id":           {"Person ID", "Contact ID"},
		"company_name": {"Company", "Company Name", "Organization", "Organisation", "Account"},
		"title":        {"Title", "Job Title", "Position", "Role"},
	},
	source.Deal: {
		"name": {"Deal Name", "Name", "Title", "Deal Title"},
		"id":   {"Deal ID"},
	},
	source.Interaction: {
		"type":    {"Type", "Interaction Type", "Kind", "Activity Type"},
		"channel": {"Channel", "Source"},
		"title":   {"Title", "Subject"},
		"id":      {"Interaction ID", "Activity ID"},
	},
	source.Note: {
		"body": {"Body", "Note", "Content", "Text", "Note Body"},
		"id":   {"Note ID"},
	},
	source.Task: {
		"title": {"Title", "Task", "Subject", "To-do", "Todo", "Task Title"},
		"id":    {"Task ID", "To-do ID"},
	},
	source.Attachment: {
		"file_name":    {"File Name", "Filename", "Name", "File"},
		"size_bytes":   {"Size", "Size Bytes", "Bytes", "File Size"},
		"content_type": {"Content Type", "MIME Type", "Mime", "Type"},
		"id":           {"Attachment ID", "File ID"},
	},
}

// genericIDAliases match the id column of every kind.
var genericIDAliases = []string{"ID", "Klipy ID", "Record ID"}

// headerIndex maps a kind and a normalized header to its canonical field name.
var headerIndex = buildHeaderIndex()

// buildHeaderIndex compiles the alias tables in three layers: canonical names, then
// kindAliases, then commonAliases. A later layer never replaces an earlier one (that is how
// "Company Name" means name in companies.csv); two entries of one layer that mean different
// fields of one kind panic, which TestHeaderIndex catches.
func buildHeaderIndex() map[source.Kind]map[string]string {
	idx := make(map[source.Kind]map[string]string, len(source.Standard))
	for kind, fields := range source.Standard {
		m := make(map[string]string)
		layerOf := make(map[string]int)
		add := func(layer int, field, alias string) {
			key := normalizeHeader(alias)
			if prev, ok := m[key]; ok {
				if layerOf[key] == layer && prev != field {
					panic(fmt.Sprintf("harvest: %s header %q means both %s and %s", kind, alias, prev, field))
				}
				return
			}
			m[key], layerOf[key] = field, layer
		}
		for _, field := range fields {
			add(0, field, field)
		}
		for field, list := range kindAliases[kind] {
			for _, a := range list {
				add(1, field, a)
			}
		}
		for _, a := range genericIDAliases {
			add(1, "id", a)
		}
		for _, field := range fields {
			for _, a := range commonAliases[field] {
				add(2, field, a)
			}
		}
		idx[kind] = m
	}
	return idx
}

// normalizeHeader folds a header for matching: lower case, letters and digits only.
func normalizeHeader(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	for _, r := range h {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// cleanHeader trims spaces and stray byte-order marks from a header cell as written.
func cleanHeader(h string) string {
	return strings.TrimSpace(strings.Trim(h, "\uFEFF \t"))
}

// column is one header cell resolved to a field name.
type column struct {
	header string // as written, trimmed
	field  string // canonical name, or source.CustomPrefix+header; "" for a blank header
}

// label names the column in quarantine items: its header, or its 1-based position.
func (c column) label(i int) string {
	if c.header != "" {
		return c.header
	}
	return fmt.Sprintf("column %d", i+1)
}

// matchHeaders resolves the header cells of a file of kind. Unknown headers become custom
// fields; blank ones are kept as blank columns. Two cells meaning the same field (or two
// custom headers equal but for case) are an error naming both columns.
func matchHeaders(kind source.Kind, cells []string) ([]column, error) {
	idx := headerIndex[kind]
	cols := make([]column, len(cells))
	seen := make(map[string]int, len(cells))
	for i, cell := range cells {
		h := cleanHeader(cell)
		col := column{header: h}
		key := ""
		switch field, ok := idx[normalizeHeader(h)]; {
		case h == "":
		case ok:
			col.field, key = field, field
		default:
			col.field, key = source.CustomPrefix+h, source.CustomPrefix+strings.ToLower(h)
		}
		if key != "" {
			if j, dup := seen[key]; dup {
				return nil, fmt.Errorf("duplicate header: column %d (%q) and column %d (%q) both mean %s; keep one of them",
					j+1, cols[j].header, i+1, h, col.field)
			}
			seen[key] = i
		}
		cols[i] = col
	}
	return cols, nil
}
