package harvest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

func TestHeaderIndex(t *testing.T) {
	idx := buildHeaderIndex() // panics on an ambiguous alias
	for kind, fields := range source.Standard {
		for _, f := range fields {
			if got := idx[kind][normalizeHeader(f)]; got != f {
				t.Errorf("%s: canonical %s maps to %q", kind, f, got)
			}
		}
		for field := range kindAliases[kind] {
			if !slices.Contains(fields, field) {
				t.Errorf("kindAliases[%s] names %s, which is not in source.Standard", kind, field)
			}
		}
	}
	for field := range commonAliases {
		found := false
		for _, fields := range source.Standard {
			found = found || slices.Contains(fields, field)
		}
		if !found {
			t.Errorf("commonAliases names %s, which no kind has", field)
		}
	}
}

// fieldsOf proposes the columns of header for kind (no samples) and returns their fields.
func fieldsOf(kind source.Kind, header ...string) []string {
	fc := proposeColumns(kind, "f.csv", header, nil, nil)
	out := make([]string, len(fc.Columns))
	for i, c := range fc.Columns {
		out[i] = c.Field
	}
	return out
}

func TestMatchHeaders(t *testing.T) {
	tests := []struct {
		kind   source.Kind
		header string
		want   string
	}{
		{source.Person, "First Name", "first_name"},
		{source.Person, "first_name", "first_name"},
		{source.Person, "FirstName", "first_name"},
		{source.Person, "  FIRST-NAME ", "first_name"},
		{source.Person, "Email Address", "email"},
		{source.Person, "E-mail", "email"},
		{source.Person, "LinkedIn URL", "linkedin_url"},
		{source.Person, "linkedin", "linkedin_url"},
		{source.Person, "linkedinUrl", "linkedin_url"},
		{source.Person, "Company", "company_name"},
		{source.Person, "Company Name", "company_name"},
		{source.Person, "Associated Company", "company_name"},
		{source.Person, "Company ID", "company_id"},
		{source.Person, "companyId", "company_id"},
		{source.Person, "Account ID", "company_id"},
		{source.Person, "Contact ID", "id"},
		{source.Person, "Record ID", "id"},
		{source.Person, "Contact Owner", "owner"},
		{source.Person, "\ufeffid", "id"},
		{source.Person, "Lead Source", "custom.Lead Source"},
		{source.Person, "  Lead Source ", "custom.Lead Source"},
		{source.Person, "Country/Region", "country"},
		// German
		{source.Person, "Vorname", "first_name"},
		{source.Person, "Nachname", "last_name"},
		{source.Person, "E-Mail", "email"},
		{source.Person, "Telefon", "phone"},
		{source.Person, "Firma", "company_name"},
		{source.Person, "Land", "country"},
		{source.Person, "Verantwortlich", "owner"},
		{source.Person, "Erstellt am", "created_at"},
		{source.Person, "Kontakt-ID", "id"},
		// French, Spanish, Dutch
		{source.Person, "Prénom", "first_name"},
		{source.Person, "PRENOM", "first_name"},
		{source.Person, "Nom de famille", "last_name"},
		{source.Person, "Courriel", "email"},
		{source.Person, "Entreprise", "company_name"},
		{source.Person, "Apellidos", "last_name"},
		{source.Person, "Correo electrónico", "email"},
		{source.Person, "Teléfono", "phone"},
		{source.Person, "Empresa", "company_name"},
		{source.Person, "Voornaam", "first_name"},
		{source.Person, "Achternaam", "last_name"},
		{source.Person, "Bedrijf", "company_name"},
		{source.Company, "Company Name", "name"},
		{source.Company, "Company", "name"},
		{source.Company, "Company ID", "id"},
		{source.Company, "Account ID", "id"},
		{source.Company, "Domain", "domain"},
		{source.Company, "Website", "website"},
		{source.Company, "Size", "employee_count"},
		{source.Company, "Employees", "employee_count"},
		{source.Company, "Number of Employees", "employee_count"},
		{source.Company, "Organisation", "name"},
		{source.Company, "Firma", "name"},
		{source.Company, "Mitarbeiter", "employee_count"},
		{source.Company, "Branche", "industry"},
		{source.Company, "Ort", "city"},
		{source.Company, "Owner Email", "owner"},
		{source.Company, "Account Owner", "owner"},
		{source.Company, "Société", "name"},
		{source.Company, "Ciudad", "city"},
		{source.Company, "Bedrijfsnaam", "name"},
		{source.Deal, "Deal Name", "name"},
		{source.Deal, "Amount", "value"},
		{source.Deal, "Contact ID", "person_id"},
		{source.Deal, "Contact Record ID", "person_id"},
		{source.Deal, "Kontakt-ID", "person_id"},
		{source.Deal, "Contact Email", "person_email"},
		{source.Deal, "Company", "company_name"},
		{source.Deal, "Firma", "company_name"},
		{source.Deal, "Company Domain", "company_domain"},
		{source.Deal, "Deal Owner", "owner"},
		{source.Deal, "Owner Email", "owner"},
		{source.Deal, "Verantwortlich", "owner"},
		{source.Deal, "Stage Name", "stage"},
		{source.Deal, "Phase", "stage"},
		{source.Deal, "Phasenverlauf", "stage_history"},
		{source.Deal, "Wert", "value"},
		{source.Deal, "Value (EUR)", "value"},
		{source.Deal, "Verlustgrund", "lost_reason"},
		{source.Deal, "Closed Lost Reason", "lost_reason"},
		{source.Deal, "Close Date", "closed_at"},
		{source.Deal, "Expected Close Date", "expected_close_date"},
		{source.Deal, "Montant", "value"},
		{source.Deal, "Etapa", "stage"},
		{source.Deal, "Waarde", "value"},
		{source.Interaction, "Type", "type"},
		{source.Interaction, "interactionDate", "interaction_date"},
		{source.Interaction, "Created By", "created_by"},
		{source.Interaction, "Logged By", "created_by"},
		{source.Interaction, "Erfasst von", "created_by"},
		{source.Interaction, "Owner", "created_by"},
		{source.Interaction, "Participant Email", "person_emails"},
		{source.Interaction, "Kontakt-E-Mail", "person_emails"},
		{source.Interaction, "Contact Record ID", "person_ids"},
		{source.Interaction, "Account ID", "company_ids"},
		{source.Interaction, "Deal Record ID", "deal_id"},
		{source.Interaction, "Datum (ms)", "interaction_date"},
		{source.Interaction, "Activity Date", "interaction_date"},
		{source.Interaction, "Betreff", "title"},
		{source.Interaction, "Zusammenfassung", "summary"},
		{source.Interaction, "Body Preview", "summary"},
		{source.Interaction, "Dauer (Min.)", "duration_minutes"},
		{source.Interaction, "Duration (Minutes)", "duration_minutes"},
		{source.Interaction, "Kanal", "channel"},
		{source.Interaction, "Richtung", "direction"},
		{source.Interaction, "Typ", "type"},
		{source.Note, "Note", "body"},
		{source.Note, "Notiz", "body"},
		{source.Note, "Created By", "author"},
		{source.Note, "Author Email", "author"},
		{source.Note, "Autor", "author"},
		{source.Note, "Contact Email", "person_email"},
		{source.Note, "KI-Entwurf", "ai_draft"},
		{source.Note, "Quellgespräch", "source_conversation"},
		{source.Task, "To-do", "title"},
		{source.Task, "Aufgabe", "title"},
		{source.Task, "Fällig am", "due_date"},
		{source.Task, "Erledigt", "done"},
		{source.Task, "Task Owner", "owner"},
		{source.Task, "Tâche", "title"},
		{source.Attachment, "Size", "size_bytes"},
		{source.Attachment, "Size (bytes)", "size_bytes"},
		{source.Attachment, "SHA-256", "sha256"},
		{source.Attachment, "Filename", "file_name"},
		{source.Attachment, "File", "path"},
		{source.Attachment, "File Name", "file_name"},
		{source.Attachment, "Dateiname", "file_name"},
		{source.Attachment, "Pfad", "path"},
		{source.Attachment, "Hochgeladen am", "created_at"},
		{source.Attachment, "Contact Email", "person_email"},
		{source.Owner, "Full Name", "name"},
		{source.Owner, "Owner ID", "id"},
		{source.Owner, "Aktiv", "active"},
		{source.Owner, "Active", "active"},
		{source.Owner, "First Name", "first_name"},
	}
	for _, tc := range tests {
		if got := fieldsOf(tc.kind, tc.header)[0]; got != tc.want {
			t.Errorf("%s %q → %q, want %q", tc.kind, tc.header, got, tc.want)
		}
	}
}

func TestHeaderHints(t *testing.T) {
	tests := []struct {
		kind           source.Kind
		header, sample string
		want           string
	}{
		{source.Interaction, "Datum (ms)", "1707121800000", HintEpochMillis},
		{source.Interaction, "Date", "1707121800000", HintEpochMillis},
		{source.Interaction, "Date (s)", "1707121800", HintEpochSecs},
		{source.Interaction, "Dauer (Min.)", "90", HintMinutes},
		{source.Interaction, "Duration (h)", "1", HintHours},
		{source.Deal, "Value (EUR)", "12", "currency:EUR"},
		{source.Deal, "Wert (€)", "12", "currency:EUR"},
		{source.Deal, "Probability (%)", "45", HintPercent},
		{source.Attachment, "Size (bytes)", "669", HintBytes},
		{source.Deal, "Weight (kg)", "3", "unit:kg"},
		{source.Deal, "Deal Name", "x", ""},
	}
	for _, tc := range tests {
		fc := proposeColumns(tc.kind, "f.csv", []string{tc.header}, [][]string{{tc.sample}}, nil)
		if got := fc.Columns[0].Hint; got != tc.want {
			t.Errorf("%s %q: hint %q, want %q", tc.kind, tc.header, got, tc.want)
		}
	}
}

func TestProposeFromContents(t *testing.T) {
	rows := [][]string{
		{"ada@acme.io", "https://acme.io", "DE", "scribble", "https://www.linkedin.com/in/ada", "acme.io"},
		{"bo@beta.io", "www.beta.io", "FR", "?!", "linkedin.com/in/bo", "beta.io"},
	}
	header := []string{"Kontakt", "Portal", "Ctry", "Misc", "Profile", "Site"}
	got := proposeColumns(source.Company, "c.csv", header, rows, nil)
	want := []string{"custom.Kontakt", "website", "country", "custom.Misc", "linkedin_url", "domain"}
	for i, c := range got.Columns {
		if c.Field != want[i] {
			t.Errorf("company %q → %q (%s), want %q", c.Header, c.Field, c.Why, want[i])
		}
	}
	if got.Columns[1].Confidence <= 0 || got.Columns[1].Confidence >= 0.9 || len(got.Columns[1].Samples) != 2 {
		t.Errorf("content proposal: %+v", got.Columns[1])
	}
	deal := proposeColumns(source.Deal, "d.csv", header, rows, nil)
	if deal.Columns[0].Field != "person_email" || deal.Columns[5].Field != "company_domain" {
		t.Errorf("deal columns: %q, %q", deal.Columns[0].Field, deal.Columns[5].Field)
	}
}

func TestProposeAmbiguous(t *testing.T) {
	tests := []struct {
		header []string
		want   []string
	}{
		{[]string{"id", "Email", "E-mail"}, []string{"id", "email", "custom.E-mail"}},
		{[]string{"id", "First Name", "first_name"}, []string{"id", "custom.First Name", "first_name"}},
		{[]string{"id", "Lead Source", "lead source"}, []string{"id", "custom.Lead Source", "custom.lead source (2)"}},
		{[]string{"ID", "id"}, []string{"custom.ID", "id"}},
		{[]string{"id", "", "", "x"}, []string{"id", "", "", "custom.x"}},
	}
	for _, tc := range tests {
		fc := proposeColumns(source.Person, "p.csv", tc.header, nil, nil)
		var got []string
		for _, c := range fc.Columns {
			got = append(got, c.Field)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.header, diff)
		}
	}
	fc := proposeColumns(source.Person, "p.csv", []string{"Email", "E-mail"}, nil, nil)
	if c := fc.Columns[1]; !strings.Contains(c.Why, "ambiguous") || !slices.Contains(c.Candidates, "email") {
		t.Errorf("the demoted column does not say why: %+v", c)
	}
}

func TestProposeHonoursConfirmed(t *testing.T) {
	confirmed := &FileColumns{File: "p.csv", Kind: source.Person, Columns: []Column{
		{Header: "E-mail", Field: "email"}, {Header: "Notes", Field: Skip}, {Header: "Nick", Field: "first_name"}}}
	fc := proposeColumns(source.Person, "p.csv", []string{"Email", "E-mail", "Notes", "Nick", "Ort"}, nil, confirmed)
	want := []string{"custom.Email", "email", Skip, "first_name", "custom.Ort"}
	for i, c := range fc.Columns {
		if c.Field != want[i] {
			t.Errorf("%q → %q, want %q", c.Header, c.Field, want[i])
		}
	}
}

func TestTemplateHeadersRoundTrip(t *testing.T) {
	for _, kind := range source.Kinds {
		got := fieldsOf(kind, TemplateHeader(kind)...)
		if diff := cmp.Diff(source.Core(kind), got); diff != "" {
			t.Errorf("%s template does not read back as source.Core (-want +got):\n%s", kind, diff)
		}
	}
	if got := TemplateHeader(source.Person)[1]; got != "First Name" {
		t.Errorf("people template uses %q, want Klipy's First Name", got)
	}
}

func TestWriteTemplates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "harvest")
	written, err := WriteTemplates(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(source.HarvestFile)+1 {
		t.Errorf("wrote %d files, want %d", len(written), len(source.HarvestFile)+1)
	}
	if fi, err := os.Stat(filepath.Join(dir, source.FilesDir)); err != nil || !fi.IsDir() {
		t.Errorf("files/ not created: %v", err)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"custom field", "ISO 8601", "separated by ;", "files/", "uploaded"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.txt does not mention %q", want)
		}
	}
	res := readAll(t, dir, Options{})
	if res.Error != "" || len(res.Stats.Files) != len(source.HarvestFile) || len(res.Records) != 0 {
		t.Errorf("reading the blank templates: %+v", res)
	}

	if err := os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id\np1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteTemplates(dir, false); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "people.csv") {
		t.Errorf("second write without force: %v, want ErrExists naming people.csv", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "people.csv")); string(data) != "id\np1\n" {
		t.Error("a refused write changed people.csv")
	}
	if _, err := WriteTemplates(dir, true); err != nil {
		t.Errorf("force: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "people.csv")); !strings.HasPrefix(string(data), "id,First Name") {
		t.Errorf("force did not rewrite people.csv: %q", data)
	}
}
