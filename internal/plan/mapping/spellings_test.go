package mapping

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// spellings holds, per harvest file, three header spellings of the standard columns (in
// source.Standard order): canonical snake_case, Klipy's template names, and alternates.
var spellings = map[source.Kind][3][]string{
	source.Owner: {nil, {"Owner ID", "Name", "Email"}, {"User ID", "Full Name", "Email Address"}},
	source.Company: {nil,
		{"Company ID", "Company Name", "Domain", "Website", "Industry", "Employees", "City", "Country", "LinkedIn URL", "Owner", "Tags", "Created At"},
		{"Record ID", "Account Name", "Company Domain", "Homepage", "Sector", "Headcount", "Town", "Country", "LinkedIn", "Assignee", "Label", "Date Created"}},
	source.Person: {nil,
		{"ID", "First Name", "Last Name", "Email", "Phone", "Job Title", "Company ID", "Company Name", "LinkedIn URL", "Owner", "Tags", "Notes", "Created At", "Updated At"},
		{"Klipy ID", "Given Name", "Surname", "E-mail", "Mobile", "Position", "Org ID", "Organization", "LinkedIn Profile", "Assigned To", "Labels", "Remarks", "Creation Date", "Last Modified"}},
	source.Deal: {nil,
		{"Deal ID", "Deal Name", "Value", "Currency", "Pipeline", "Stage", "Status", "Person ID", "Company ID", "Owner", "Expected Close Date", "Created At", "Closed At", "Lost Reason", "Tags", "Stage History"},
		{"ID", "Deal Title", "Amount", "Currency", "Pipeline Name", "Deal Stage", "Deal Status", "Contact ID", "Organization ID", "Owner Email", "Expected Close", "Created On", "Closed Date", "Reason Lost", "Tag", "Stage History"}},
	source.Interaction: {nil,
		{"Interaction ID", "Type", "Channel", "Direction", "Title", "Summary", "Interaction Date", "Created At", "Person IDs", "Company IDs", "Deal ID", "Created By", "Duration Minutes"},
		{"Activity ID", "Activity Type", "Source", "Direction", "Subject", "Description", "Occurred At", "Created", "Contacts", "Companies", "Deal", "Creator", "Duration (min)"}},
	source.Note: {nil,
		{"Note ID", "Body", "Person ID", "Company ID", "Deal ID", "Author", "Created At", "AI Draft", "Source Conversation"},
		{"ID", "Content", "Contact ID", "Organization ID", "Deal ID", "Written By", "Created Date", "AI Generated", "Conversation"}},
	source.Task: {nil,
		{"Task ID", "Title", "Due Date", "Done", "Person ID", "Deal ID", "Owner", "Created At"},
		{"To-do ID", "Todo", "Deadline", "Completed", "Contact ID", "Deal", "Assignee", "Created On"}},
	source.Attachment: {nil,
		{"Attachment ID", "File Name", "Path", "Size", "SHA-256", "Content Type", "Person ID", "Company ID", "Deal ID", "Interaction ID", "Source URL", "Created At"},
		{"File ID", "Filename", "File Path", "Bytes", "Checksum", "MIME Type", "Contact ID", "Organization ID", "Deal ID", "Interaction ID", "Download URL", "Creation Date"}},
}

// rows are the data rows of each file, the same whatever the headers.
var rows = map[source.Kind][]string{
	source.Owner: {"usr_aaaaaa1,Jane Smith,jane@northwind.com", "usr_bbbbbb2,John Doe,john@northwind.com"},
	source.Company: {
		"cmp_aaaaaa1,Acme Analytics,acme.com,https://www.acme.com,Software,120,Berlin,DE,https://www.linkedin.com/company/acme,jane@northwind.com,VIP;Partner,2024-01-02T03:04:05Z",
		"cmp_bbbbbb2,Globex GmbH,https://globex.de/about,,Retail,4500,Munich,DE,,John Doe,vip,2023-05-06T07:08:09Z",
		"cmp_cccccc3,Initech,initech.com,http://initech.com,Software,35,Austin,US,,,,2022-11-12T13:14:15Z"},
	source.Person: {
		"per_aaaaaa1,Jane,O'Brien,jane@acme.com,+1 415 555 0134,CEO,cmp_aaaaaa1,Acme Analytics,https://www.linkedin.com/in/jane-obrien,jane@northwind.com,VIP,Met at a fair,2024-02-03T04:05:06Z,2025-01-01T00:00:00Z",
		"per_bbbbbb2,Max,Müller,max@globex.de,+49 30 1234567,CTO,cmp_bbbbbb2,Globex GmbH,,John Doe,Partner;VIP,,2023-06-07T08:09:10Z,2025-02-02T00:00:00Z",
		"per_cccccc3,Ana,Lima,ana@initech.com,(415) 555-0199,CFO,,Initech,,,,,2022-12-13T14:15:16Z,2025-03-03T00:00:00Z"},
	source.Deal: {
		"deal_aaaaaa1,Acme — Renewal,1200.50,USD,Sales,Proposal,open,per_aaaaaa1,cmp_aaaaaa1,jane@northwind.com,2025-06-30,2024-03-04T05:06:07Z,,,VIP,Prospecting@2024-03-04T05:06:07Z",
		"deal_bbbbbb2,Globex — Pilot,800,EUR,Sales,Closed Lost,lost,per_bbbbbb2,cmp_bbbbbb2,John Doe,2024-09-30,2024-04-05T06:07:08Z,2024-05-06T07:08:09Z,Budget,,Prospecting@2024-04-05T06:07:08Z;Closed Lost@2024-05-06T07:08:09Z"},
	source.Interaction: {
		"int_aaaaaa1,EMAIL,email,INBOUND,Re: pricing,<p>Asked for <b>pricing</b></p>,2024-03-05T10:00:00Z,2024-03-05T10:05:00Z,per_aaaaaa1,cmp_aaaaaa1,deal_aaaaaa1,usr_aaaaaa1,",
		"int_bbbbbb2,MEETING,meeting,HYBRID,Kick-off,Talked about the pilot,2024-04-06T09:30:00Z,2024-04-06T11:00:00Z,per_bbbbbb2;per_cccccc3,cmp_bbbbbb2,,usr_bbbbbb2,45",
		"int_cccccc3,DIRECT_MESSAGE,LinkedIn,OUTBOUND,LinkedIn: hello,Said hello,2024-05-07T08:00:00Z,2024-05-07T08:00:00Z,per_cccccc3,,,usr_aaaaaa1,"},
	source.Note: {
		"note_aaaaaa1,Call notes: wants a discount,per_aaaaaa1,cmp_aaaaaa1,deal_aaaaaa1,Jane Smith,2024-03-06T12:00:00Z,false,",
		"note_bbbbbb2,<p>Draft follow-up</p>,per_bbbbbb2,cmp_bbbbbb2,,John Doe,2024-04-07T12:00:00Z,true,int_bbbbbb2"},
	source.Task: {
		"task_aaaaaa1,Send the deck,2024-03-10,true,per_aaaaaa1,deal_aaaaaa1,Jane Smith,2024-03-05T12:00:00Z",
		"task_bbbbbb2,Call back,2024-04-10,false,per_bbbbbb2,,John Doe,2024-04-06T12:00:00Z"},
	source.Attachment: {
		"att_aaaaaa1,deck.txt,files/deck.txt,5,2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824,text/plain,per_aaaaaa1,cmp_aaaaaa1,deal_aaaaaa1,int_aaaaaa1,https://app.klipy.ai/files/att_aaaaaa1,2024-03-05T12:00:00Z"},
}

// writeSpelling writes a harvest folder whose headers use spelling i.
func writeSpelling(t *testing.T, i int) string {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "files", "deck.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for kind, sp := range spellings {
		hs := sp[i]
		if hs == nil {
			hs = source.Standard[kind]
		}
		quoted := make([]string, len(hs))
		for j, h := range hs {
			quoted[j] = `"` + h + `"`
		}
		body := strings.Join(quoted, ",") + "\n" + strings.Join(rows[kind], "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, source.HarvestFile[kind]), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// standardLines describes the proposal for every standard field, one line each.
func standardLines(m Mapping) string {
	var b strings.Builder
	for _, o := range m.Objects {
		fmt.Fprintf(&b, "%s → %s", o.Source, o.Target)
		if o.Skip != "" {
			fmt.Fprintf(&b, " (skipped: %s)", o.Skip)
		}
		b.WriteString("\n")
		for _, f := range o.Fields {
			if !strings.HasPrefix(f.Source, source.CustomPrefix) {
				fmt.Fprintf(&b, "  %s\n", Describe(f))
			}
		}
	}
	return b.String()
}

// TestStandardFieldsAcrossSpellings builds snapshots from harvest files with three header
// spellings and checks that every standard field gets the same, golden, target.
func TestStandardFieldsAcrossSpellings(t *testing.T) {
	var first string
	for i := range 3 {
		recs := readHarvest(t, writeSpelling(t, i))
		for _, kind := range source.Kinds {
			if len(recs[kind]) != len(rows[kind]) {
				t.Fatalf("spelling %d: %d %s records, want %d", i, len(recs[kind]), kind, len(rows[kind]))
			}
			for _, r := range recs[kind] {
				for name := range r.Fields {
					if strings.HasPrefix(name, source.CustomPrefix) {
						t.Errorf("spelling %d: %s header %q not recognised as standard", i, kind, name)
					}
				}
			}
		}
		p, err := profile.Build(context.Background(), recs)
		if err != nil {
			t.Fatal(err)
		}
		m := Propose(p, Schema{}, Options{})
		if ps := Lint(m, p, Schema{}); Errors(ps) {
			t.Errorf("spelling %d: proposal does not lint: %v", i, ps)
		}
		got := standardLines(m)
		if i == 0 {
			first = got
			golden(t, "standard-fields.txt", []byte(got))
			continue
		}
		if d := cmp.Diff(first, got); d != "" {
			t.Errorf("spelling %d maps standard fields differently (-snake_case +this):\n%s", i, d)
		}
	}
}
