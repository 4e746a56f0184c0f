package plan

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
	"ferry/internal/source"
	"ferry/internal/store"
)

// Options tune Build.
type Options struct {
	DefaultRegion string // for national phone numbers (ferry.yaml source.default_phone_region)
	// Hints and Headers come from the harvest's column map (see mapping.Options); nil: none.
	Hints, Headers map[source.Kind]map[string]string
	// Columns are the open decisions of ambiguous harvest columns (from the column map).
	Columns       []decide.ColumnChoice
	MergePolicy   string // dedupe.FillBlanks or dedupe.Overwrite, for merges into Pipedrive records
	FallbackOwner string // Pipedrive user email for unmatched owners; empty leaves them open
	// Existing is what Pipedrive already holds, for merge-into-existing proposals (nil: none).
	Existing *dedupe.Destination
	// DestinationRead says whether Dest came from a real read of Pipedrive.
	DestinationRead bool
	// Progress, when set, is told how many records a step has handled, from time to time and
	// from any goroutine: "profile" over the whole snapshot, then dedupe's steps.
	Progress func(step string, n int)
}

// Plan is everything ferry plan proposes.
type Plan struct {
	Counts      map[source.Kind]int
	Quarantined map[source.Kind]int
	Profile     profile.Profile
	Mapping     mapping.Mapping
	Dedupe      *dedupe.Result
	Decisions   decide.Decisions
	Options     Options
	Took        time.Duration
	Stages      []StageTime // how long each part of Build took
	// Discovered names the organizations extract made from references (source.IsDiscovered):
	// company names people, deals or activities give that no companies file row carries. The
	// plan report lists them for review; they are created like any other organization.
	Discovered []string
	// Losses are what a dry run of the written plan files predicts would not arrive, by
	// object and reason; set by the caller after WriteFiles (Build does not dry-run), which
	// then sets LossesPredicted and writes the report again (WriteReportFile).
	Losses          []Loss
	LossesPredicted bool
	// Names names the records the report shows by id (duplicate survivors, values left
	// out): source.Named by kind and id (nameKey), read from the snapshot by Build.
	Names map[string]string
}

// nameKey keys Plan.Names.
func nameKey(kind source.Kind, id string) string { return string(kind) + "\x00" + id }

// reportClusters is how many person clusters the plan report shows.
const reportClusters = 10

// nameRecords reads the name of each record the report shows by id from the snapshot.
func (p *Plan) nameRecords(ctx context.Context, st store.Store) error {
	p.Names = map[string]string{}
	add := func(kind source.Kind, id string) error {
		if _, ok := p.Names[nameKey(kind, id)]; ok {
			return nil
		}
		rec, err := st.GetRecord(ctx, kind, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("name %s %s: %w", kind, id, err)
		}
		p.Names[nameKey(kind, id)] = source.Named(rec)
		return nil
	}
	for _, c := range p.Dedupe.PersonClusters[:min(len(p.Dedupe.PersonClusters), reportClusters)] {
		if err := add(c.Kind, c.Survivor); err != nil {
			return err
		}
	}
	rows, _ := leftOutRows(p.Mapping, p.Profile)
	for _, row := range rows {
		if err := add(source.Kind(row[0]), row[2]); err != nil {
			return err
		}
	}
	return nil
}

// StageTime is the wall time of one part of Build.
type StageTime struct {
	Name string
	Took time.Duration
}

// Build profiles the snapshot, proposes the mapping, finds duplicates and proposes the
// decisions. It streams the snapshot (memory stays bounded), each part on every core it can
// get. Dedupe runs after the profile, not beside it: its keys are the one large live set, and
// a collector marking them while the walk allocates costs more than the overlap saves.
func Build(ctx context.Context, st store.Store, dest Destination, opts Options) (*Plan, error) {
	start := time.Now()
	if opts.Progress == nil {
		opts.Progress = func(string, int) {}
	}
	p := &Plan{Counts: map[source.Kind]int{}, Quarantined: map[source.Kind]int{}, Options: opts}
	mark := func(name string, t0 time.Time) { p.Stages = append(p.Stages, StageTime{name, time.Since(t0)}) }
	t0 := time.Now()
	if err := p.countQuarantined(ctx, st); err != nil {
		return nil, err
	}
	sc, err := p.scan(ctx, st, opts.Progress)
	if err != nil {
		return nil, err
	}
	for _, k := range source.Kinds { // counted by the scan: a count(*) per kind is another walk
		o, _ := p.Profile.Object(k)
		p.Counts[k] = o.Records
	}
	p.Mapping = mapping.Propose(p.Profile, schemaOf(dest), mapping.Options{DefaultRegion: opts.DefaultRegion,
		Hints: opts.Hints, Headers: opts.Headers})
	p.Decisions = decide.Propose(sc, dest.Decide, decide.Options{FallbackOwner: opts.FallbackOwner})
	p.Decisions.Columns = opts.Columns
	mark("profile, mapping and decisions", t0)
	t0 = time.Now()
	p.Dedupe, err = dedupe.Run(ctx, st, dedupe.Options{DefaultRegion: opts.DefaultRegion,
		Policy: opts.MergePolicy, Destination: opts.Existing, Progress: prefixed("dedupe: ", opts.Progress)})
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	mark("dedupe", t0)
	if err := p.nameRecords(ctx, st); err != nil {
		return nil, err
	}
	p.Took = time.Since(start)
	return p, nil
}

// scanShards is how many parts the snapshot scan splits into (each a goroutine): a constant,
// not the number of cores, so that a snapshot gives the same plan on any machine. Two keep a
// 2-core machine busy beside the reading goroutine; more cost more than they give (8 shards
// took 30% more CPU at a million people: eight profilers' maps to collect and to cache).
const scanShards = 2

// scan reads the snapshot once on every core: each shard profiles and scans the pages it is
// given, and the parts are merged in shard order, so the same snapshot gives the same plan.
func (p *Plan) scan(ctx context.Context, st store.Store, progress func(string, int)) (*decide.Scan, error) {
	n := scanShards
	prs, scs := make([]*profile.Profiler, n), make([]*decide.Scan, n)
	found := make([][]string, n)
	for i := range n {
		prs[i], scs[i] = profile.NewProfiler(), decide.NewScan()
	}
	var done atomic.Int64
	err := st.ScanRecords(ctx, "", n, func(w int, page []source.Record) error {
		for _, r := range page {
			prs[w].Add(r)
			scs[w].Add(r)
			if source.IsDiscovered(r) {
				found[w] = append(found[w], r.Fields["name"])
			}
		}
		progress("profile", int(done.Add(int64(len(page)))))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the snapshot: %w", err)
	}
	for i := 1; i < n; i++ {
		prs[0].Merge(prs[i])
		scs[0].Merge(scs[i])
	}
	p.Profile = prs[0].Profile()
	p.Discovered = slices.Sorted(slices.Values(slices.Concat(found...)))
	return scs[0], nil
}

// prefixed returns progress with prefix put before each step's name.
func prefixed(prefix string, progress func(string, int)) func(string, int) {
	return func(step string, n int) { progress(prefix+step, n) }
}

// countQuarantined counts the rows extract quarantined, per kind.
func (p *Plan) countQuarantined(ctx context.Context, st store.Store) error {
	q, err := st.QuarantineItems(ctx, "")
	if err != nil {
		return err
	}
	for _, item := range q {
		p.Quarantined[item.Kind]++
	}
	return nil
}

// schemaOf turns the destination's fields into the mapping's schema.
func schemaOf(dest Destination) mapping.Schema {
	s := mapping.Schema{Fields: map[string][]mapping.DestField{}}
	for entity, fields := range dest.Fields {
		for _, f := range fields {
			df := mapping.DestField{Name: f.Name, Code: f.Code, Type: f.Type, Custom: f.IsCustom}
			for _, o := range f.Options {
				df.Options = append(df.Options, mapping.Option{ID: int(o.ID), Label: o.Label})
			}
			s.Fields[string(entity)] = append(s.Fields[string(entity)], df)
		}
	}
	return s
}
