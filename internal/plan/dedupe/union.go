package dedupe

import "slices"

// unionFind holds the clusters of one table. For people it also keeps each cluster's set of
// email refs (generic ones included) for the over-merge guard.
type unionFind struct {
	parent []int32
	size   []int32
	emails [][]keyRef // by root; nil when the cluster has no address
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i], u.size[i] = int32(i), 1
	}
	return u
}

func (u *unionFind) find(i int32) int32 {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

// union joins the clusters of roots a and b and returns the new root.
func (u *unionFind) union(a, b int32) int32 {
	if u.size[a] < u.size[b] {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
	if u.emails != nil {
		u.emails[a] = mergeSorted(u.emails[a], u.emails[b])
		u.emails[b] = nil
	}
	return a
}

// conflict reports whether both clusters carry addresses and share none.
func (u *unionFind) conflict(a, b int32) bool {
	if u.emails == nil {
		return false
	}
	ea, eb := u.emails[a], u.emails[b]
	if len(ea) == 0 || len(eb) == 0 {
		return false
	}
	for _, x := range ea {
		if _, ok := slices.BinarySearch(eb, x); ok {
			return false
		}
	}
	return true
}

// mergeSorted returns the sorted union of two sorted sets.
func mergeSorted(a, b []keyRef) []keyRef {
	if len(b) == 0 {
		return a
	}
	out := make([]keyRef, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// linkRec is a link between two records by one key.
type linkRec struct {
	a, b int32
	k    keyRef
	why  string
}

// linker joins records of a table that share keys of one class.
type linker struct {
	t       *table
	u       *unionFind
	links   []linkRec
	refused []linkRec
}

// byClass joins every record to the first record holding the same key of class, in record
// order; with guard, a join between clusters with disjoint address sets is refused.
func (l *linker) byClass(class int, guard bool) {
	first := make([]int32, len(l.t.in[class].keys))
	for i := range first {
		first[i] = -1
	}
	for i := range int32(l.t.len()) {
		for _, k := range l.t.keysOf(i) {
			if k.class() != class {
				continue
			}
			f := first[k.id()]
			if f < 0 {
				first[k.id()] = i
				continue
			}
			l.join(f, i, k, guard)
		}
	}
}

// join links records a and b by key k unless they are already together or the guard refuses.
func (l *linker) join(a, b int32, k keyRef, guard bool) bool {
	ra, rb := l.u.find(a), l.u.find(b)
	if ra == rb {
		return true
	}
	if guard && l.u.conflict(ra, rb) {
		l.refused = append(l.refused, linkRec{a: a, b: b, k: k,
			why: "both sides have email addresses and none is shared"})
		return false
	}
	l.u.union(ra, rb)
	l.links = append(l.links, linkRec{a: a, b: b, k: k})
	return true
}

// seedEmails fills each cluster's address set from its members' email keys.
func (l *linker) seedEmails() {
	l.u.emails = make([][]keyRef, l.t.len())
	for i := range int32(l.t.len()) {
		var mine []keyRef
		for _, k := range l.t.keysOf(i) {
			if c := k.class(); c == kEmail || c == kGeneric {
				mine = append(mine, k)
			}
		}
		if len(mine) == 0 {
			continue
		}
		slices.Sort(mine)
		r := l.u.find(i)
		l.u.emails[r] = mergeSorted(l.u.emails[r], slices.Compact(mine))
	}
}
