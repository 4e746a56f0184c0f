package profile

import (
	"maps"
	"slices"
)

// Merge adds what q has seen to p, as if p had been fed q's records after its own, so that
// several Profilers can profile parts of a snapshot on several goroutines. Counts, fill
// rates, classes and layouts add up exactly. Below DistinctCap the distinct values and set
// items are exact too; above it, which values stay tracked depends on the split, and
// examples and anomaly ids are p's first, then q's. Merging in a fixed order over a fixed
// split gives the same profile every time. q must not be used afterwards.
func (p *Profiler) Merge(q *Profiler) {
	for kind, qk := range q.kinds {
		pk := p.kinds[kind]
		if pk == nil {
			p.kinds[kind] = qk
			continue
		}
		pk.records += qk.records
		for name, qf := range qk.fields {
			if pf := pk.fields[name]; pf != nil {
				pf.merge(qf)
			} else {
				pk.fields[name] = qf
			}
		}
	}
}

// merge adds q's counts and samples to f.
func (f *fieldAcc) merge(q *fieldAcc) {
	f.filled += q.filled
	f.maxLen = max(f.maxLen, q.maxLen)
	f.mergeValues(q)
	for _, it := range slices.Sorted(maps.Keys(q.items)) { // sorted: the same values win the cap every time
		if _, ok := f.items[it]; ok || len(f.items) < itemsCap {
			f.items[it] += q.items[it]
		} else {
			f.itemsCapped = true
		}
	}
	f.itemsCapped = f.itemsCapped || q.itemsCapped
	f.listItems += q.listItems
	f.maxItemLen = max(f.maxItemLen, q.maxItemLen)
	for i := range f.listSeps {
		f.listSeps[i] += q.listSeps[i]
	}
	for c := range numClasses {
		f.classCount[c] += q.classCount[c]
		f.classMiss[c].merge(q.classMiss[c])
	}
	for i := range f.layoutCount {
		f.layoutCount[i] += q.layoutCount[i]
		f.layoutMiss[i].merge(q.layoutMiss[i])
	}
	f.locales[0] += q.locales[0]
	f.locales[1] += q.locales[1]
	for _, cur := range slices.Sorted(maps.Keys(q.currencies)) {
		if _, ok := f.currencies[cur]; ok || len(f.currencies) < 20 {
			f.currencies[cur] += q.currencies[cur]
		}
	}
}

// mergeValues adds q's tracked values (in q's first-seen order for the examples).
func (f *fieldAcc) mergeValues(q *fieldAcc) {
	for _, ex := range q.examples {
		if _, seen := f.values[ex]; !seen && len(f.examples) < maxExamples && !slices.Contains(f.examples, ex) {
			f.examples = append(f.examples, ex)
		}
	}
	for _, v := range slices.Sorted(maps.Keys(q.values)) {
		qi := q.values[v]
		if pi := f.values[v]; pi != nil {
			pi.count += qi.count
		} else if len(f.values) < DistinctCap {
			f.values[v] = qi
		} else {
			f.capped = true
		}
	}
	f.capped = f.capped || q.capped
}

func (m *miss) merge(q miss) {
	m.count += q.count
	for i, id := range q.ids {
		if len(m.ids) >= maxAnomalyIDs {
			break
		}
		m.ids = append(m.ids, id)
		m.values = append(m.values, q.values[i])
	}
}
