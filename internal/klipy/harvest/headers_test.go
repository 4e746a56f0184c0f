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
		{source.Person, "Company ID", "company_id"},
		{source.Person, "companyId", "company_id"},
		{source.Person, "Contact ID", "id"},
		{source.Person, "\ufeffid", "id"},
		{source.Person, "Lead Source", "custom.Lead Source"},
		{source.Person, "  Lead Source ", "custom.Lead Source"},
		{source.Company, "Company Name", "name"},
		{source.Company, "Company", "name"},
		{source.Company, "Company ID", "id"},
		{source.Company, "Domain", "domain"},
		{source.Company, "Website", "website"},
		{source.Company, "Size", "employee_count"},
		{source.Company, "Employees", "employee_count"},
		{source.Deal, "Deal Name", "name"},
		{source.Deal, "Amount", "value"},
		{source.Deal, "Contact ID", "person_id"},
		{source.Interaction, "Type", "type"},
		{source.Interaction, "interactionDate", "interaction_date"},
		{source.Interaction, "Created By", "created_by"},
		{source.Note, "Note", "body"},
		{source.Note, "Created By", "author"},
		{source.Task, "To-do", "title"},
		{source.Attachment, "Size", "size_bytes"},
		{source.Attachment, "SHA-256", "sha256"},
		{source.Attachment, "Filename", "file_name"},
		{source.Owner, "Full Name", "name"},
	}
	for _, tc := range tests {
		cols, err := matchHeaders(tc.kind, []string{tc.header})
		if err != nil {
			t.Errorf("%s %q: %v", tc.kind, tc.header, err)
			continue
		}
		if cols[0].field != tc.want {
			t.Errorf("%s %q → %q, want %q", tc.kind, tc.header, cols[0].field, tc.want)
		}
	}
}

func TestMatchHeadersDuplicates(t *testing.T) {
	tests := []struct {
		header []string
		errHas string
	}{
		{[]string{"id", "Email", "E-mail"}, `column 2 ("Email") and column 3 ("E-mail") both mean email`},
		{[]string{"id", "First Name", "first_name"}, "both mean first_name"},
		{[]string{"id", "Lead Source", "lead source"}, "both mean custom.lead source"},
		{[]string{"ID", "id"}, "both mean id"},
	}
	for _, tc := range tests {
		_, err := matchHeaders(source.Person, tc.header)
		if err == nil || !strings.Contains(err.Error(), tc.errHas) {
			t.Errorf("%q: error %v, want it to contain %q", tc.header, err, tc.errHas)
		}
	}
	if _, err := matchHeaders(source.Person, []string{"id", "", "", "x"}); err != nil {
		t.Errorf("blank headers are not duplicates: %v", err)
	}
}

func TestTemplateHeadersRoundTrip(t *testing.T) {
	for _, kind := range source.Kinds {
		cols, err := matchHeaders(kind, TemplateHeader(kind))
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		var got []string
		for _, c := range cols {
			got = append(got, c.field)
		}
		if diff := cmp.Diff(source.Standard[kind], got); diff != "" {
			t.Errorf("%s template does not read back as source.Standard (-want +got):\n%s", kind, diff)
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
