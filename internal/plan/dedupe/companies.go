package dedupe

// byName joins company records without a domain by normalised name: with each other, and to
// the one domain-bearing cluster carrying the name when there is exactly one. A name carried
// by several clusters with different domains joins nothing and the link is reported refused.
func (l *linker) byName() {
	t := l.t
	names := len(t.in[kName].keys)
	owner := make([]int32, names) // -1 none, -2 several clusters, else a member record
	first := make([]int32, names)
	for i := range owner {
		owner[i], first[i] = -1, -1
	}
	for i := range int32(t.len()) {
		if !t.hasClass(i, kDomain) {
			continue
		}
		for _, k := range t.keysOf(i) {
			if k.class() != kName {
				continue
			}
			switch o := owner[k.id()]; {
			case o == -1:
				owner[k.id()] = i
			case o >= 0 && l.u.find(o) != l.u.find(i):
				owner[k.id()] = -2
			}
		}
	}
	for i := range int32(t.len()) {
		if t.hasClass(i, kDomain) {
			continue
		}
		for _, k := range t.keysOf(i) {
			if k.class() != kName {
				continue
			}
			if f := first[k.id()]; f < 0 {
				first[k.id()] = i
			} else {
				l.join(f, i, k, false)
			}
			switch o := owner[k.id()]; {
			case o >= 0:
				l.join(o, i, k, false)
			case o == -2:
				l.refused = append(l.refused, linkRec{a: i, b: -1, k: k,
					why: "the name matches several organisations with different domains"})
			}
		}
	}
}

// hasClass reports whether record i has a key of class.
func (t *table) hasClass(i int32, class int) bool {
	for _, k := range t.keysOf(i) {
		if k.class() == class {
			return true
		}
	}
	return false
}
