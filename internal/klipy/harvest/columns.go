package harvest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"ferry/internal/source"
)

// Skip is the field of a column the user chose not to migrate; it is listed, never read.
const Skip = "skip"

// sampleRows is how many rows of a file the proposer looks at for its contents.
const sampleRows = 200

// maxSamples is how many distinct sample values a column keeps for the user to see.
const maxSamples = 3

// ColumnMap says, for every harvest file, which column means which source field. ferry
// extract proposes it (ProposeColumns) and keeps it in the workspace as columns.yaml, where
// the user reviews and edits it; an edited entry is honoured on the next extract.
type ColumnMap struct {
	Files []FileColumns
}

// FileColumns is the column map of one harvest file (a CSV, or a sheet of a workbook:
// "book.xlsx#People").
type FileColumns struct {
	File    string
	Kind    source.Kind
	Columns []Column
	Line    int // line in columns.yaml, 0 when proposed
}

// Column is one column of a harvest file.
type Column struct {
	Header string // as written, trimmed; "" for a blank header
	// Field is a canonical field of the file's kind (source.Standard), source.CustomPrefix
	// plus a name for a custom field, Skip, or "" for a blank column.
	Field string
	// Hint says how the values are meant (epoch_ms, minutes, currency:EUR…; see HintEpochMillis).
	Hint string
	// Confidence (0..1), Why and Samples explain the proposal; columns.yaml keeps them as comments.
	Confidence float64
	Why        string
	Samples    []string
	// Candidates lists the other fields this column could mean (an ambiguous column).
	Candidates []string
	Line       int // line in columns.yaml, 0 when proposed
}

// File returns the column map of file, or nil.
func (m *ColumnMap) File(name string) *FileColumns {
	if m == nil {
		return nil
	}
	for i := range m.Files {
		if strings.EqualFold(m.Files[i].File, name) {
			return &m.Files[i]
		}
	}
	return nil
}

// Hints returns, per kind, the hint of every field that has one: what the value parsers of
// the planner read ("interaction_date" → "epoch_ms", "value" → "currency:EUR").
func (m *ColumnMap) Hints() map[source.Kind]map[string]string {
	out := map[source.Kind]map[string]string{}
	if m == nil {
		return out
	}
	for _, f := range m.Files {
		for _, c := range f.Columns {
			if c.Hint == "" || c.Field == "" || c.Field == Skip {
				continue
			}
			if out[f.Kind] == nil {
				out[f.Kind] = map[string]string{}
			}
			out[f.Kind][c.Field] = c.Hint
		}
	}
	return out
}

// Headers returns, per kind, the header each field was read from ("employee_count" → "Size"):
// the planner names a custom field after the user's own column.
func (m *ColumnMap) Headers() map[source.Kind]map[string]string {
	out := map[source.Kind]map[string]string{}
	if m == nil {
		return out
	}
	for _, f := range m.Files {
		for _, c := range f.Columns {
			if c.Header == "" || c.Field == "" || c.Field == Skip {
				continue
			}
			if out[f.Kind] == nil {
				out[f.Kind] = map[string]string{}
			}
			out[f.Kind][c.Field] = c.Header
		}
	}
	return out
}

// Unmapped lists, per file, the columns that are not standard fields: custom-field
// candidates, skipped columns and columns without a header that hold values (someone's
// scribbles beside the data), as "people.csv: Lead Source → custom.Lead Source".
func (m *ColumnMap) Unmapped() []string {
	var out []string
	if m == nil {
		return out
	}
	for _, f := range m.Files {
		for i, c := range f.Columns {
			switch {
			case c.Header == "" && len(c.Samples) > 0:
				out = append(out, fmt.Sprintf("%s: column %d has no header and is not migrated (e.g. %q); give it a header to keep it",
					f.File, i+1, c.Samples[0]))
			case c.Field == Skip:
				out = append(out, fmt.Sprintf("%s: %q is not migrated (field: skip)", f.File, c.Header))
			case strings.HasPrefix(c.Field, source.CustomPrefix):
				out = append(out, fmt.Sprintf("%s: %q → %s (no standard field; a custom field candidate)", f.File, c.Header, c.Field))
			}
		}
	}
	return out
}

// Merge adds to m the file and columns of proposed that m lacks (a new file, a column added
// to an export), keeping m's entries as they are, and reports whether anything was added.
func (m *ColumnMap) Merge(proposed FileColumns) bool { return m.merge(&proposed) }

// merge is Merge.
func (m *ColumnMap) merge(proposed *FileColumns) bool {
	cur := m.File(proposed.File)
	if cur == nil {
		m.Files = append(m.Files, *proposed)
		return true
	}
	added := false
	for i, c := range proposed.Columns {
		if findColumn(cur.Columns, c.Header, occurrence(proposed.Columns, i)) < 0 {
			cur.Columns = append(cur.Columns, c)
			added = true
		}
	}
	return added
}

// occurrence is the 1-based rank of cols[i] among the columns of cols with its header.
func occurrence(cols []Column, i int) int {
	n := 0
	for _, c := range cols[:i+1] {
		if strings.EqualFold(c.Header, cols[i].Header) {
			n++
		}
	}
	return n
}

// findColumn returns the index of the nth column (1-based) headed header in cols, or -1.
func findColumn(cols []Column, header string, nth int) int {
	for i, c := range cols {
		if strings.EqualFold(c.Header, header) {
			if nth--; nth == 0 {
				return i
			}
		}
	}
	return -1
}

// proposeColumns proposes the fields of a file of kind from its header cells and sample
// rows. Entries of confirmed (the user's columns.yaml, may be nil) are taken as they are;
// the other columns get the field their header (any known spelling, case, language, unit)
// or, failing that, their contents (emails, URLs, domains, ISO country codes) suggest. A
// field claimed by two columns goes to the more confident one (then the first); the other
// becomes a custom-field candidate naming the alternative. Nothing is dropped: an unknown
// column is a custom field.
func proposeColumns(kind source.Kind, file string, header []string, rows [][]string, confirmed *FileColumns) FileColumns {
	out := FileColumns{File: file, Kind: kind, Columns: make([]Column, len(header))}
	type cand struct {
		i    int
		conf float64
	}
	claims := map[string][]cand{}
	fixed := make([]bool, len(header))
	for i, cell := range header {
		h := cleanHeader(cell)
		samples := columnSamples(rows, i)
		c := Column{Header: h, Samples: distinct(samples, maxSamples)}
		if confirmed != nil {
			if j := findColumn(confirmed.Columns, h, nth(header[:i+1], h)); j >= 0 {
				k := confirmed.Columns[j]
				c.Field, c.Hint, c.Confidence, c.Line, fixed[i] = k.Field, k.Hint, 1, k.Line, true
				c.Why = "as confirmed in columns.yaml"
				out.Columns[i] = c
				continue
			}
		}
		c = proposeColumn(kind, h, samples, c)
		out.Columns[i] = c
		if c.Field != "" && !strings.HasPrefix(c.Field, source.CustomPrefix) {
			claims[c.Field] = append(claims[c.Field], cand{i, c.Confidence})
		}
	}
	taken := map[string]int{}
	for i, c := range out.Columns {
		if fixed[i] && c.Field != "" && c.Field != Skip {
			taken[strings.ToLower(c.Field)] = i
		}
	}
	fields := make([]string, 0, len(claims))
	for f := range claims {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		cs := claims[f]
		sort.SliceStable(cs, func(a, b int) bool { return cs[a].conf > cs[b].conf })
		for _, c := range cs {
			if j, ok := taken[f]; ok {
				demote(&out.Columns[c.i], f, j, out.Columns[j].Header)
				continue
			}
			taken[f] = c.i
		}
	}
	uniqueCustom(out.Columns, fixed, taken)
	return out
}

// nth is the 1-based occurrence of header h among cells (compared as cleaned, any case).
func nth(cells []string, h string) int {
	n := 0
	for _, c := range cells {
		if strings.EqualFold(cleanHeader(c), h) {
			n++
		}
	}
	return n
}

// proposeColumn proposes the field of one column from its header, then its contents.
func proposeColumn(kind source.Kind, h string, samples []string, c Column) Column {
	if h == "" {
		c.Why = "blank header: its values are not read"
		return c
	}
	m := matchHeader(kind, h)
	class, share := classify(samples)
	c.Hint = m.hint
	if c.Hint == "" {
		c.Hint = contentHint(class)
	}
	if m.field != "" {
		c.Field, c.Confidence, c.Why = m.field, m.conf, m.why
		if want := contentField(kind, class); class != "" && want != "" && want != m.field && !(class == classEmail && namesPeople[m.field]) {
			c.Candidates = []string{want}
			c.Why += fmt.Sprintf("; its values look like %s (%.0f%%), which would be %s", class, share*100, want)
		}
		return c
	}
	if f := contentField(kind, class); f != "" {
		c.Field, c.Confidence = f, round2(0.7*share)
		c.Why = fmt.Sprintf("header not known; %.0f%% of the sampled values are %s", share*100, class)
		return c
	}
	c.Field, c.Confidence = source.CustomPrefix+h, 0
	c.Why = "header not known: kept as a custom field candidate"
	if class != "" {
		c.Why += fmt.Sprintf(" (its values are %s)", class)
	}
	return c
}

// namesPeople are the fields whose values may well be emails: an owner or a linked person.
var namesPeople = map[string]bool{"owner": true, "created_by": true, "author": true, "person_email": true,
	"person_emails": true, "email": true}

// demote turns a column whose field another column took into a custom-field candidate.
func demote(c *Column, field string, winner int, winnerHeader string) {
	c.Candidates = append([]string{field}, c.Candidates...)
	c.Why = fmt.Sprintf("ambiguous: also means %s, which column %d (%q) has; kept as a custom field candidate "+
		"(set field: %s here and change the other column to decide)", field, winner+1, winnerHeader, field)
	c.Field, c.Confidence = source.CustomPrefix+c.Header, 0
}

// uniqueCustom makes custom field names unique ignoring case ("Notes (2)").
func uniqueCustom(cols []Column, fixed []bool, taken map[string]int) {
	for i := range cols {
		f := cols[i].Field
		if fixed[i] || !strings.HasPrefix(f, source.CustomPrefix) {
			continue
		}
		name := f
		for n := 2; ; n++ {
			if _, dup := taken[strings.ToLower(name)]; !dup {
				break
			}
			name = fmt.Sprintf("%s (%d)", f, n)
		}
		cols[i].Field, taken[strings.ToLower(name)] = name, i
	}
}

// columnSamples returns the non-empty values of column i in rows.
func columnSamples(rows [][]string, i int) []string {
	var out []string
	for _, r := range rows {
		if i < len(r) {
			if v := strings.TrimSpace(r[i]); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// distinct returns up to n distinct values of vs, each cut to 40 characters.
func distinct(vs []string, n int) []string {
	var out []string
	for _, v := range vs {
		if r := []rune(v); len(r) > 40 {
			v = string(r[:40]) + "…"
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// round2 rounds to two decimals.
func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// column is one header cell resolved to a field name, as the row reader uses it.
type column struct {
	header string // as written, trimmed
	field  string // canonical name, source.CustomPrefix+name, Skip, or "" for a blank header
}

// label names the column in quarantine items: its header, or its 1-based position.
func (c column) label(i int) string {
	if c.header != "" {
		return c.header
	}
	return fmt.Sprintf("column %d", i+1)
}
