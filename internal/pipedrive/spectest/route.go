package spectest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// ErrUnknownOperation reports a request whose method and path no operation of either
// document declares.
var ErrUnknownOperation = errors.New("no operation in the pipedrive openapi documents")

// route is one operation of a document, with its full template split into segments.
type route struct {
	template string   // full template, e.g. "/api/v2/persons/{id}"
	specPath string   // key in the document's paths, e.g. "/persons/{id}"
	segs     []string // literal segments; "{name}" marks a parameter
	method   string
	item     *openapi3.PathItem
	op       *openapi3.Operation
}

// Match is an operation found for a concrete request.
type Match struct {
	Doc        *Document
	Template   string // "/api/v2/persons/{id}"
	Method     string
	Operation  *openapi3.Operation
	PathParams map[string]string
	route      *routers.Route
}

// OperationID returns the operationId, or method and template when the document has none.
func (m *Match) OperationID() string {
	if m.Operation.OperationID != "" {
		return m.Operation.OperationID
	}
	return m.Method + " " + m.Template
}

func buildRoutes(t *openapi3.T, prefix string) []route {
	var out []route
	for _, p := range t.Paths.InMatchingOrder() {
		item := t.Paths.Value(p)
		for method, op := range item.Operations() {
			full := prefix + p
			out = append(out, route{template: full, specPath: p, segs: split(full),
				method: strings.ToUpper(method), item: item, op: op})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].template < out[j].template })
	return out
}

func split(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// Find returns the operation serving method and the (escaped) path of u. Literal segments
// win over parameters, left to right, so "/api/v2/persons/search" is the search operation and
// not persons/{id}. The error wraps ErrUnknownOperation.
func (s *Specs) Find(method string, u *url.URL) (*Match, error) {
	segs := split(u.EscapedPath())
	method = strings.ToUpper(method)
	var best *route
	var bestDoc *Document
	for _, d := range s.docs {
		for i := range d.routes {
			r := &d.routes[i]
			if r.method == method && matches(r.segs, segs) && (best == nil || moreLiteral(r.segs, best.segs)) {
				best, bestDoc = r, d
			}
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: %s %s", ErrUnknownOperation, method, u.Path)
	}
	params, err := pathParams(best.segs, segs)
	if err != nil {
		return nil, err
	}
	return &Match{Doc: bestDoc, Template: best.template, Method: method, Operation: best.op,
		PathParams: params, route: &routers.Route{Spec: bestDoc.T, Path: best.specPath,
			PathItem: best.item, Method: method, Operation: best.op}}, nil
}

func matches(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if !isParam(t) && t != segs[i] {
			return false
		}
	}
	return true
}

// moreLiteral reports whether a has a literal segment where b has a parameter at the first
// position where they differ in kind.
func moreLiteral(a, b []string) bool {
	for i := range a {
		pa, pb := isParam(a[i]), isParam(b[i])
		if pa != pb {
			return !pa
		}
	}
	return false
}

func pathParams(tmpl, segs []string) (map[string]string, error) {
	params := map[string]string{}
	for i, t := range tmpl {
		if !isParam(t) {
			continue
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, fmt.Errorf("path segment %q: %w", segs[i], err)
		}
		params[strings.Trim(t, "{}")] = v
	}
	return params, nil
}

// TokenCost returns the operation's x-token-cost, or -1 when the document gives none.
func (m *Match) TokenCost() int {
	switch v := m.Operation.Extensions["x-token-cost"].(type) {
	case float64:
		return int(v)
	case int:
		return v
	case int64:
		return int(v)
	case json.Number:
		n, err := v.Int64()
		if err == nil {
			return int(n)
		}
	}
	return -1
}

// Templates lists every operation of both documents as "METHOD /api/vN/path".
func (s *Specs) Templates() []string {
	var out []string
	for _, d := range s.docs {
		for _, r := range d.routes {
			out = append(out, r.method+" "+r.template)
		}
	}
	sort.Strings(out)
	return out
}

// isSandboxControl reports a path of the sandbox's own control surface, which is not part of
// Pipedrive's API and is exempt from validation.
func isSandboxControl(path string) bool {
	return strings.HasPrefix(path, "/_sandbox/") || path == "/_sandbox"
}
