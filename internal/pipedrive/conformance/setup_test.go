// Package conformance runs ferry's Pipedrive client against ferry's Pipedrive sandbox and
// validates every exchange against Pipedrive's own OpenAPI documents (package spectest). It
// also sends hand-written requests to the sandbox for every endpoint of ENDPOINTS.tsv, so the
// sandbox is checked independently of the client's beliefs.
//
// It is a test-only package; run it with `go test ./internal/pipedrive/conformance/`.
package conformance

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"

	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/pipedrive/spectest"
)

const testToken = "conformance-token"

// env is one sandbox behind an httptest.Server, with a Recorder validating what goes through.
type env struct {
	specs *spectest.Specs
	sb    *sandbox.Server
	srv   *httptest.Server
	rec   *spectest.Recorder
}

// newEnv starts a sandbox with opts (the token is always testToken) and a Recorder around the
// test server's transport. The server is closed at the end of the test.
func newEnv(t *testing.T, opts sandbox.Options) *env {
	t.Helper()
	specs := spectest.Load(t)
	opts.Token = testToken
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	e := &env{specs: specs, sb: sb, srv: srv, rec: spectest.NewRecorder(specs, srv.Client().Transport)}
	tally.add(e.rec)
	return e
}

// tally collects every Recorder of the package for the total printed by TestMain.
var tally recorders

type recorders struct {
	mu   sync.Mutex
	list []*spectest.Recorder
}

func (r *recorders) add(rec *spectest.Recorder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec)
}

// remove drops rec from the tally (for tests that record invalid exchanges on purpose).
func (r *recorders) remove(rec *spectest.Recorder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = slices.DeleteFunc(r.list, func(x *spectest.Recorder) bool { return x == rec })
}

func (r *recorders) counts() (total, invalid int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rec := range r.list {
		for _, ex := range rec.Exchanges() {
			if ex.Control {
				continue
			}
			total++
			if ex.Err != nil {
				invalid++
			}
		}
	}
	return total, invalid
}

// TestMain prints how many exchanges the whole package validated.
func TestMain(m *testing.M) {
	code := m.Run()
	if total, invalid := tally.counts(); total > 0 {
		fmt.Printf("conformance: validated %d exchanges against the Pipedrive OpenAPI documents in total (%d invalid)\n", total, invalid)
	}
	os.Exit(code)
}

// httpClient returns an *http.Client whose transport is the Recorder.
func (e *env) httpClient() *http.Client { return &http.Client{Transport: e.rec} }
