package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkSimpleRequests measures GET /api/v2/persons/{id} and POST /api/v2/persons through
// a real HTTP server with keep-alive clients in parallel, limits off. It reports req/s.
func BenchmarkSimpleRequests(b *testing.B) {
	srv := New(Options{Token: testToken, Seed: 1})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	send := func(method, path, body string) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, ts.URL+path, rd)
		req.Header.Set("x-api-token", testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Error(err)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Errorf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	send("POST", "/api/v2/persons", `{"name":"Seed"}`)
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if n.Add(1)%2 == 0 {
				send("GET", "/api/v2/persons/1", "")
			} else {
				send("POST", "/api/v2/persons", `{"name":"Bench","emails":[{"value":"b@x.com"}]}`)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkListPage measures GET /api/v2/persons?limit=500 over 20,000 stored persons
// (in-process, no network), the call ferry's verify and delta make most.
func BenchmarkListPage(b *testing.B) {
	srv := New(Options{Token: testToken, Seed: 1})
	srv.mu.Lock()
	for i := range 20000 {
		srv.st.insert("persons", &record{Attrs: map[string]any{"name": "P" + strconv.Itoa(i), "owner_id": int64(1)}})
	}
	srv.mu.Unlock()
	req := httptest.NewRequest("GET", "/api/v2/persons?limit=500&cursor="+encodeCursor(10000), nil)
	req.Header.Set("x-api-token", testToken)
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}
