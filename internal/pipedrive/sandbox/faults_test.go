package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// postPerson posts a person and reports the status, or -1 when the connection was dropped.
func postPerson(e *env, name string) int {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v2/persons", strings.NewReader(`{"name":"`+name+`"}`))
	req.Header.Set("x-api-token", testToken)
	req.Header.Set("Content-Type", "application/json")
	hr, err := e.ts.Client().Do(req)
	if err != nil {
		return -1
	}
	hr.Body.Close()
	return hr.StatusCode
}

func TestFaultKinds(t *testing.T) {
	tests := []struct {
		name       string
		faults     Faults
		wantStatus int
		wantStored bool
		statKey    string
	}{
		{"5xx is not applied", Faults{Rate5xx: 1}, 500, false, "500"},
		{"429 is not applied", Faults{Rate429: 1}, 429, false, "429"},
		{"reset is not applied", Faults{ResetRate: 1}, -1, false, "reset"},
		{"lost response is applied", Faults{LostResponseRate: 1}, -1, true, "lost"},
		{"no fault", Faults{}, 200, true, "200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, Options{Faults: tc.faults})
			if got := postPerson(e, "Faulty"); got != tc.wantStatus {
				t.Fatalf("status %d, want %d", got, tc.wantStatus)
			}
			if stored := len(e.srv.Snapshot().Persons) == 1; stored != tc.wantStored {
				t.Errorf("record stored = %v, want %v", stored, tc.wantStored)
			}
			if n := e.srv.Stats().Endpoints["POST /api/v2/persons"].Status[tc.statKey]; n != 1 {
				t.Errorf("stats status %q = %d, want 1", tc.statKey, n)
			}
			e.srv.SetFaults(Faults{})
			if got := postPerson(e, "After"); got != 200 {
				t.Errorf("after clearing faults: %d", got)
			}
		})
	}
}

func TestFaultsDeterministicAndLatency(t *testing.T) {
	run := func() []int {
		e := newEnv(t, Options{Faults: Faults{Rate5xx: 0.3, Rate429: 0.2, Seed: 99}})
		var out []int
		for range 30 {
			out = append(out, postPerson(e, "x"))
		}
		return out
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults (-a +b):\n%s", diff)
	}
	counts := map[int]int{}
	for _, s := range a {
		counts[s]++
	}
	if counts[500] == 0 || counts[429] == 0 || counts[200] == 0 {
		t.Errorf("fault mix %v lacks a kind", counts)
	}
	e := newEnv(t, Options{Faults: Faults{Latency: 30 * time.Millisecond}})
	start := time.Now()
	e.must(200, "GET", "/api/v2/persons", nil)
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("latency fault: request took %v", d)
	}
}

func TestParseFaults(t *testing.T) {
	got, err := ParseFaults("5xx=0.05, 429=0.02,lost=0.01,reset=0.5,latency=20ms,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	want := Faults{Rate5xx: 0.05, Rate429: 0.02, LostResponseRate: 0.01, ResetRate: 0.5, Latency: 20 * time.Millisecond, Seed: 7}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"5xx", "5xx=2", "boom=0.1", "latency=fast", "seed=x"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
}
