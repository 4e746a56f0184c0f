package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
)

// createOp is one create operation ferry sends, with a body the documents accept.
type createOp struct {
	entity, path string
	base         map[string]any
}

// verdicts are three judges of one create body: the OpenAPI document (request validation),
// the sandbox (its status) and ferry (pipedrive.CreateRefusal, which decides what is sent).
type verdicts struct {
	doc     error
	sandbox int
	ferry   string
}

// TestCreateRulesFollowTheDocuments derives refused create bodies from Pipedrive's OpenAPI
// documents themselves — each required property left out, each typed property sent with
// another JSON type — and checks that the document refuses the body, the sandbox answers
// 400 and ferry's rules (pipedrive.CreateRefusal) refuse to send it; the documents' valid
// bodies pass all three. Neither the sandbox nor ferry is checked against the other.
func TestCreateRulesFollowTheDocuments(t *testing.T) {
	e := newEnv(t, sandbox.Options{Seed: 21})
	org := e.mustCreate(t, "/api/v2/organizations", map[string]any{"name": "Acme"})
	ops := []createOp{
		{"person", "/api/v2/persons", map[string]any{"name": "Ann Lee"}},
		{"organization", "/api/v2/organizations", map[string]any{"name": "Acme"}},
		{"deal", "/api/v2/deals", map[string]any{"title": "Renewal"}},
		{"activity", "/api/v2/activities", map[string]any{"subject": "Call", "type": "call"}},
		{"note", "/api/v1/notes", map[string]any{"content": "hello", "org_id": org}},
	}
	checked := 0
	for _, op := range ops {
		if v := e.judge(t, op, op.base); v.doc != nil || v.sandbox != 200 || v.ferry != "" {
			t.Fatalf("%s base body %v: document %v, sandbox %d, ferry %q; want all to accept", op.entity, op.base, v.doc, v.sandbox, v.ferry)
		}
		for _, c := range e.documentedRefusals(t, op) {
			checked++
			v := e.judge(t, op, c.body)
			if v.doc == nil {
				t.Errorf("%s %s: the document accepts %v; the case is wrong", op.entity, c.name, c.body)
				continue
			}
			if v.sandbox != 400 {
				t.Errorf("%s %s: the document refuses it (%s), the sandbox answers %d", op.entity, c.name, firstLine(v.doc.Error()), v.sandbox)
			}
			if v.ferry == "" && c.ferrySends {
				t.Errorf("%s %s: the document refuses it (%s), ferry would send it", op.entity, c.name, firstLine(v.doc.Error()))
			}
		}
	}
	t.Logf("%d refused bodies derived from the documents", checked)
	if checked < 40 {
		t.Fatalf("only %d cases derived; the schema walk is broken", checked)
	}
}

// docCase is one body derived from the document's schema of an operation.
type docCase struct {
	name       string
	body       map[string]any
	ferrySends bool // the property is one ferry's bodies can carry (pipedrive.CreateRefusal checks it)
}

// documentedRefusals derives the refused bodies of op from its request schema: each required
// property removed, each property of a scalar, array or object type given a value of another
// JSON type.
func (e *env) documentedRefusals(t *testing.T, op createOp) []docCase {
	props, required := e.requestSchema(t, op)
	var out []docCase
	for _, r := range required {
		body := clone(op.base)
		delete(body, r)
		out = append(out, docCase{name: "without required " + r, body: body, ferrySends: true})
	}
	for _, name := range sortedNames(props) {
		wrong, ok := wrongType(props[name])
		if !ok {
			continue
		}
		if _, numeric := wrong.(string); numeric && strings.HasPrefix(op.path, "/api/v1/") {
			continue // v1 converts numeric strings (API-NOTES §0: only v2 does not): not a refusal
		}
		body := clone(op.base)
		body[name] = wrong
		out = append(out, docCase{name: fmt.Sprintf("%s as %T", name, wrong), body: body, ferrySends: pipedrive.ChecksProperty(op.entity, name)})
	}
	return out
}

// wrongType returns a value of another JSON type than the schema's.
func wrongType(s *openapi3.Schema) (any, bool) {
	switch {
	case s.Type.Is("string"):
		return 12, true
	case s.Type.Is("integer"), s.Type.Is("number"):
		return "12", true
	case s.Type.Is("boolean"):
		return 1, true
	case s.Type.Is("array"):
		return "x", true
	case s.Type.Is("object"):
		return "x", true
	}
	return nil, false
}

// requestSchema returns the JSON body properties (through allOf) and required names of op.
func (e *env) requestSchema(t *testing.T, op createOp) (map[string]*openapi3.Schema, []string) {
	t.Helper()
	m, err := e.specs.Find(http.MethodPost, &url.URL{Path: op.path})
	if err != nil {
		t.Fatal(err)
	}
	s := m.Operation.RequestBody.Value.Content.Get("application/json").Schema.Value
	props := map[string]*openapi3.Schema{}
	var required []string
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		for name, p := range s.Properties {
			if p.Value != nil {
				props[name] = p.Value
			}
		}
		required = append(required, s.Required...)
		for _, sub := range s.AllOf {
			walk(sub.Value)
		}
	}
	walk(s)
	sort.Strings(required)
	return props, required
}

// judge asks the document, the sandbox and ferry about one create body.
func (e *env) judge(t *testing.T, op createOp, body map[string]any) verdicts {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+op.path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-token", testToken)
	var v verdicts
	v.doc = e.specs.ValidateRequest(req, raw)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	v.sandbox = resp.StatusCode
	var decoded map[string]any // ferry judges the body as it would be decoded, numbers as float64
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	v.ferry = pipedrive.CreateRefusal(op.entity, decoded, nil)
	return v
}

// mustCreate creates a record and returns its id.
func (e *env) mustCreate(t *testing.T, path string, body map[string]any) int64 {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-token", testToken)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Data.ID == 0 {
		t.Fatalf("create %s: status %d, %v", path, resp.StatusCode, err)
	}
	return out.Data.ID
}

// statedRule is a rule a document states in words rather than in its schema: the quote must
// be in the document, the sandbox must refuse the body that breaks it and accept the one at
// its edge, and ferry must refuse the first and send the second.
type statedRule struct {
	doc, quote string
	op         createOp
	fieldType  string // the custom field type the body writes ("" for none)
	bad, edge  func(code string) map[string]any
}

// TestStatedRulesFollowTheDocuments checks the rules the documents state in descriptions
// (lengths of custom field values by type, status-bound deal fields, a person's notes)
// against the sandbox and ferry: each quote is read from the document at test time.
func TestStatedRulesFollowTheDocuments(t *testing.T) {
	e := newEnv(t, sandbox.Options{Seed: 22})
	custom := func(n int) func(string) map[string]any {
		return func(code string) map[string]any {
			return map[string]any{"name": "Ann", "custom_fields": map[string]any{code: strings.Repeat("é", n)}}
		}
	}
	person := createOp{entity: "person", path: "/api/v2/persons"}
	deal := createOp{entity: "deal", path: "/api/v2/deals"}
	dealWith := func(kv ...any) func(string) map[string]any {
		return func(string) map[string]any {
			b := map[string]any{"title": "D"}
			for i := 0; i < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return b
		}
	}
	rules := []statedRule{
		{"openapi-v2.yaml", "Text (up to 255 characters)", person, "varchar", custom(256), custom(255)},
		{"openapi-v2.yaml", "Autocomplete text (up to 255 characters)", person, "varchar_auto", custom(256), custom(255)},
		{"openapi-v2.yaml", "Phone field (up to 255 numbers and/or characters)", person, "phone", custom(256), custom(255)},
		{"openapi-v2.yaml", "Long text (up to 65k characters)", person, "text", custom(65001), custom(65000)},
		{"openapi-v2.yaml", "maximum 10 000 characters", person, "",
			func(string) map[string]any { return map[string]any{"name": "Ann", "notes": strings.Repeat("x", 10001)} },
			func(string) map[string]any { return map[string]any{"name": "Ann", "notes": strings.Repeat("x", 10000)} }},
		{"openapi-v2.yaml", "Can only be set if deal status is lost.", deal, "",
			dealWith("lost_reason", "price"), dealWith("status", "lost", "lost_reason", "price")},
		{"openapi-v2.yaml", "Can only be set if deal status is won.", deal, "",
			dealWith("status", "lost", "won_time", "2024-01-02T03:04:05Z"), dealWith("status", "won", "won_time", "2024-01-02T03:04:05Z")},
		{"openapi-v2.yaml", "Can only be set if deal status is won or lost.", deal, "",
			dealWith("close_time", "2024-01-02T03:04:05Z"), dealWith("status", "won", "close_time", "2024-01-02T03:04:05Z")},
		{"openapi-v2.yaml", "sending an empty array `[]` is not supported", person, "set",
			func(code string) map[string]any {
				return map[string]any{"name": "Ann", "custom_fields": map[string]any{code: []any{}}}
			},
			func(code string) map[string]any {
				return map[string]any{"name": "Ann", "custom_fields": map[string]any{code: nil}}
			}},
	}
	for _, r := range rules {
		t.Run(r.quote, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(e.specs.Dir, r.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(text, []byte(r.quote)) {
				t.Fatalf("%s does not say %q: the rule is not documented", r.doc, r.quote)
			}
			code := ""
			if r.fieldType != "" {
				code = e.customField(t, r.fieldType)
			}
			types := func(string) (string, string) { return "Rule", r.fieldType }
			bad, edge := r.bad(code), r.edge(code)
			if st := e.status(t, r.op.path, bad); st != 400 {
				t.Errorf("sandbox answers %d to the body breaking it, want 400", st)
			}
			if why := pipedrive.CreateRefusal(r.op.entity, bad, types); why == "" {
				t.Errorf("ferry would send the body breaking it")
			}
			if st := e.status(t, r.op.path, edge); st != 200 {
				t.Errorf("sandbox answers %d to the body at its edge, want 200", st)
			}
			if why := pipedrive.CreateRefusal(r.op.entity, edge, types); why != "" {
				t.Errorf("ferry refuses the body at its edge: %s", why)
			}
		})
	}
}

// customField creates a person custom field of typ (with one option for set and enum) and
// returns its code.
func (e *env) customField(t *testing.T, typ string) string {
	t.Helper()
	body := map[string]any{"field_name": "Rule " + typ, "field_type": typ}
	if typ == "set" || typ == "enum" {
		body["options"] = []any{map[string]any{"label": "A"}}
	}
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v2/personFields", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-token", testToken)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Code string `json:"field_code"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Data.Code == "" {
		t.Fatalf("create a %s person field: status %d, %v", typ, resp.StatusCode, err)
	}
	return out.Data.Code
}

// status posts body to path and returns the sandbox's status.
func (e *env) status(t *testing.T, path string, body map[string]any) int {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-token", testToken)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedNames(m map[string]*openapi3.Schema) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
