package profile

import (
	"sort"
	"strings"

	"ferry/internal/source"
)

// Profiler accumulates records one at a time; Profile summarises what it has seen. The zero
// value is not usable: call NewProfiler. A Profiler is not safe for concurrent use.
type Profiler struct {
	kinds map[source.Kind]*kindAcc
}

type kindAcc struct {
	records int
	fields  map[string]*fieldAcc
}

// valueInfo is what a field remembers about one of its tracked distinct values.
type valueInfo struct {
	count   int
	classes [numClasses]bool
	layouts uint32 // bit i: parses as DateLayouts[i]
}

// miss samples the values that do not match a class or layout, with their record ids.
type miss struct {
	count  int
	ids    []string
	values []string
}

func (m *miss) add(id, v string) {
	m.count++
	if len(m.ids) < maxAnomalyIDs {
		m.ids = append(m.ids, id)
		m.values = append(m.values, shorten(v, 80))
	}
}

// itemsCap is how many distinct set items a field counts: one more than a set may have
// (maxEnumValues), so a field of unique values stops paying for item counts early.
const itemsCap = maxEnumValues + 1

// fieldAcc accumulates one field.
type fieldAcc struct {
	filled      int
	values      map[string]*valueInfo
	capped      bool
	items       map[string]int     // up to itemsCap set items
	itemsCapped bool               // more items than itemsCap: not a set; items stop counting
	listItems   int                // total set items over all values
	maxItemLen  int                // the longest set item
	listSeps    [len(ListSeps)]int // values holding each of ListSeps first
	classCount  [numClasses]int
	classMiss   [numClasses]miss
	layoutCount []int
	layoutMiss  []miss
	locales     [2]int // votes: unambiguous US, EU
	currencies  map[string]int
	maxLen      int
	examples    []string
}

// NewProfiler returns an empty Profiler.
func NewProfiler() *Profiler { return &Profiler{kinds: map[source.Kind]*kindAcc{}} }

// Add accounts for one record.
func (p *Profiler) Add(r source.Record) {
	k := p.kinds[r.Kind]
	if k == nil {
		k = &kindAcc{fields: map[string]*fieldAcc{}}
		for _, name := range source.Core(r.Kind) {
			k.fields[name] = newFieldAcc()
		}
		p.kinds[r.Kind] = k
	}
	k.records++
	for name, raw := range r.Fields {
		f := k.fields[name]
		if f == nil {
			f = newFieldAcc()
			k.fields[name] = f
		}
		if v := strings.TrimSpace(raw); v != "" {
			f.add(r.ID, v)
		}
	}
}

func newFieldAcc() *fieldAcc {
	return &fieldAcc{values: map[string]*valueInfo{}, items: map[string]int{},
		layoutCount: make([]int, len(DateLayouts)), layoutMiss: make([]miss, len(DateLayouts)),
		currencies: map[string]int{}}
}

// add accounts for one non-empty value of record id.
func (f *fieldAcc) add(id, v string) {
	f.filled++
	f.maxLen = max(f.maxLen, len(v))
	info := f.values[v]
	if info == nil {
		info = &valueInfo{classes: classify(v)}
		dateLayoutsOf(v, func(i int) { info.layouts |= 1 << i })
		if len(f.values) < DistinctCap {
			f.values[v] = info
			if len(f.examples) < maxExamples && len(v) <= 200 {
				f.examples = append(f.examples, v)
			}
		} else {
			f.capped = true
		}
	}
	info.count++
	f.addClasses(id, v, info)
	if !f.itemsCapped && len(v) <= 200 && !info.classes[cMultiline] {
		f.addItems(v)
	}
}

// addClasses counts the classes and layouts of one value and samples the misses.
func (f *fieldAcc) addClasses(id, v string, info *valueInfo) {
	for c := range numClasses {
		if info.classes[c] {
			f.classCount[c]++
		} else {
			f.classMiss[c].add(id, v)
		}
	}
	for i := range DateLayouts {
		if info.layouts&(1<<i) != 0 {
			f.layoutCount[i]++
		} else {
			f.layoutMiss[i].add(id, v)
		}
	}
	if info.classes[cNumber] || info.classes[cMoney] || info.classes[cPercent] {
		f.voteLocale(strings.TrimSpace(strings.TrimSuffix(v, "%")))
	}
	if info.classes[cMoney] {
		if _, cur, ok := ParseMoney(v, ""); ok && len(f.currencies) < 20 {
			f.currencies[cur]++
		}
	}
}

// voteLocale counts values whose separators say US or EU unambiguously.
func (f *fieldAcc) voteLocale(v string) {
	num, _ := splitCurrency(v)
	if !strings.ContainsAny(num, ".,") {
		return
	}
	if NumberLocale(num) == LocaleEU {
		f.locales[1]++
		return
	}
	if i := strings.LastIndexAny(num, ".,"); num[i] == '.' || len(num)-i-1 != 3 {
		f.locales[0]++
	}
}

// addItems counts the items of a value, split at the first of ListSeps it holds.
func (f *fieldAcc) addItems(v string) {
	sep := listSep(v)
	if sep == 0 {
		f.addItem(v)
		return
	}
	f.listSeps[strings.IndexByte(ListSeps, sep)]++
	for _, it := range SplitList(v, string(sep)) {
		f.addItem(it)
	}
}

// addItem counts one set item.
func (f *fieldAcc) addItem(it string) {
	f.listItems++
	f.maxItemLen = max(f.maxItemLen, len(it))
	if _, ok := f.items[it]; ok || len(f.items) < itemsCap {
		f.items[it]++
	} else {
		f.itemsCapped = true
	}
}

// Profile summarises what the Profiler has seen.
func (p *Profiler) Profile() Profile {
	var out Profile
	for _, kind := range source.Kinds {
		k := p.kinds[kind]
		if k == nil {
			continue
		}
		o := Object{Kind: kind, Records: k.records}
		for _, name := range fieldOrder(kind, k.fields) {
			o.Fields = append(o.Fields, k.fields[name].summary(name, k.records))
		}
		out.Objects = append(out.Objects, o)
	}
	return out
}

// fieldOrder lists standard fields in source.Standard order, then the others by name.
func fieldOrder(kind source.Kind, fields map[string]*fieldAcc) []string {
	std := map[string]bool{}
	var out, rest []string
	for _, n := range source.Standard[kind] {
		if _, ok := fields[n]; ok {
			std[n] = true
			out = append(out, n)
		}
	}
	for n := range fields {
		if !std[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// sortedCounts returns the entries of m by count (descending), then value.
func sortedCounts(m map[string]int) []ValueCount {
	out := make([]ValueCount, 0, len(m))
	for v, n := range m {
		out = append(out, ValueCount{v, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}
