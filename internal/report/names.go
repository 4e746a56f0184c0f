package report

import (
	"context"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// namer names snapshot records for the report: "Jane Roe <jane@acme.com> (per_1)", the
// Klipy id kept beside the name for lookup (migrate.NamedRecord); each record is read once.
type namer struct {
	ctx   context.Context
	st    store.Store
	cache map[string]string
}

func newNamer(ctx context.Context, st store.Store) *namer {
	return &namer{ctx: ctx, st: st, cache: map[string]string{}}
}

// name names one record of kind by its Klipy id.
func (n *namer) name(kind source.Kind, id string) string {
	key := string(kind) + "\x00" + id
	if s, ok := n.cache[key]; ok {
		return s
	}
	s := migrate.NamedRecord(n.ctx, n.st, kind, id)
	n.cache[key] = s
	return s
}

// names names each of ids.
func (n *namer) names(kind source.Kind, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = n.name(kind, id)
	}
	return out
}
