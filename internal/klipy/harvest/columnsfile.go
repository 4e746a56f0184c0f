package harvest

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"ferry/internal/source"
)

// ColumnsFile is the column map's file name in the workspace.
const ColumnsFile = "columns.yaml"

// columnsVersion is the format version columns.yaml declares.
const columnsVersion = 1

// Problem is one finding of LintColumns, located in columns.yaml.
type Problem struct {
	Line, Col int
	Error     bool // false: a warning
	Message   string
}

// Format spells the problem as "columns.yaml:12:9: error: ...".
func (p Problem) Format(path string) string {
	sev := "warning"
	if p.Error {
		sev = "error"
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", path, p.Line, p.Col, sev, p.Message)
}

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Error })
}

// knownHints are the hints ferry's value parsers understand (others are kept, with a warning).
var knownHints = []string{HintEpochMillis, HintEpochSecs, HintMillis, HintSeconds, HintMinutes, HintHours,
	HintBytes, HintKilobytes, HintMegabytes, HintPercent, HintUTC}

// ParseColumns reads columns.yaml and checks it (see LintColumns). The map holds every entry
// it could read; a caller that honours it should refuse it while HasErrors(problems).
func ParseColumns(data []byte) (*ColumnMap, []Problem) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return &ColumnMap{}, []Problem{{Line: yamlErrLine(err), Col: 1, Error: true, Message: err.Error()}}
	}
	l := &linter{m: &ColumnMap{}}
	if len(root.Content) == 0 {
		return l.m, nil
	}
	l.document(root.Content[0])
	return l.m, l.ps
}

// LintColumns checks columns.yaml: its syntax and keys, each file's kind, each column's field
// (a field of the file's kind, custom.<Name>, skip; with a suggestion for a near miss) and
// hint, and that no two columns of a file mean one field. Every problem names its line.
func LintColumns(data []byte) []Problem {
	_, ps := ParseColumns(data)
	return ps
}

// ReadColumns reads the column map file at path; a missing file gives (nil, nil, nil).
func ReadColumns(path string) (*ColumnMap, []Problem, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read column map: %w", err)
	}
	m, ps := ParseColumns(data)
	return m, ps, nil
}

// LoadHints returns the hints of the column map at path, per kind and field (see
// ColumnMap.Hints): what the planner's value parsers read ("interaction_date" → "epoch_ms").
// A missing file gives an empty map.
func LoadHints(path string) (map[source.Kind]map[string]string, error) {
	m, _, err := ReadColumns(path)
	if err != nil {
		return nil, err
	}
	return m.Hints(), nil
}

// linter walks the YAML tree of columns.yaml.
type linter struct {
	m  *ColumnMap
	ps []Problem
}

func (l *linter) errorf(n *yaml.Node, format string, args ...any) {
	l.ps = append(l.ps, Problem{Line: n.Line, Col: n.Column, Error: true, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) warnf(n *yaml.Node, format string, args ...any) {
	l.ps = append(l.ps, Problem{Line: n.Line, Col: n.Column, Message: fmt.Sprintf(format, args...)})
}

// pairs walks the keys of a mapping node, flagging keys not in allowed.
func (l *linter) pairs(n *yaml.Node, allowed []string, each func(key string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "expected a mapping with keys %s", strings.Join(allowed, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			l.errorf(k, "unknown key %q; allowed: %s", k.Value, strings.Join(allowed, ", "))
			continue
		}
		each(k.Value, v)
	}
}

func (l *linter) document(n *yaml.Node) {
	l.pairs(n, []string{"version", "files"}, func(key string, v *yaml.Node) {
		switch key {
		case "version":
			if v.Value != strconv.Itoa(columnsVersion) {
				l.errorf(v, "version %q: this ferry reads version %d", v.Value, columnsVersion)
			}
		case "files":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				return
			}
			if v.Kind != yaml.SequenceNode {
				l.errorf(v, "files: expected a list of files")
				return
			}
			seen := map[string]int{}
			for _, f := range v.Content {
				fc := l.file(f)
				if first, dup := seen[strings.ToLower(fc.File)]; dup && fc.File != "" {
					l.errorf(f, "file %s is listed twice (first at line %d); merge the two entries", fc.File, first)
					continue
				}
				seen[strings.ToLower(fc.File)] = f.Line
				l.m.Files = append(l.m.Files, fc)
			}
		}
	})
}

func (l *linter) file(n *yaml.Node) FileColumns {
	fc := FileColumns{Line: n.Line}
	var cols *yaml.Node
	var kindNode *yaml.Node
	l.pairs(n, []string{"file", "kind", "columns"}, func(key string, v *yaml.Node) {
		switch key {
		case "file":
			fc.File = v.Value
		case "kind":
			fc.Kind, kindNode = source.Kind(v.Value), v
		case "columns":
			cols = v
		}
	})
	if fc.File == "" {
		l.errorf(n, "a file entry needs file: (the harvest file name)")
	}
	if kindNode == nil || source.Standard[fc.Kind] == nil {
		at := n
		if kindNode != nil {
			at = kindNode
		}
		l.errorf(at, "file %s: kind %q is not one of %s", fc.File, fc.Kind, kindList())
		return fc
	}
	if want, ok := harvestKind(baseFile(fc.File)); ok && want != fc.Kind {
		l.errorf(kindNode, "file %s holds %s records, not %s", fc.File, want, fc.Kind)
	}
	if cols == nil || cols.Kind != yaml.SequenceNode {
		if cols != nil && cols.Tag != "!!null" {
			l.errorf(cols, "columns: expected a list of columns")
		}
		return fc
	}
	fields := map[string]int{}
	for _, c := range cols.Content {
		col := l.column(fc.Kind, c)
		key := strings.ToLower(col.Field)
		if col.Field != "" && col.Field != Skip {
			if first, dup := fields[key]; dup {
				l.errorf(c, "%s: columns at lines %d and %d both mean %s; give one of them another field, custom.<Name> or skip",
					fc.File, first, c.Line, col.Field)
			}
			fields[key] = c.Line
		}
		fc.Columns = append(fc.Columns, col)
	}
	return fc
}

func (l *linter) column(kind source.Kind, n *yaml.Node) Column {
	c := Column{Line: n.Line}
	var fieldNode, hintNode *yaml.Node
	l.pairs(n, []string{"header", "field", "hint"}, func(key string, v *yaml.Node) {
		switch key {
		case "header":
			c.Header = v.Value
		case "field":
			c.Field, fieldNode = strings.TrimSpace(v.Value), v
		case "hint":
			c.Hint, hintNode = strings.TrimSpace(v.Value), v
		}
	})
	if fieldNode == nil {
		fieldNode = n
	}
	switch {
	case c.Field == "" && c.Header != "":
		l.errorf(fieldNode, "column %q has no field; give it a field of %s, custom.<Name> or skip", c.Header, kind)
	case c.Field == "", c.Field == Skip, slices.Contains(source.Standard[kind], c.Field):
	case strings.HasPrefix(c.Field, source.CustomPrefix):
		if strings.TrimSpace(strings.TrimPrefix(c.Field, source.CustomPrefix)) == "" {
			l.errorf(fieldNode, "column %q: custom field without a name; write custom.<Name>", c.Header)
		}
	default:
		msg := fmt.Sprintf("column %q: unknown field %q for %s; allowed: %s, custom.<Name> or skip",
			c.Header, c.Field, kind, strings.Join(source.Standard[kind], ", "))
		if s := suggestField(kind, c.Field); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		l.errorf(fieldNode, "%s", msg)
	}
	if c.Hint != "" && !slices.Contains(knownHints, c.Hint) && !strings.HasPrefix(c.Hint, HintCurrency) &&
		!strings.HasPrefix(c.Hint, HintUnit) {
		l.warnf(hintNode, "column %q: hint %q is not one ferry's value parsers know (%s, currency:XXX, unit:...); it is kept",
			c.Header, c.Hint, strings.Join(knownHints, ", "))
	}
	return c
}

// suggestField finds the field a mistyped name most likely meant: a known spelling of one
// ("E-Mail" → email), else the field within two edits ("nots" → notes).
func suggestField(kind source.Kind, name string) string {
	if s := headerIndex[kind][normalizeHeader(name)]; s != "" {
		return s
	}
	best, bestD := "", 3
	for _, f := range source.Standard[kind] {
		if d := editDistance(strings.ToLower(name), f); d < bestD {
			best, bestD = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// baseFile is the harvest file name of a map entry ("book.xlsx#People" → "book.xlsx").
func baseFile(name string) string {
	base, _, _ := strings.Cut(name, "#")
	return base
}

// kindList names the kinds for a message.
func kindList() string {
	ks := make([]string, len(source.Kinds))
	for i, k := range source.Kinds {
		ks[i] = string(k)
	}
	return strings.Join(ks, ", ")
}

// yamlErrLine finds the line number in a yaml.v3 error ("yaml: line 7: ...").
func yamlErrLine(err error) int {
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		j := i + 5
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(s[i+5 : j]); err == nil {
			return n
		}
	}
	return 1
}

// columnsHeader opens columns.yaml.
const columnsHeader = `# columns.yaml: which column of each harvest file means which source field.
#
# ferry extract proposes it from each header (any common spelling, case or language, units
# such as "(ms)" or "(EUR)") and from the first rows' contents (emails, URLs, domains, ISO
# country codes), and adds new files and columns when they appear. Review it: your edits are
# kept and honoured on the next ferry extract (which re-reads only the harvest folder).
# ferry lint checks this file and ferry confirm locks it.
#
#   field: a field of the file's kind (listed above each file's columns), custom.<Name> to
#          keep the column as a custom field, or skip to leave it out (listed as not migrated)
#   hint:  how its values are meant: epoch_ms, epoch_s, minutes, hours, seconds, bytes,
#          percent, currency:EUR, timezone:UTC (ferry's value parsers read it)
#
# The comment under each column gives ferry's confidence (0-1), why, and sample values.
`

// FormatColumns writes m as columns.yaml, with the proposal's confidence, reason and
// samples as comments.
func FormatColumns(m *ColumnMap) []byte {
	var b bytes.Buffer
	b.WriteString(columnsHeader)
	fmt.Fprintf(&b, "version: %d\nfiles:", columnsVersion)
	if len(m.Files) == 0 {
		b.WriteString(" []")
	}
	b.WriteString("\n")
	for _, f := range m.Files {
		fmt.Fprintf(&b, "  - file: %s\n    kind: %s\n", yamlQuote(f.File), f.Kind)
		fmt.Fprintf(&b, "    # fields of %s: %s\n    columns:", f.Kind, strings.Join(source.Standard[f.Kind], ", "))
		if len(f.Columns) == 0 {
			b.WriteString(" []")
		}
		b.WriteString("\n")
		for _, c := range f.Columns {
			fmt.Fprintf(&b, "      - header: %s\n        field: %s\n", yamlQuote(c.Header), yamlQuote(c.Field))
			if c.Hint != "" {
				fmt.Fprintf(&b, "        hint: %s\n", yamlQuote(c.Hint))
			}
			if note := columnNote(c); note != "" {
				fmt.Fprintf(&b, "        # %s\n", note)
			}
		}
	}
	return b.Bytes()
}

// columnNote is the comment of a column: confidence, why, samples, on one line.
func columnNote(c Column) string {
	var parts []string
	if c.Why != "" {
		parts = append(parts, fmt.Sprintf("%.2f %s", c.Confidence, c.Why))
	}
	if len(c.Samples) > 0 {
		qs := make([]string, len(c.Samples))
		for i, s := range c.Samples {
			qs[i] = strconv.Quote(s)
		}
		parts = append(parts, "e.g. "+strings.Join(qs, ", "))
	} else if c.Header != "" {
		parts = append(parts, "empty in the rows sampled")
	}
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(strings.Join(parts, "; "))
}

// yamlQuote writes s as a YAML scalar: plain when that is unambiguous, else double-quoted.
func yamlQuote(s string) string {
	plain := s != "" && !strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`\\\t\n\r") &&
		strings.TrimSpace(s) == s && !strings.HasPrefix(s, "-") && !strings.HasPrefix(s, "?")
	if plain {
		var v any
		if err := yaml.Unmarshal([]byte(s), &v); err == nil {
			if str, ok := v.(string); ok && str == s {
				return s
			}
		}
	}
	return strconv.Quote(s)
}
