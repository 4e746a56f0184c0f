package dedupe

import (
	"context"
	"fmt"
	"slices"

	"ferry/internal/source"
)

// clusters streams the records of l's kind a second time, gathers the fields of the members
// of every cluster of two or more, builds each cluster as soon as its last member has been
// read (so only open clusters are held) and returns the clusters (and, for people, name
// variants) by survivor id.
func (r *runner) clusters(ctx context.Context, l *linker, m *merger) ([]Cluster, []NameVariant, error) {
	t, u := l.t, l.u
	b := &builder{l: l, m: m, accs: map[int32]*acc{}, links: l.linksByRoot()}
	i := int32(0)
	err := r.src.EachRecord(ctx, t.kind, func(rec source.Record) error {
		if int(i) >= t.len() || t.ids[i] != rec.ID {
			return fmt.Errorf("snapshot changed during planning: record %d of kind %s", i, t.kind)
		}
		if root := u.find(i); u.size[root] > 1 {
			b.add(root, i, rec)
		}
		i++
		return nil
	})
	if err == nil && (int(i) != t.len() || len(b.accs) > 0) {
		err = fmt.Errorf("snapshot changed during planning: %d records of kind %s, first pass saw %d", i, t.kind, t.len())
	}
	if err != nil {
		return nil, nil, fmt.Errorf("dedupe: second pass: %w", err)
	}
	slices.SortFunc(b.out, func(a, b Cluster) int { return compareStr(a.Survivor, b.Survivor) })
	slices.SortFunc(b.variants, func(a, b NameVariant) int { return compareStr(a.Survivor, b.Survivor) })
	return b.out, b.variants, nil
}

// builder holds the open clusters of a second pass.
type builder struct {
	l        *linker
	m        *merger
	accs     map[int32]*acc
	links    map[int32][]Link
	out      []Cluster
	variants []NameVariant
}

// add gathers member i of the cluster rooted at root and builds the cluster when complete.
func (b *builder) add(root, i int32, rec source.Record) {
	a := b.accs[root]
	if a == nil {
		a = &acc{}
		b.accs[root] = a
	}
	b.m.add(a, i, rec)
	a.members = append(a.members, i)
	if int32(len(a.members)) < b.l.u.size[root] {
		return
	}
	t := b.l.t
	ms := ranked(t, a.members)
	b.out = append(b.out, Cluster{Kind: t.kind, Survivor: t.ids[ms[0]], Members: idsOf(t, ms),
		Links: b.links[root], Fields: b.m.merge(a, ms[0])})
	if t.kind == source.Person {
		if nv, ok := nameVariant(t, ms, a); ok {
			b.variants = append(b.variants, nv)
		}
	}
	delete(b.accs, root)
	delete(b.links, root)
}

// linksByRoot renders the links that joined each cluster.
func (l *linker) linksByRoot() map[int32][]Link {
	out := map[int32][]Link{}
	for _, lr := range l.links {
		root := l.u.find(lr.a)
		out[root] = append(out[root], l.render(lr))
	}
	return out
}
