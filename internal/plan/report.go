package plan

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"ferry/internal/mdsafe"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
)

// reportListMax is how many entries a list of the plan report shows; the rest are counted
// (the report is read in five minutes, whatever the workspace's size).
const reportListMax = 50

// reportWriter writes Markdown, remembering the first write error.
type reportWriter struct {
	w     io.Writer
	err   error
	names map[string]string // Plan.Names
}

// name names a record by its label and Klipy id when the plan read it (Plan.Names), else
// by its id.
func (r *reportWriter) name(kind source.Kind, id string) string {
	if n, ok := r.names[nameKey(kind, id)]; ok {
		return n
	}
	return id
}

// f writes format with args; every string argument (and every fmt.Stringer) is outside
// text and is escaped with mdsafe.Text, so a Klipy value never becomes Markdown or HTML.
func (r *reportWriter) f(format string, args ...any) {
	if r.err != nil {
		return
	}
	safe := make([]any, len(args))
	for i, a := range args {
		safe[i] = safeArg(a)
	}
	_, r.err = fmt.Fprintf(r.w, format, safe...)
}

// safeArg escapes a string-like argument; numbers and the like pass as they are.
func safeArg(a any) any {
	switch x := a.(type) {
	case string:
		return mdsafe.Text(x)
	case fmt.Stringer:
		return mdsafe.Text(x.String())
	}
	if v := reflect.ValueOf(a); v.IsValid() && v.Kind() == reflect.String {
		return mdsafe.Text(v.String())
	}
	return a
}

// table writes a Markdown table; cells have their pipes escaped. A table without rows is
// written as "None.".
func (r *reportWriter) table(header []string, rows [][]string) {
	if len(rows) == 0 {
		r.raw("None.\n\n")
		return
	}
	esc := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = mdsafe.Text(c)
		}
		return "| " + strings.Join(out, " | ") + " |\n"
	}
	r.raw(esc(header))
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	r.raw(esc(sep))
	for _, row := range rows {
		r.raw(esc(row))
	}
	r.raw("\n")
}

// raw writes s as it is: Markdown ferry built, never outside text.
func (r *reportWriter) raw(s string) {
	if r.err == nil {
		_, r.err = io.WriteString(r.w, s)
	}
}

// writeDecisions writes the decisions sections of the plan report.
func (r *reportWriter) writeDecisions(d decide.Decisions) {
	open := d.Open()
	r.f("## Decisions waiting (%d)\n\n", len(open))
	if len(open) == 0 {
		r.f("None: `ferry confirm` can lock this plan.\n\n")
	}
	for _, o := range open[:min(len(open), reportListMax)] {
		r.f("- %s\n", o)
	}
	if len(open) > reportListMax {
		r.f("- … and %d more (`ferry decide list` shows them all)\n", len(open)-reportListMax)
	}
	if len(open) > 0 {
		r.f("\nResolve them in `decisions.yaml` or with `ferry decide`, then `ferry confirm`.\n\n")
	}
	r.f("## Pipelines and stages\n\n")
	if len(d.Pipelines) == 0 {
		r.raw("None: the snapshot holds no deals.\n\n")
	}
	for _, p := range d.Pipelines {
		r.f("**%s** (%d deals): %s → Pipedrive pipeline **%s**\n\n", p.Klipy, p.Deals, p.Action, p.Target)
		if p.Order != "" {
			r.f("Stages in funnel order, from %s; they are created in this order (reorder them in `decisions.yaml`).\n\n", p.Order)
		}
		if p.ClosedToLast > 0 {
			r.f("%d won or lost deals have no known open stage: they go to the pipeline's last stage%s.\n\n", p.ClosedToLast, lastOpen(p))
		}
		var rows [][]string
		for _, s := range p.Stages {
			target := s.Target
			if s.Status != "" {
				target = "deal status " + s.Status
			}
			rows = append(rows, []string{s.Klipy, fmt.Sprint(s.Deals), target})
		}
		r.table([]string{"Klipy stage", "deals", "Pipedrive"}, rows)
	}
	r.writeLabels(d.Labels)
	r.writeActivityTypes(d.ActivityTypes)
	r.writeOwners(d.Owners)
}

func (r *reportWriter) writeLabels(labels []decide.LabelGroup) {
	r.f("## Tags → labels (%d)\n\n", len(labels))
	var rows [][]string
	for _, l := range labels {
		exists := "new"
		if l.Exists {
			exists = "exists"
		}
		rows = append(rows, []string{l.Label, quoteAll(l.Variants), fmt.Sprint(l.Uses), exists})
	}
	r.table([]string{"label", "Klipy spellings", "uses", "in Pipedrive"}, rows)
}

func (r *reportWriter) writeActivityTypes(types []decide.ActivityType) {
	r.f("## Interaction types → activity types\n\n")
	var rows [][]string
	for _, a := range types {
		note := ""
		if a.Channel {
			note = "channel kept in the description"
		}
		rows = append(rows, []string{a.Klipy, fmt.Sprint(a.Count), a.Target, note})
	}
	r.table([]string{"Klipy", "count", "Pipedrive type", "note"}, rows)
}

func (r *reportWriter) writeOwners(owners []decide.Owner) {
	r.f("## Owners (%d)\n\n", len(owners))
	if len(owners) > reportListMax {
		r.f("The first %d; `decisions.yaml` lists all %d.\n\n", reportListMax, len(owners))
	}
	var rows [][]string
	for _, o := range owners[:min(len(owners), reportListMax)] {
		how := o.Resolution
		if o.MatchedBy != "" {
			how += " by " + o.MatchedBy
		}
		rows = append(rows, []string{o.Klipy, fmt.Sprint(o.Records), how, o.Target})
	}
	r.table([]string{"Klipy owner", "records", "resolution", "Pipedrive user"}, rows)
}

// writeCounts writes the records-per-object table.
func (r *reportWriter) writeCounts(counts map[source.Kind]int, quarantined map[source.Kind]int) {
	r.f("## Records per object\n\n")
	var rows [][]string
	for _, k := range source.Kinds {
		rows = append(rows, []string{string(k), fmt.Sprint(counts[k]), fmt.Sprint(quarantined[k])})
	}
	r.table([]string{"Klipy object", "in snapshot", "quarantined on extract"}, rows)
}

func quoteAll(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// lastOpen names the last stage a pipeline map creates (" (NAME)"), "" when it has none.
func lastOpen(p decide.PipelineMap) string {
	for i := len(p.Stages) - 1; i >= 0; i-- {
		if p.Stages[i].Target != "" {
			return " (" + p.Stages[i].Target + ")"
		}
	}
	return ""
}
