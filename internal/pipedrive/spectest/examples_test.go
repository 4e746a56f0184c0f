package spectest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"testing"
)

var paramSeg = regexp.MustCompile(`\{[^}]+\}`)

// TestDocumentedExamples feeds every JSON response example of both documents back through
// ValidateResponse: the harness must accept what Pipedrive documents as a real response
// (v1 examples included, which is what the v1 date-time deviation is for).
func TestDocumentedExamples(t *testing.T) {
	s := Load(t)
	t.Logf("loaded %s", s.LoadTimes())
	checked, failed := 0, []string{}
	for _, d := range s.docs {
		for _, r := range d.routes {
			for _, code := range sortedKeys(r.op.Responses.Map()) {
				ref := r.op.Responses.Value(code)
				media := ref.Value.Content.Get("application/json")
				if media == nil || media.Example == nil {
					continue
				}
				body, err := json.Marshal(media.Example)
				if err != nil {
					t.Fatal(err)
				}
				status := atoiOr(code, 200)
				req := newReq(t, r.method, paramSeg.ReplaceAllString(r.template, "1"), "", nil)
				checked++
				if err := s.ValidateResponse(req, status, http.Header{"Content-Type": {"application/json"}}, body); err != nil {
					failed = append(failed, r.method+" "+r.template+" "+code+": "+firstLine(err.Error()))
				}
			}
		}
	}
	sort.Strings(failed)
	for _, f := range failed {
		t.Error("documented example rejected: " + f)
	}
	t.Logf("%d documented response examples checked, %d rejected", checked, len(failed))
	if checked < 100 {
		t.Fatalf("only %d examples found; the walk is broken", checked)
	}
}

func atoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	if len(s) > 300 {
		return s[:300]
	}
	return s
}
