package profile

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown renders the profile for people: one table per kind with each field's fill
// rate, distinct count, detected type and its details, and the anomalies with sample ids.
//
// Error contract: it returns the writer's first error, wrapped.
func WriteMarkdown(w io.Writer, p Profile) error {
	var b strings.Builder
	b.WriteString("# Data profile\n")
	for _, o := range p.Objects {
		fmt.Fprintf(&b, "\n## %s (%d records)\n\n", o.Kind, o.Records)
		b.WriteString("| field | filled | distinct | type | details | anomalies |\n")
		b.WriteString("|---|---:|---:|---|---|---|\n")
		for _, f := range o.Fields {
			fmt.Fprintf(&b, "| %s | %.0f%% | %s | %s | %s | %s |\n", cell(f.Name), 100*f.FillRate,
				f.DistinctString(), f.Type, cell(details(f)), cell(anomalies(f)))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}

// details describes a field's type: its layout, locale, currency or values.
func details(f Field) string {
	var parts []string
	if f.Layout != "" {
		parts = append(parts, "layout "+f.Layout)
	}
	if f.Locale != "" {
		parts = append(parts, "locale "+f.Locale)
	}
	if f.Currency != "" {
		parts = append(parts, f.Currency)
	}
	if len(f.Values) > 0 {
		vs := make([]string, 0, min(len(f.Values), 8))
		for _, v := range f.Values[:min(len(f.Values), 8)] {
			vs = append(vs, fmt.Sprintf("%s (%d)", v.Value, v.Count))
		}
		if len(f.Values) > 8 {
			vs = append(vs, "…")
		}
		parts = append(parts, strings.Join(vs, ", "))
	} else if len(f.Examples) > 0 {
		parts = append(parts, "e.g. "+shorten(f.Examples[0], 40))
	}
	return strings.Join(parts, "; ")
}

// anomalies lists each anomaly with its first rows as id "value".
func anomalies(f Field) string {
	var out []string
	for _, a := range f.Anomalies {
		rows := make([]string, len(a.IDs))
		for i, id := range a.IDs {
			rows[i] = id
			if i < len(a.Values) {
				rows[i] += fmt.Sprintf(" %q", a.Values[i])
			}
		}
		out = append(out, fmt.Sprintf("%s (%s)", a.Message, strings.Join(rows, ", ")))
	}
	return strings.Join(out, "; ")
}

// cell escapes a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
