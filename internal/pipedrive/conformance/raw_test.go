package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/pipedrive/spectest"
)

// obj is a JSON object body.
type obj = map[string]any

// row is one line of ENDPOINTS.tsv.
type row struct {
	method, path, status, operationID, purpose string
	cost                                       string
}

func (r row) key() string { return r.method + " " + r.path }

// optional reports rows ferry does not need: those the table itself marks optional, and the
// lead endpoints, which DESIGN.md's object map does not use (Klipy has nothing that becomes a
// Pipedrive lead).
func (r row) optional() bool {
	return strings.Contains(strings.ToLower(r.purpose), "optional") ||
		strings.HasPrefix(r.path, "/api/v1/leads") || r.path == "/api/v1/leadFields"
}

// readEndpoints reads ENDPOINTS.tsv beside the OpenAPI documents and returns the current rows
// ferry's client may use: status "current" and a path under /api/ (the OAuth token exchange
// on oauth.pipedrive.com is not ferry's: it authenticates with an API token).
func readEndpoints(t *testing.T) []row {
	t.Helper()
	dir := spectest.RequireDir(t)
	f, err := os.Open(filepath.Join(dir, "ENDPOINTS.tsv"))
	if errors.Is(err, fs.ErrNotExist) && os.Getenv("CI") != "true" {
		t.Skipf("SKIPPED, NOT PASSED: %v (ENDPOINTS.tsv is expected beside the OpenAPI documents; set %s; fails under CI=true)", err, spectest.EnvSpecDir)
	}
	if err != nil {
		t.Fatalf("endpoints table: %v", err)
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 7 {
			continue
		}
		r := row{method: cols[0], path: cols[1], cost: cols[3], status: cols[4], operationID: cols[5], purpose: cols[6]}
		if r.status == "current" && strings.HasPrefix(r.path, "/api/") {
			rows = append(rows, r)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("endpoints table: %v", err)
	}
	if len(rows) < 50 {
		t.Fatalf("endpoints table: only %d current rows; format changed?", len(rows))
	}
	return rows
}

// raw sends hand-written requests through the Recorder and remembers, per operation
// template, every status the sandbox answered.
type raw struct {
	*env
	t        *testing.T
	ids      map[string]string
	statuses map[string][]int    // "METHOD template" → statuses
	errors   map[string][]string // "METHOD template" → error messages of non-2xx answers
}

// missing is panicked by need and recovered by run: the step depends on an id an earlier step
// did not obtain.
type missing string

func (r *raw) need(name string) string {
	v := r.ids[name]
	if v == "" {
		panic(missing(name))
	}
	return v
}

// send makes one request; ct and body may be empty. It returns the status and the
// envelope's data (nil when the body is not a JSON envelope).
func (r *raw) send(method, target, ct string, body []byte) (int, any) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.srv.URL+target, bytes.NewReader(body))
	if err != nil {
		r.t.Fatalf("build %s %s: %v", method, target, err)
	}
	req.Header.Set("x-api-token", testToken)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := r.httpClient().Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatalf("%s %s: read: %v", method, target, err)
	}
	r.note(req, resp.StatusCode, data)
	var env struct {
		Data any `json:"data"`
	}
	if json.Unmarshal(data, &env) != nil {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, env.Data
}

func (r *raw) note(req *http.Request, status int, body []byte) {
	m, err := r.specs.Find(req.Method, req.URL)
	if err != nil {
		r.t.Errorf("raw request is not a documented operation (test bug): %v", err)
		return
	}
	key := m.Method + " " + m.Template
	r.statuses[key] = append(r.statuses[key], status)
	if status/100 != 2 {
		r.errors[key] = append(r.errors[key], fmt.Sprintf("%d %s", status, clip(body)))
	}
}

// json sends body (nil: no body) as JSON and returns status and data.
func (r *raw) json(method, target string, body any) (int, any) {
	r.t.Helper()
	if body == nil {
		return r.send(method, target, "", nil)
	}
	b, err := json.Marshal(body)
	if err != nil {
		r.t.Fatal(err)
	}
	return r.send(method, target, "application/json", b)
}

// keep stores data[field] (an object's id, field_code, …) under name when present.
func (r *raw) keep(name string, data any, field string) {
	if m, ok := data.(map[string]any); ok {
		if v, ok := m[field]; ok && v != nil {
			r.ids[name] = fmt.Sprint(jsonScalar(v))
		}
	}
}

// jsonScalar renders whole float64 numbers without an exponent.
func jsonScalar(v any) any {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return int64(f)
	}
	return v
}

func clip(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// step is one hand-written request (or a few) of the raw suite.
type step struct {
	name string
	run  func(r *raw)
}

// run executes the steps in order; a step whose dependency is missing is reported, not run.
func (r *raw) run(steps []step) (skipped map[string]string) {
	skipped = map[string]string{}
	for _, s := range steps {
		func() {
			defer func() {
				if v := recover(); v != nil {
					m, ok := v.(missing)
					if !ok {
						panic(v)
					}
					skipped[s.name] = "no " + string(m) + " id from an earlier step"
				}
			}()
			s.run(r)
		}()
	}
	return skipped
}

// TestSandboxServesEndpoints sends a hand-written, spec-valid request for every current row of
// ENDPOINTS.tsv and validates each request and the sandbox's answer against the documents.
// Rows the sandbox answers with 404/405/501 are "not served"; other non-2xx answers are
// "refused". Either fails the test for rows ferry needs and is logged for optional rows.
func TestSandboxServesEndpoints(t *testing.T) {
	rows := readEndpoints(t)
	e := newEnv(t, sandbox.Options{Seed: 7})
	r := &raw{env: e, t: t, ids: map[string]string{}, statuses: map[string][]int{}, errors: map[string][]string{}}
	skipped := r.run(rawSteps())
	for _, name := range sortedKeys(skipped) {
		t.Logf("step %q not run: %s", name, skipped[name])
	}
	checkRows(t, e.specs, rows, r)
	e.rec.Check(t)
}

func checkRows(t *testing.T, specs *spectest.Specs, rows []row, r *raw) {
	t.Helper()
	var notServed, refused, unreached []string
	for _, rw := range rows {
		checkRowAgainstSpec(t, specs, rw)
		sts := r.statuses[rw.key()]
		var problem *[]string
		switch {
		case len(sts) == 0:
			problem = &unreached
		case anyStatus(sts, func(s int) bool { return s/100 == 2 }):
			continue
		case !anyStatus(sts, func(s int) bool { return s != 404 && s != 405 && s != 501 }):
			problem = &notServed
		default:
			problem = &refused
		}
		line := fmt.Sprintf("%s %v %s", rw.key(), sts, strings.Join(r.errors[rw.key()], " | "))
		if rw.optional() {
			line = "(optional) " + line
		}
		*problem = append(*problem, line)
		if !rw.optional() {
			t.Errorf("ENDPOINTS.tsv row %s: no 2xx answer from the sandbox: %s", rw.key(), line)
		}
	}
	t.Logf("%d ENDPOINTS.tsv rows; not served (404/405/501): %d, refused: %d, unreached: %d",
		len(rows), len(notServed), len(refused), len(unreached))
	for _, group := range []struct {
		name  string
		lines []string
	}{{"not served", notServed}, {"refused", refused}, {"unreached", unreached}} {
		for _, l := range group.lines {
			t.Logf("%s: %s", group.name, l)
		}
	}
}

// checkRowAgainstSpec checks that the row names an operation of the documents with the same
// operationId; the table is reference data, so a mismatch is a finding, not a sandbox bug.
func checkRowAgainstSpec(t *testing.T, specs *spectest.Specs, rw row) {
	t.Helper()
	target := strings.NewReplacer("{id}", "1", "{field_code}", "abc").Replace(rw.path)
	m, err := specs.Find(rw.method, &url.URL{Path: target})
	switch {
	case err != nil:
		t.Errorf("ENDPOINTS.tsv row %s is not an operation of the documents: %v", rw.key(), err)
	case m.Template != rw.path || m.OperationID() != rw.operationID:
		t.Logf("ENDPOINTS.tsv row %s (%s) matches %s (%s) in the documents", rw.key(), rw.operationID, m.Template, m.OperationID())
	case !hasJSONSchema(m) && m.Operation.Extensions["x-binary-response"] != true:
		t.Errorf("ENDPOINTS.tsv row %s: the documents give no JSON schema for its 2xx answer, so it cannot be validated", rw.key())
	}
}

// hasJSONSchema reports whether a 2xx response of the operation has an application/json schema.
func hasJSONSchema(m *spectest.Match) bool {
	for code, resp := range m.Operation.Responses.Map() {
		if !strings.HasPrefix(code, "2") || resp.Value == nil {
			continue
		}
		if media := resp.Value.Content.Get("application/json"); media != nil && media.Schema != nil {
			return true
		}
	}
	return false
}

func anyStatus(sts []int, f func(int) bool) bool {
	for _, s := range sts {
		if f(s) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
