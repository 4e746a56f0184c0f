package sandbox

import (
	"sync"
	"testing"
	"time"
)

// TestSearchLag: with SearchLag, a created person is listed and read at once but found by
// itemSearch/field, itemSearch and /persons/search only once the lag has passed.
func TestSearchLag(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, Options{SearchLag: 5 * time.Second, Now: clock})
	id := e.create("/api/v2/persons", map[string]any{"name": "Lagging Lena", "emails": []any{map[string]any{"value": "lena@lag.example", "primary": true}}})
	found := func() map[string]int {
		out := map[string]int{}
		for name, path := range map[string]string{
			"itemSearch":     "/api/v2/itemSearch?term=Lagging&item_types=person",
			"persons/search": "/api/v2/persons/search?term=lena@lag.example&fields=email&exact_match=true",
		} {
			d, _ := e.must(200, "GET", path, nil).(map[string]any)
			items, _ := d["items"].([]any)
			out[name] = len(items)
		}
		listed, _ := e.must(200, "GET", "/api/v2/persons", nil).([]any)
		out["list"] = len(listed)
		return out
	}
	if got := found(); got["itemSearch"] != 0 || got["persons/search"] != 0 || got["list"] != 1 {
		t.Errorf("right after the create: %v, want searches empty and the list showing it", got)
	}
	e.must(200, "GET", "/api/v2/persons/"+itoa(id), nil)
	mu.Lock()
	now = now.Add(5 * time.Second)
	mu.Unlock()
	if got := found(); got["itemSearch"] != 1 || got["persons/search"] != 1 {
		t.Errorf("after the lag: %v, want both searches to find it", got)
	}
}
