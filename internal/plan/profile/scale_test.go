package profile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"ferry/internal/source"
)

var (
	firsts  = []string{"Priya", "John", "María", "Chloë", "Wei", "Olu", "Anna", "Max"}
	lasts   = []string{"Smith", "O'Brien", "Müller", "Nguyen", "Pérez", "Tanaka"}
	sources = []string{"Website", "Referral", "Trade Show", "Cold Outreach", "Partner"}
)

// syntheticPerson builds a person record shaped like the generator's, without disk.
func syntheticPerson(r *rand.Rand, i int) source.Record {
	f := map[string]string{
		"id": fmt.Sprintf("per_%010d", i), "first_name": firsts[r.IntN(len(firsts))],
		"last_name": lasts[r.IntN(len(lasts))], "email": fmt.Sprintf("p%d@acme%d.com", i, r.IntN(5000)),
		"phone": fmt.Sprintf("+1 415 %03d %04d", r.IntN(1000), r.IntN(10000)), "title": "CEO",
		"company_id": fmt.Sprintf("cmp_%08d", r.IntN(100000)), "tags": "VIP;Partner",
		"created_at":             time.Unix(1.6e9+int64(r.IntN(1e8)), 0).UTC().Format(time.RFC3339),
		"custom.Lead Source":     sources[r.IntN(len(sources))],
		"custom.Contract Value":  "$" + strconv.Itoa(r.IntN(900)) + "," + fmt.Sprintf("%03d.%02d", r.IntN(1000), r.IntN(100)),
		"custom.Score":           strconv.Itoa(r.IntN(100)),
		"custom.Renewal Date":    fmt.Sprintf("%02d/%02d/20%02d", 1+r.IntN(12), 1+r.IntN(28), 20+r.IntN(10)),
		"custom.Newsletter":      []string{"yes", "no"}[r.IntN(2)],
		"custom.Background":      "Met at the fair.\nFollow up.",
		"custom.Assistant Phone": fmt.Sprintf("+1202%07d", r.IntN(1e7)),
	}
	return source.Record{Kind: source.Person, ID: f["id"], Fields: f}
}

// TestProfileScale profiles FERRY_PROFILE_SCALE synthetic people (e.g. 1000000) and
// reports time and peak heap; memory must stay bounded (under 256 MiB of heap in use).
func TestProfileScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FERRY_PROFILE_SCALE"))
	if n <= 0 {
		t.Skip("set FERRY_PROFILE_SCALE=1000000 to profile a million synthetic people (heavy)")
	}
	r := rand.New(rand.NewPCG(1, 2))
	pr := NewProfiler()
	var peak uint64
	var ms runtime.MemStats
	start := time.Now()
	for i := range n {
		pr.Add(syntheticPerson(r, i))
		if i%100000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	p := pr.Profile()
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	o, _ := p.Object(source.Person)
	f, _ := o.Field("email")
	t.Logf("%d people in %v (%.0f records/s); peak heap in use %.1f MiB; email distinct %s",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), float64(peak)/(1<<20), f.DistinctString())
	if !f.DistinctCapped || f.Distinct != DistinctCap {
		t.Errorf("email distinct = %s, want ≥%d", f.DistinctString(), DistinctCap)
	}
	if peak > 256<<20 {
		t.Errorf("peak heap %d MiB, want bounded under 256 MiB", peak>>20)
	}
}

func BenchmarkProfilerAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	recs := make([]source.Record, 10000)
	for i := range recs {
		recs[i] = syntheticPerson(r, i)
	}
	pr := NewProfiler()
	b.ResetTimer()
	for i := range b.N {
		pr.Add(recs[i%len(recs)])
	}
}
