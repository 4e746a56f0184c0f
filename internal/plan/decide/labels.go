package decide

import (
	"sort"
	"strings"
)

// proposeLabels groups tag spellings that normalise alike (case, spaces, dots, hyphens and
// underscores ignored: VIP, "vip ", V.I.P.) into one label named by the most used spelling
// (trimmed), or by the existing Pipedrive label with that normal form.
func proposeLabels(sc *Scan, dest Destination) []LabelGroup {
	existing := map[string]string{}
	for _, l := range dest.Labels {
		existing[normName(l)] = l
	}
	groups := map[string]*LabelGroup{}
	best := map[string]int{}
	for tag, uses := range sc.Tags {
		key := normName(tag)
		if key == "" {
			continue
		}
		g := groups[key]
		if g == nil {
			g = &LabelGroup{}
			groups[key] = g
		}
		g.Variants = append(g.Variants, tag)
		g.Uses += uses
		name := strings.TrimSpace(tag)
		if uses > best[key] || uses == best[key] && name < g.Label {
			g.Label, best[key] = name, uses
		}
	}
	out := make([]LabelGroup, 0, len(groups))
	for key, g := range groups {
		if name, ok := existing[key]; ok {
			g.Label, g.Exists = name, true
		}
		sort.Strings(g.Variants)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// LabelFor returns the label a tag as written maps to, or "" when no group holds it.
func (d Decisions) LabelFor(tag string) string {
	for _, g := range d.Labels {
		for _, v := range g.Variants {
			if v == tag {
				return g.Label
			}
		}
	}
	return ""
}
