package dedupe

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"ferry/internal/source"
)

// clusters reads the records of l's kind a second time (a walk, or only the clustered ones
// when src is a Getter), gathers the fields of the members of every cluster of two or more,
// builds each cluster as soon as its last member has been read (so only open clusters are
// held) and returns the clusters (and, for people, name variants) by survivor id.
func (r *runner) clusters(ctx context.Context, l *linker, m *merger) ([]Cluster, []NameVariant, error) {
	t := l.t
	b := &builder{l: l, m: m, accs: map[int32]*acc{}, links: l.linksByRoot()}
	read := r.walkMembers
	if g, ok := r.src.(Getter); ok && 2*l.clustered() < t.len() {
		progress := r.progress("merge " + string(t.kind))
		read = func(ctx context.Context, l *linker, b *builder) error { return getMembers(ctx, g, l, b, progress) }
	}
	if err := read(ctx, l, b); err != nil {
		return nil, nil, fmt.Errorf("dedupe: second pass: %w", err)
	}
	slices.SortFunc(b.out, func(a, b Cluster) int { return compareStr(a.Survivor, b.Survivor) })
	slices.SortFunc(b.variants, func(a, b NameVariant) int { return compareStr(a.Survivor, b.Survivor) })
	return b.out, b.variants, nil
}

// Getter is implemented by sources that read one record by id, as store.Store does. With it,
// and when fewer than half of a kind's records are clustered, the second pass reads only the
// clustered records instead of walking them all.
type Getter interface {
	GetRecord(ctx context.Context, kind source.Kind, id string) (source.Record, error)
}

// getMembers reads the clustered records by id, in first-pass order: workers fetch chunks of
// them side by side, and the builder takes the chunks in order. progress is told how many
// records the builder has taken.
func getMembers(ctx context.Context, g Getter, l *linker, b *builder, progress func(int)) error {
	t, u := l.t, l.u
	var members []int32
	for i := range int32(t.len()) {
		if u.size[u.find(i)] > 1 {
			members = append(members, i)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *memberChunk, 2*runtime.GOMAXPROCS(0))
	go fetchChunks(ctx, g, t, members, chunks)
	n := 0
	for c := range chunks {
		<-c.done
		if c.err != nil {
			cancel()
			for range chunks { // let the feeder finish
			}
			return c.err
		}
		for j, i := range c.idx {
			b.add(u.find(i), i, c.recs[j])
		}
		n += len(c.idx)
		progress(n)
	}
	return ctx.Err()
}

// memberChunk is a run of clustered records fetched by one worker.
type memberChunk struct {
	idx  []int32
	recs []source.Record
	err  error
	done chan struct{}
}

// fetchChunks hands chunks of members to fetch to runtime.GOMAXPROCS(0) workers and sends
// them, in order, on out (closed at the end).
func fetchChunks(ctx context.Context, g Getter, t *table, members []int32, out chan<- *memberChunk) {
	defer close(out)
	work := make(chan *memberChunk)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range work {
				c.recs, c.err = fetchChunk(ctx, g, t, c.idx)
				close(c.done)
			}
		})
	}
	defer wg.Wait()
	defer close(work)
	for start := 0; start < len(members); start += batchSize {
		c := &memberChunk{idx: members[start:min(start+batchSize, len(members))], done: make(chan struct{})}
		select {
		case out <- c:
		case <-ctx.Done():
			return
		}
		work <- c
	}
}

func fetchChunk(ctx context.Context, g Getter, t *table, idx []int32) ([]source.Record, error) {
	recs := make([]source.Record, len(idx))
	for j, i := range idx {
		rec, err := g.GetRecord(ctx, t.kind, t.ids[i])
		if err != nil {
			return nil, fmt.Errorf("snapshot changed during planning? read %s %s: %w", t.kind, t.ids[i], err)
		}
		recs[j] = rec
	}
	return recs, nil
}

// clustered counts the records that belong to a cluster of two or more.
func (l *linker) clustered() int {
	n := 0
	for i := range int32(l.t.len()) {
		if l.u.size[l.u.find(i)] > 1 {
			n++
		}
	}
	return n
}

// walkMembers walks every record of the kind and gathers the clustered ones.
func (r *runner) walkMembers(ctx context.Context, l *linker, b *builder) error {
	t, u := l.t, l.u
	progress := r.progress("merge " + string(t.kind))
	i := int32(0)
	err := r.src.EachRecord(ctx, t.kind, func(rec source.Record) error {
		if int(i) >= t.len() || t.ids[i] != rec.ID {
			return fmt.Errorf("snapshot changed during planning: record %d of kind %s", i, t.kind)
		}
		if root := u.find(i); u.size[root] > 1 {
			b.add(root, i, rec)
		}
		if i++; i%batchSize == 0 {
			progress(int(i))
		}
		return nil
	})
	if err == nil && (int(i) != t.len() || len(b.accs) > 0) {
		err = fmt.Errorf("snapshot changed during planning: %d records of kind %s, first pass saw %d", i, t.kind, t.len())
	}
	return err
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
