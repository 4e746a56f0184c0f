package migrate

import (
	"context"
	"fmt"
	"sync"

	"ferry/internal/source"
)

// nameIndex maps folded source names of one kind to source ids ("" when ambiguous).
type nameIndex struct {
	once sync.Once
	ids  map[string]string
	err  error
}

// namesOf returns the name index of kind, built once per engine from the snapshot.
func (e *Engine) namesOf(ctx context.Context, kind source.Kind) (map[string]string, error) {
	e.namesMu.Lock()
	ix := e.names[kind]
	if ix == nil {
		ix = &nameIndex{}
		e.names[kind] = ix
	}
	e.namesMu.Unlock()
	ix.once.Do(func() {
		ix.ids = map[string]string{}
		ix.err = e.store.EachRecord(ctx, kind, func(r source.Record) error {
			n := fold(r.Fields["name"])
			if kind == source.Person {
				n = fold(r.Fields["first_name"] + " " + r.Fields["last_name"])
			}
			if n == "" {
				return nil
			}
			if prev, seen := ix.ids[n]; seen && e.merges[kind].root(prev) != e.merges[kind].root(r.ID) {
				ix.ids[n] = ""
				return nil
			}
			if _, seen := ix.ids[n]; !seen {
				ix.ids[n] = r.ID
			}
			return nil
		})
	})
	return ix.ids, ix.err
}

// LinkByName resolves a parent by its source name through the id map.
func (r *resolver) LinkByName(kind source.Kind, name string) (int64, error) {
	ids, err := r.e.namesOf(r.ctx, kind)
	if err != nil {
		return 0, err
	}
	id, ok := ids[fold(name)]
	switch {
	case !ok:
		return 0, fmt.Errorf("no %s named %q in the snapshot", kind, name)
	case id == "":
		return 0, fmt.Errorf("several %s records are named %q", kind, name)
	}
	return r.LinkID(kind, id)
}

// ActivityType maps an interaction type through the activity type decisions.
func (r *resolver) ActivityType(typ, channel string) (string, bool) {
	t, _ := r.e.decisions.ActivityTypeFor(typ, channel)
	return t, t != ""
}
