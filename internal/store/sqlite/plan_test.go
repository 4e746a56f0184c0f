package sqlite

import (
	"strings"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

// TestWalkQueriesUseIndexes guards the page queries of the walks: each must seek an index to the
// last key read, never scan from the start or sort, or a walk over 100k rows turns quadratic.
func TestWalkQueriesUseIndexes(t *testing.T) {
	s := newTemp(t)
	queries := map[string]string{}
	for _, kind := range []source.Kind{"", source.Person} {
		for _, state := range []store.State{"", store.Pending} {
			queries["mappings "+string(kind)+"/"+string(state)] = mappingPageQuery(kind, state)
		}
	}
	for _, q := range []struct{ name, sql string }{
		{"records of a kind", recordPageQuery(source.Person)},
		{"records of all kinds", recordPageQuery("")},
		{"journal of a run", journalPageQuery(1, false)},
		{"journal of all runs reversed", journalPageQuery(0, true)},
	} {
		queries[q.name] = q.sql
	}
	for name, q := range queries {
		rows, err := s.w.Query(`EXPLAIN QUERY PLAN `+q, "person", "pending", "", "", 10)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		t.Logf("%s: %s", name, joined)
		if strings.Contains(joined, "TEMP B-TREE") || !strings.HasPrefix(joined, "SEARCH") || !strings.ContainsAny(joined, "<>") {
			t.Errorf("%s: plan %q; want an index seek without a sort", name, joined)
		}
	}
}
