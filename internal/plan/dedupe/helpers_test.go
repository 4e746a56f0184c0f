package dedupe

import (
	"context"
	"testing"

	"ferry/internal/gen"
	"ferry/internal/source"
)

// genSource serves a generated dataset as a snapshot.
type genSource struct{ d *gen.Dataset }

func (g genSource) EachRecord(_ context.Context, kind source.Kind, fn func(source.Record) error) error {
	return g.d.Each(kind, fn)
}

// sliceSource serves fixed records as a snapshot, in the order given.
type sliceSource map[source.Kind][]source.Record

func (s sliceSource) EachRecord(ctx context.Context, kind source.Kind, fn func(source.Record) error) error {
	for _, r := range s[kind] {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// pairScore is pairwise precision and recall of found clusters against true clusters.
type pairScore struct {
	truePairs, foundPairs, both int
}

func (p pairScore) precision() float64 { return ratio(p.both, p.foundPairs) }
func (p pairScore) recall() float64    { return ratio(p.both, p.truePairs) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// scorePairs compares found clusters (member id lists) with the key's clusters.
func scorePairs(truth [][]string, found []Cluster) pairScore {
	of := map[string]int{}
	var s pairScore
	for c, ids := range truth {
		for _, id := range ids {
			of[id] = c + 1
		}
		s.truePairs += len(ids) * (len(ids) - 1) / 2
	}
	for _, c := range found {
		n := len(c.Members)
		s.foundPairs += n * (n - 1) / 2
		groups := map[int]int{}
		for _, id := range c.Members {
			if t := of[id]; t > 0 {
				groups[t]++
			}
		}
		for _, k := range groups {
			s.both += k * (k - 1) / 2
		}
	}
	return s
}

// run runs dedupe and fails the test on error.
func run(t testing.TB, src Records, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), src, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func rec(kind source.Kind, id string, kv ...string) source.Record {
	f := map[string]string{"id": id}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return source.Record{Kind: kind, ID: id, Channel: source.API, Fields: f}
}

func person(id string, kv ...string) source.Record  { return rec(source.Person, id, kv...) }
func company(id string, kv ...string) source.Record { return rec(source.Company, id, kv...) }
