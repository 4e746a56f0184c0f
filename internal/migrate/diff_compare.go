package migrate

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"ferry/internal/pipedrive"
)

// compareRecord compares every field of t.want with got, appending a FieldDiff per
// difference, and returns how many fields it compared. A record missing from got is one
// difference. Custom fields are compared one by one ("custom_fields.<code>").
func compareRecord(p phaseSpec, t target, got pipedrive.Entity, diffs *[]FieldDiff) int {
	add := func(field string, want, have any) {
		*diffs = append(*diffs, FieldDiff{Kind: t.kind, SourceID: t.id, Entity: p.entity, DestID: t.dest,
			Field: field, Want: render(want), Got: render(have)})
	}
	if got == nil {
		add("(record)", "present", "missing")
		return 1
	}
	keys := make([]string, 0, len(t.want))
	for k := range t.want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := 0
	for _, k := range keys {
		if custom, ok := t.want[k].(map[string]any); ok && k == "custom_fields" {
			have, _ := got[k].(map[string]any)
			for _, code := range sortedKeys(custom) {
				n++
				if !contains(custom[code], have[code]) {
					add(k+"."+code, custom[code], have[code])
				}
			}
			continue
		}
		n++
		if !contains(t.want[k], got[k]) {
			add(k, t.want[k], got[k])
		}
	}
	return n
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// contains reports whether Pipedrive's value got holds what was sent: maps key by key (got
// may carry more), lists element by element (each sent element in some got element), a
// scalar against an object by its "value" (monetary fields), numbers by value, strings
// trimmed, HTML-unescaped and as instants when both are times.
func contains(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return empty(got)
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !contains(v, g[k]) {
				return false
			}
		}
		return true
	case pipedrive.Entity:
		return contains(map[string]any(w), got)
	case []any:
		return containsAll(w, got)
	}
	if g, ok := got.(map[string]any); ok {
		if v, has := g["value"]; has {
			return contains(want, v)
		}
		if id, has := g["id"]; has {
			return contains(want, id) // links v1 answers as objects
		}
	}
	if wl, ok := asList(want); ok {
		return containsAll(wl, got)
	}
	return sameScalar(want, got)
}

func containsAll(want []any, got any) bool {
	g, ok := asList(got)
	if !ok {
		return len(want) == 0 && empty(got)
	}
	for _, w := range want {
		found := false
		for _, x := range g {
			if contains(w, x) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// asList turns typed slices into []any.
func asList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []int64:
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = x
		}
		return out, true
	case []string:
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = x
		}
		return out, true
	case []map[string]any:
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = x
		}
		return out, true
	}
	return nil, false
}

func sameScalar(want, got any) bool {
	wf, wok := number(want)
	gf, gok := number(got)
	if wok && gok {
		return math.Abs(wf-gf) < 1e-6
	}
	ws, gs := norm(fmt.Sprint(want)), norm(fmt.Sprint(got))
	if got == nil {
		gs = ""
	}
	if ws == gs {
		return true
	}
	wt, werr := parseTime(ws)
	gt, gerr := parseTime(gs)
	return werr == nil && gerr == nil && wt.Equal(gt)
}

func norm(s string) string { return strings.TrimSpace(html.UnescapeString(s)) }

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil
	}
	return 0, false
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}

// render shows a value in a diff table.
func render(v any) string {
	if v == nil {
		return "(empty)"
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
