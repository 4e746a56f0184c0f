package harvest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ferry/internal/source"
)

// ErrExists is wrapped by WriteTemplates when a file it would write is already there.
var ErrExists = errors.New("already exists")

// klipyHeaders are the column names of Klipy's own CSV import template (NOTES.md §2), which
// the templates use for people and companies; every other column carries its canonical name.
var klipyHeaders = map[source.Kind]map[string]string{
	source.Person: {"first_name": "First Name", "last_name": "Last Name", "email": "Email",
		"company_name": "Company", "title": "Title", "phone": "Phone",
		"linkedin_url": "LinkedIn URL", "notes": "Notes"},
	source.Company: {"name": "Company Name", "domain": "Domain", "industry": "Industry",
		"employee_count": "Size", "website": "Website"},
}

// TemplateHeader returns the header row WriteTemplates writes for kind, in
// source.Standard order.
func TemplateHeader(kind source.Kind) []string {
	fields := source.Core(kind)
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f
		if h, ok := klipyHeaders[kind][f]; ok {
			out[i] = h
		}
	}
	return out
}

// WriteTemplates writes the blank harvest folder into dir (created if missing): one CSV
// with only a header row per file of source.HarvestFile, a README.txt for the person who
// fills them, and the empty files/ folder. It returns the paths written. Unless force is
// set it writes nothing when any of those files exists, returning an error wrapping
// ErrExists that names them.
func WriteTemplates(dir string, force bool) ([]string, error) {
	names := []string{}
	files := map[string]string{}
	for _, kind := range source.Kinds {
		name := source.HarvestFile[kind]
		names = append(names, name)
		files[name] = strings.Join(TemplateHeader(kind), ",") + "\r\n"
	}
	names = append(names, "README.txt")
	files["README.txt"] = readme()
	if !force {
		var existing []string
		for _, name := range names {
			if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
				existing = append(existing, name)
			}
		}
		if len(existing) > 0 {
			return nil, fmt.Errorf("%s: %w: %s; use --force to overwrite", dir, ErrExists, strings.Join(existing, ", "))
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, source.FilesDir), 0o755); err != nil {
		return nil, fmt.Errorf("create harvest folder: %w", err)
	}
	var written []string
	for _, name := range names {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			return written, fmt.Errorf("write template: %w", err)
		}
		written = append(written, p)
	}
	return written, nil
}

// fileHelp says what each harvest file holds, for the README.
var fileHelp = map[source.Kind]string{
	source.Owner:       "the people who own records in Klipy (users); matched to Pipedrive users by email, then name.",
	source.Company:     "companies. Company Name is required. Size is the number of employees.",
	source.Person:      "contacts. Company is the company's name; company_id links to companies.csv.",
	source.Deal:        "deals, including those closed before webhook capture began. name is required; stage_history lists stages separated by ;.",
	source.Interaction: "emails, meetings, messages, calls. type is required (EMAIL, MEETING, DIRECT_MESSAGE, MEMO, VOICE_NOTE, ...).",
	source.Note:        "notes and AI follow-up drafts (ai_draft = true, with the source_conversation). body is required.",
	source.Task:        "to-dos. done is true or false.",
	source.Attachment:  "files. path (or file_name) is required; put the file itself under files/ and give path as files/NAME. sha256, if given, is checked.",
}

// readme is the text of README.txt.
func readme() string {
	var b strings.Builder
	b.WriteString(`Klipy harvest folder for ferry
==============================

Fill in these CSV files with what you can export or copy from Klipy CRM; ferry reads them
with "ferry harvest check DIR" (to see what it understood) and "ferry extract". Leave a file
out, or leave it with only its header row, when you have nothing for it.

Nothing in this folder is uploaded anywhere by itself: ferry reads it on this computer, and
only what you approve in the migration plan is sent to Pipedrive.

Files and columns (one row per record, the first row is the header):
`)
	for _, kind := range source.Kinds {
		fmt.Fprintf(&b, "\n  %s — %s\n    columns: %s\n", source.HarvestFile[kind], fileHelp[kind],
			strings.Join(TemplateHeader(kind), ", "))
	}
	b.WriteString(`
Rules:
  - id is required in every file and must be unique within it (use Klipy's ids when you
    have them); other files refer to a record by that id (company_id, person_id, deal_id...).
  - Dates and times: ISO 8601 preferred, e.g. 2024-03-01 or 2024-03-01T14:30:00Z.
  - Lists (tags, person_ids, company_ids, stage_history): items separated by ;
  - Attachments: put the files under files/ and give their path relative to this folder,
    e.g. files/contract.pdf. Paths outside this folder are refused.
  - Any extra column you add becomes a custom field, named by its header.
  - Column names are matched loosely: "First Name", "first_name" and "FirstName" are the same.
  - Saving from Excel is fine: comma, semicolon or tab separated; UTF-8 or Windows-1252.
  - A row ferry cannot read is set aside (quarantined) with its line number and the reason;
    the rest is read.
`)
	return b.String()
}
