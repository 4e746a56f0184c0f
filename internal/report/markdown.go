package report

import (
	"ferry/internal/mdsafe"

	"bytes"
	"fmt"
	"strings"
	"time"
)

// mdRows is how many rows report.md shows of one table; the CSV file has them all.
const mdRows = 50

// section is one heading of report.md.
type section struct {
	title  string
	render func(*bytes.Buffer, *Report, map[string]Table)
}

// sections are the headings of report.md, in order.
var sections = []section{
	{"Summary", mdSummary},
	{"Reconciliation", mdReconciliation},
	{"Verification", mdVerification},
	{"Pipelines and stages", mdPipelines},
	{"Custom field mapping", mdFields},
	{"Schema created in Pipedrive", mdSchema},
	{"Dedupe merges", mdDedupe},
	{"Owner decisions", mdOwners},
	{"Not migrated", mdNotMigrated},
	{"Delta", mdDelta},
	{"Rollback", mdRollback},
}

// Markdown renders the report for people: a table of contents, then one section each.
func Markdown(r *Report) []byte {
	var b bytes.Buffer
	tables := map[string]Table{}
	for _, t := range Tables(r) {
		tables[t.Name] = t
	}
	fmt.Fprintf(&b, "# Migration report: %s\n\n", mdText(r.Workspace))
	fmt.Fprintf(&b, "Generated %s by `ferry report`. The CSV files beside this one hold every table in full "+
		"(cells a spreadsheet would execute start with a `'`); `report.json` holds everything.\n\n",
		r.GeneratedAt.Format(time.RFC3339))
	b.WriteString("## Contents\n\n")
	for i, s := range sections {
		fmt.Fprintf(&b, "%d. [%s](#%s)\n", i+1, s.title, anchor(s.title))
	}
	for _, s := range sections {
		fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		s.render(&b, r, tables)
	}
	return b.Bytes()
}

// anchor is the GitHub-style anchor of a heading made of letters, digits and spaces.
func anchor(title string) string {
	return strings.ReplaceAll(strings.ToLower(title), " ", "-")
}

// mdText makes a value safe inside Markdown text and table cells: one line, pipes escaped,
// no raw HTML, no link or image (mdsafe.Text).
func mdText(s string) string { return mdsafe.Text(s) }

// mdTable writes t as a Markdown table of at most mdRows rows, or empty when t has none.
func mdTable(b *bytes.Buffer, t Table, empty string) {
	if len(t.Rows) == 0 {
		b.WriteString(empty + "\n")
		return
	}
	b.WriteString("| " + strings.Join(t.Header, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(t.Header)) + "|\n")
	for i, row := range t.Rows {
		if i == mdRows {
			fmt.Fprintf(b, "\n…and %d more rows in `%s.csv`.\n", len(t.Rows)-mdRows, t.Name)
			return
		}
		cells := make([]string, len(row))
		for j, c := range row {
			cells[j] = mdText(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
}

func mdSummary(b *bytes.Buffer, r *Report, ts map[string]Table) {
	b.WriteString("Records in the source snapshot, per Klipy kind:\n\n")
	mdTable(b, ts["snapshot"], "The snapshot is empty: run `ferry extract`.")
	b.WriteString("\nRuns:\n\n")
	mdTable(b, ts["runs"], "No run yet.")
	var calls, tokens int64
	days := map[string]bool{}
	for _, s := range r.Spend {
		calls, tokens, days[s.Day] = calls+s.Calls, tokens+s.Tokens, true
	}
	if len(r.Spend) == 0 {
		b.WriteString("\nPipedrive API budget spent: none yet.\n")
		return
	}
	fmt.Fprintf(b, "\nPipedrive API budget spent: %d token(s) in %d call(s) over %d day(s); per endpoint in `api_spend.csv`.\n",
		tokens, calls, len(days))
}

func mdReconciliation(b *bytes.Buffer, r *Report, ts map[string]Table) {
	b.WriteString("Every source row is accounted for: source = created + merged + skipped by rule + " +
		"quarantined + failed + held. A phase the engine has not run yet shows its source count only.\n\n")
	mdTable(b, ts["reconciliation"], "No source records.")
	for _, p := range r.Reconciliation {
		if len(p.Unaccounted) > 0 {
			fmt.Fprintf(b, "\n%s: %d record(s) unaccounted, first: %s\n", p.Kind, p.Open, mdText(strings.Join(p.Unaccounted, ", ")))
		}
	}
}

func mdVerification(b *bytes.Buffer, r *Report, _ map[string]Table) {
	fmt.Fprintf(b, "Status: **%s**. %s\n", r.Verification.Status, mdText(r.Verification.Note))
	res := r.Verification.Result
	if res == nil {
		return
	}
	t := Table{Name: "verification", Header: []string{"kind", "checked", "matched", "mismatched", "missing", "merged"}}
	for _, c := range res.Counts {
		t.Rows = append(t.Rows, []string{string(c.Kind), fmt.Sprint(c.Checked), fmt.Sprint(c.Matched),
			fmt.Sprint(c.Mismatched), fmt.Sprint(c.Missing), fmt.Sprint(c.Merged)})
	}
	b.WriteString("\n")
	mdTable(b, t, "Nothing was checked.")
	if len(res.First) == 0 {
		return
	}
	m := Table{Name: "mismatches", Header: []string{"kind", "record", "Pipedrive id", "field", "want", "got"}}
	for _, x := range res.First {
		m.Rows = append(m.Rows, []string{string(x.Kind), x.SourceID, fmt.Sprint(x.DestID), x.Field, fmt.Sprint(x.Want), fmt.Sprint(x.Got)})
	}
	b.WriteString("\nFirst mismatches:\n\n")
	mdTable(b, m, "")
}

func mdPipelines(b *bytes.Buffer, r *Report, ts map[string]Table) {
	fmt.Fprintf(b, "From: %s. Pipedrive has no won/lost stages: a closing Klipy stage becomes the deal status.\n\n", r.Pipelines.From)
	mdTable(b, ts["pipelines"], "No pipelines.")
}

func mdFields(b *bytes.Buffer, r *Report, _ map[string]Table) {
	custom := Table{Name: "fields", Header: []string{"object", "klipy_field", "pipedrive_field", "type", "field_code"}}
	standard := 0
	for _, f := range r.Fields.Rows {
		if !f.Custom {
			standard++
			continue
		}
		custom.Rows = append(custom.Rows, []string{string(f.Object), f.KlipyField, f.PipedriveField, f.Type, f.FieldCode})
	}
	fmt.Fprintf(b, "From: %s. Custom fields below; %d more Klipy field(s) map onto built-in Pipedrive fields "+
		"(all of them, with transforms, are in `fields.csv`). `field_code` is shown for fields that already "+
		"existed in Pipedrive; fields ferry creates get theirs at the run (see [Schema created in Pipedrive](#%s)).\n\n",
		r.Fields.From, standard, anchor("Schema created in Pipedrive"))
	mdTable(b, custom, "No custom fields.")
}

func mdSchema(b *bytes.Buffer, _ *Report, ts map[string]Table) {
	mdTable(b, ts["schema_created"], "None yet: no run has created pipelines, stages, fields or labels.")
}

func mdDedupe(b *bytes.Buffer, r *Report, ts map[string]Table) {
	fmt.Fprintf(b, "From: %s.\n\n### Duplicate clusters\n\n", r.Dedupe.From)
	mdTable(b, ts["dedupe_clusters"], "No duplicates found.")
	b.WriteString("\n### Name variants to review\n\n")
	mdTable(b, ts["name_variants"], "None.")
	b.WriteString("\n### Merges into existing Pipedrive records\n\n")
	mdTable(b, ts["destination_matches"], "None.")
	b.WriteString("\n### Merges applied by a run\n\n")
	mdTable(b, ts["merges_applied"], "None yet.")
}

func mdOwners(b *bytes.Buffer, r *Report, ts map[string]Table) {
	fmt.Fprintf(b, "From: %s.\n\n", r.Owners.From)
	mdTable(b, ts["owners"], "No owners.")
}

func mdNotMigrated(b *bytes.Buffer, _ *Report, ts map[string]Table) {
	mdTable(b, ts["not_migrated"], "Nothing.")
}

func mdDelta(b *bytes.Buffer, r *Report, _ map[string]Table) {
	mdCutover(b, r.Delta, "no delta has run")
}

func mdRollback(b *bytes.Buffer, r *Report, _ map[string]Table) {
	mdCutover(b, r.Rollback, "no rollback has run")
	if p := r.Rollback.Proof; p != nil {
		verdict := "holds"
		if !p.Holds() {
			verdict = "FAILS"
		}
		fmt.Fprintf(b, "\nProof %s: %d of %d item(s) the rollback touched match the state before the migration (%d mismatch(es), %d not undoable).\n",
			verdict, p.Passed, p.Checked, len(p.Mismatches), p.NotUndoable)
	}
	if r.Rollback.Status != StatusNoneYet {
		fmt.Fprintf(b, "\nJournal entries undone: %d of %d.\n", r.Rollback.Undone, r.Rollback.Writes)
	}
}

func mdCutover(b *bytes.Buffer, c CutoverSummary, none string) {
	if c.Status == StatusNoneYet {
		fmt.Fprintf(b, "None yet: %s.\n", none)
		return
	}
	for _, run := range c.Runs {
		fmt.Fprintf(b, "- run %d (%s) started %s, %d write(s)\n", run.ID, run.Status,
			run.StartedAt.Format(time.RFC3339), run.Writes)
	}
}
