package sandbox

import (
	"testing"

	"ferry/internal/gen"
	"ferry/internal/source"
)

// BenchmarkLoad measures building the sandbox over a generated workspace of 10,000 people,
// and, for comparison, generating the same records without encoding them.
func BenchmarkLoad(b *testing.B) {
	d := gen.New(gen.Config{People: 10_000, Seed: 1})
	b.Run("generate-only", func(b *testing.B) {
		for range b.N {
			for _, k := range served {
				_ = d.Each(k, func(source.Record) error { return nil })
			}
		}
	})
	b.Run("sandbox", func(b *testing.B) {
		for range b.N {
			s := New(Options{Source: d})
			if s.Err() != nil {
				b.Fatal(s.Err())
			}
			b.ReportMetric(float64(s.MemoryBytes())/(1<<20), "dataset-MB")
		}
	})
}
