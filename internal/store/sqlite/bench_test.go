package sqlite

import (
	"fmt"
	"testing"

	"ferry/internal/source"
)

// benchRecords makes n person records with realistic fields, ids prefixed by p.
func benchRecords(p string, n int) []source.Record {
	recs := make([]source.Record, n)
	for i := range recs {
		recs[i] = source.Record{Kind: source.Person, ID: fmt.Sprintf("%s-%07d", p, i), Channel: source.Harvest,
			Origin: fmt.Sprintf("people.csv:%d", i+2), Fields: map[string]string{
				"first_name": "Ada", "last_name": fmt.Sprintf("Lovelace %d", i), "email": fmt.Sprintf("ada%d@example.com", i),
				"phone": "+44 20 7946 0958", "title": "Head of Engineering", "company_name": "Analytical Engines Ltd",
				"linkedin_url": "https://www.linkedin.com/in/ada", "tags": "vip;engineering", "created_at": "2024-05-01T10:00:00Z",
				"custom.Lead Source": "Conference",
			}}
	}
	return recs
}

// BenchmarkPutRecords measures PutRecords of 10,000 records per op: all new, then all unchanged.
func BenchmarkPutRecords(b *testing.B) {
	const n = 10_000
	s := newTemp(b)
	b.Run("added", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			res, err := s.PutRecords(b.Context(), benchRecords(fmt.Sprint(i), n))
			if err != nil || res.Added != n {
				b.Fatalf("put: %+v, %v", res, err)
			}
		}
		b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
	})
	recs := benchRecords("same", n)
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.PutRecords(b.Context(), recs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
	})
}

// BenchmarkPutRecords100k measures one PutRecords of 100,000 new records, then a re-put of the
// same records with every tenth changed (a fresh extract against the last snapshot).
func BenchmarkPutRecords100k(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		b.StopTimer()
		s := openTemp(b)
		recs := benchRecords("p", n)
		b.StartTimer()
		if _, err := s.PutRecords(b.Context(), recs); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i += 10 {
			recs[i].Fields = map[string]string{"email": "changed@example.com"}
		}
		res, err := s.PutRecords(b.Context(), recs)
		if err != nil || res.Changed != n/10 || res.Unchanged != n-n/10 {
			b.Fatalf("re-put: %+v, %v", res, err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
