package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// Stats is what GET /_sandbox/stats reports.
type Stats struct {
	API         string         `json:"api"`
	Requests    int64          `json:"requests"`
	RateLimited int64          `json:"rate_limited"`
	ByRoute     map[string]int `json:"by_route"`
	ByStatus    map[string]int `json:"by_status"`
	Records     map[string]int `json:"records"`
	MemoryBytes int            `json:"dataset_memory_bytes"`
}

type counters struct {
	mu          sync.Mutex
	requests    int64
	rateLimited int64
	byRoute     map[string]int
	byStatus    map[string]int
}

func (c *counters) count(route string, status int, limited bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byRoute == nil {
		c.byRoute, c.byStatus = map[string]int{}, map[string]int{}
	}
	c.requests++
	if limited {
		c.rateLimited++
	}
	c.byRoute[route]++
	c.byStatus[strconv.Itoa(status)]++
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	st := Stats{API: s.opts.API, Requests: s.stats.requests, RateLimited: s.stats.rateLimited,
		ByRoute: map[string]int{}, ByStatus: map[string]int{}, Records: map[string]int{},
		MemoryBytes: s.MemoryBytes()}
	for k, v := range s.stats.byRoute {
		st.ByRoute[k] = v
	}
	for k, v := range s.stats.byStatus {
		st.ByStatus[k] = v
	}
	s.stats.mu.Unlock()
	for _, k := range served {
		st.Records[string(k)] = s.Count(k)
	}
	return st
}

func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	b, _ := json.MarshalIndent(s.Stats(), "", "  ")
	s.write(w, http.StatusOK, append(b, '\n'))
}
