package migrate

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"ferry/internal/source"
)

// SampleRecord names one record of a sample and the classes it was chosen to cover.
type SampleRecord struct {
	Kind    source.Kind `json:"kind"`
	ID      string      `json:"id"`
	Covers  []string    `json:"covers,omitempty"`
	Closure bool        `json:"closure,omitempty"` // added as a parent or survivor, not chosen
}

// Sample is a representative slice of the snapshot: Chosen records cover every class
// (object kind, activity type, merged and new, with attachments, with custom fields) that
// the snapshot has; Only adds the parents and merge survivors they need.
type Sample struct {
	Only      Selection
	Records   []SampleRecord
	Classes   []string // every class present in the snapshot
	Uncovered []string // classes N was too small to reach
}

// ChooseSample picks n records greedily to cover the classes of the engine's kinds (the
// record covering most classes not yet covered first, ties by kind order and id) and fills
// any room left with further records, kind by kind; then it adds their parents and the
// survivors of merged ones so every link resolves. It reads the store only.
func (e *Engine) ChooseSample(ctx context.Context, n int) (Sample, error) {
	recs, err := e.sampleCandidates(ctx)
	if err != nil {
		return Sample{}, err
	}
	covered := map[string]bool{}
	all := map[string]bool{}
	for _, c := range recs {
		for _, cl := range c.classes {
			all[cl] = true
		}
	}
	s := Sample{Only: Selection{}}
	ix := indexRecords(recs)
	for chosen := 0; chosen < n; chosen++ {
		best := pickBest(recs, covered, s.Only)
		if best == nil {
			break
		}
		s.add(e, ix, best, covered)
	}
	for cl := range all {
		s.Classes = append(s.Classes, cl)
		if !covered[cl] {
			s.Uncovered = append(s.Uncovered, cl)
		}
	}
	sort.Strings(s.Classes)
	sort.Strings(s.Uncovered)
	return s, nil
}

// candidate is one record with the classes it belongs to.
type candidate struct {
	rec     source.Record
	classes []string
	order   int
}

// sampleCandidates reads every record of the engine's kinds with its classes.
func (e *Engine) sampleCandidates(ctx context.Context) ([]*candidate, error) {
	var out []*candidate
	withAttachment := map[string]bool{}
	for _, p := range phases {
		if !e.runsKind(p.kind) {
			continue
		}
		err := e.store.EachRecord(ctx, p.kind, func(r source.Record) error {
			if r.Kind == source.Attachment {
				for _, ref := range parentRefs(r) {
					withAttachment[string(ref.kind)+"\x00"+ref.id] = true
				}
			}
			out = append(out, &candidate{rec: r, order: len(out)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("migrate: sample: read %s: %w", p.kind, err)
		}
	}
	for _, c := range out {
		c.classes = e.classesOf(c.rec, withAttachment[string(c.rec.Kind)+"\x00"+c.rec.ID])
	}
	return out, nil
}

// classesOf lists what a record represents for a sample.
func (e *Engine) classesOf(r source.Record, hasAttachment bool) []string {
	k := string(r.Kind)
	out := []string{"kind:" + k}
	if r.Kind == source.Interaction {
		typ := strings.ToUpper(strings.TrimSpace(r.Fields["type"]))
		if strings.EqualFold(typ, source.TypeDirectMessage) {
			typ += "/" + strings.ToLower(strings.TrimSpace(r.Fields["channel"]))
		}
		out = append(out, "activity type:"+typ)
	}
	merges := e.merges[r.Kind]
	_, into := merges.intoOf(r.ID)
	switch {
	case merges.survivorOf(r.ID) != "":
		out = append(out, "merged:"+k)
	case into:
		out = append(out, "merged into existing:"+k)
	case r.Kind == source.Person || r.Kind == source.Company:
		out = append(out, "new:"+k)
	}
	if r.Kind == source.Attachment && e.uploadable(r.Fields) {
		out = append(out, "file to upload")
	}
	if hasAttachment {
		out = append(out, "with attachments:"+k)
	}
	for f, v := range r.Fields {
		if strings.HasPrefix(f, source.CustomPrefix) && strings.TrimSpace(v) != "" {
			out = append(out, "with custom fields:"+k)
			break
		}
	}
	return out
}

// pickBest returns the unselected candidate covering most uncovered classes; once every
// class is covered, the first unselected record of the kind with the fewest selected.
func pickBest(recs []*candidate, covered map[string]bool, only Selection) *candidate {
	var best *candidate
	bestGain := 0
	for _, c := range recs {
		if only.Has(c.rec.Kind, c.rec.ID) {
			continue
		}
		gain := 0
		for _, cl := range c.classes {
			if !covered[cl] {
				gain++
			}
		}
		if gain > bestGain {
			best, bestGain = c, gain
		}
	}
	if best != nil {
		return best
	}
	for _, c := range recs {
		if !only.Has(c.rec.Kind, c.rec.ID) && (best == nil || len(only[c.rec.Kind]) < len(only[best.rec.Kind])) {
			best = c
		}
	}
	return best
}

// uploadable reports whether an attachment passes the type and size rules of fileAttempt
// (the file itself is read only when it is sent).
func (e *Engine) uploadable(f map[string]string) bool {
	if blockedTypes[strings.ToLower(f["content_type"])] || strings.HasSuffix(strings.ToLower(f["file_name"]), ".exe") {
		return false
	}
	n, err := strconv.ParseInt(f["size_bytes"], 10, 64)
	return err != nil || n <= e.maxFileBytes
}
