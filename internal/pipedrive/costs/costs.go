// Package costs holds Pipedrive's token cost per API operation, generated from the
// x-token-cost extension of Pipedrive's own OpenAPI documents (v1 paths under /api/v1, v2
// paths under /api/v2), and matches concrete request paths to their templates.
//
// Regenerate with `go generate ./internal/pipedrive/costs` after the documents change; the
// tests fail when the committed table differs from what the documents say.
package costs

//go:generate go run ./internal/gencosts -spec-dir ../../../../shared/ref/pipedrive -out costs_gen.go

import (
	"sort"
	"strconv"
	"strings"
)

// Entry is one operation of Pipedrive's API with its token cost.
type Entry struct {
	Method      string // upper-case HTTP method
	Path        string // full template, e.g. "/api/v2/persons/{id}"
	Cost        int    // tokens charged per call
	OperationID string // operationId in the OpenAPI document
}

type key struct{ method, path string }

var (
	byKey   = map[key]Entry{}
	byShape = map[key][]tmpl{} // method + segment count → templates
)

type tmpl struct {
	entry Entry
	segs  []string // "" marks a {param} segment
}

func init() {
	for _, e := range table {
		byKey[key{e.Method, e.Path}] = e
		segs := split(e.Path)
		for i, s := range segs {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				segs[i] = ""
			}
		}
		k := key{e.Method, shapeKey(len(segs))}
		byShape[k] = append(byShape[k], tmpl{entry: e, segs: segs})
	}
}

func split(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

func shapeKey(n int) string { return strconv.Itoa(n) }

// All returns a copy of the whole table, sorted by path then method.
func All() []Entry { return append([]Entry(nil), table...) }

// Lookup returns the cost of the operation method + template (e.g. "GET",
// "/api/v2/persons/{id}"); ok is false for an operation the documents do not list.
func Lookup(method, template string) (cost int, ok bool) {
	e, ok := byKey[key{strings.ToUpper(method), template}]
	return e.Cost, ok
}

// Match finds the template of a concrete path ("/api/v2/persons/12" →
// "/api/v2/persons/{id}") and its cost. A query string is ignored. Literal segments win over
// parameters, left to right: "/api/v2/persons/search" matches the search operation, not {id}.
// ok is false when no operation of the documents matches.
func Match(method, path string) (template string, cost int, ok bool) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	segs := split(path)
	cands := byShape[key{strings.ToUpper(method), shapeKey(len(segs))}]
	var best *tmpl
	for i := range cands {
		c := &cands[i]
		if matches(c.segs, segs) && (best == nil || moreLiteral(c.segs, best.segs)) {
			best = c
		}
	}
	if best == nil {
		return "", 0, false
	}
	return best.entry.Path, best.entry.Cost, true
}

func matches(tmpl, segs []string) bool {
	for i, t := range tmpl {
		if segs[i] == "" || (t != "" && t != segs[i]) {
			return false
		}
	}
	return true
}

// moreLiteral reports whether a has a literal segment where b has a parameter at the first
// position they differ in kind.
func moreLiteral(a, b []string) bool {
	for i := range a {
		if (a[i] == "") != (b[i] == "") {
			return a[i] != ""
		}
	}
	return false
}

// Templates returns the sorted distinct templates of the table (useful for reports).
func Templates() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range table {
		if !seen[e.Path] {
			seen[e.Path] = true
			out = append(out, e.Path)
		}
	}
	sort.Strings(out)
	return out
}
