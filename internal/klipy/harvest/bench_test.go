package harvest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

// benchRows is the size of the people.csv BenchmarkRead1M reads.
const benchRows = 1_000_000

// writeBenchPeople writes a people.csv of n rows in Klipy's template naming, with a quoted
// multi-line note on every tenth row.
func writeBenchPeople(b *testing.B, dir string, n int) int64 {
	b.Helper()
	f, err := os.Create(filepath.Join(dir, "people.csv"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,First Name,Last Name,Email,Company,Title,Phone,LinkedIn URL,Notes,company_id,owner,tags,created_at,Lead Source")
	for i := range n {
		notes := ""
		if i%10 == 0 {
			notes = `"Met at the fair, ""hot"" lead` + "\n" + `call back"`
		}
		fmt.Fprintf(w, "p%07d,First%d,Last%d,first%d@example.com,Acme %d,Engineer,+1 555 %04d,https://linkedin.com/in/p%d,%s,c%d,o%d,VIP;Board,2024-03-01T10:00:00Z,Webinar\n",
			i, i, i, i, i%5000, i%10000, i, notes, i%5000, i%20)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkRead1M reads a 1,000,000-row people.csv, reporting rows/s, MB/s and the peak
// live heap sampled (after a GC) every 100,000 rows while reading (which must stay far below the file size).
func BenchmarkRead1M(b *testing.B) {
	dir := b.TempDir()
	size := writeBenchPeople(b, dir, benchRows)
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		rows := 0
		emit := func(source.Record) error {
			if rows++; rows%100_000 == 0 {
				var ms runtime.MemStats
				runtime.GC() // count live memory, not garbage awaiting collection
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		}
		st, err := Read(context.Background(), dir, Options{}, emit, func(store.QuarantineItem) error { return nil })
		if err != nil || st.Files[0].Loaded != benchRows {
			b.Fatalf("read: %v %+v", err, st.Files)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MiB")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
}
