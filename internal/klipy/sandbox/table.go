package sandbox

import (
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"slices"
	"sort"
	"sync"

	"ferry/internal/source"
)

// blockSize is how many encoded objects share one compressed block.
const blockSize = 128

// table holds the generated objects of one kind, encoded as API JSON, in flate-compressed
// blocks of blockSize objects separated by newlines, plus a sorted hash index of their ids.
// A page decompresses one or two blocks; memory is about a tenth of the JSON.
type table struct {
	n      int
	blocks [][]byte
	index  []idEntry // sorted by hash
	seed   maphash.Seed
}

type idEntry struct {
	hash uint64
	pos  uint32
}

// buildTable encodes every record src gives for kind. Blocks of records are encoded and
// compressed by one worker per CPU while src goes on generating.
func buildTable(src Source, kind source.Kind, enc *encoder) (*table, error) {
	t := &table{seed: maphash.MakeSeed()}
	type job struct {
		n    int
		recs []source.Record
	}
	jobs := make(chan job, runtime.NumCPU())
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		blocks  = map[int][]byte{}
		workErr error
	)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for j := range jobs {
				b, err := compressBlock(j.recs, enc)
				mu.Lock()
				blocks[j.n] = b
				if err != nil && workErr == nil {
					workErr = fmt.Errorf("encode %s block %d: %w", kind, j.n, err)
				}
				mu.Unlock()
			}
		})
	}
	batch := make([]source.Record, 0, blockSize)
	err := src.Each(kind, func(r source.Record) error {
		t.index = append(t.index, idEntry{maphash.String(t.seed, r.ID), uint32(t.n)})
		t.n++
		if batch = append(batch, r); len(batch) == blockSize {
			jobs <- job{t.n/blockSize - 1, batch}
			batch = make([]source.Record, 0, blockSize)
		}
		return nil
	})
	if len(batch) > 0 {
		jobs <- job{t.n / blockSize, batch}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		err = workErr
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: load %s records: %w", kind, err)
	}
	t.blocks = make([][]byte, len(blocks))
	for n, b := range blocks {
		t.blocks[n] = b
	}
	slices.SortFunc(t.index, func(a, b idEntry) int { return cmp.Compare(a.hash, b.hash) })
	return t, nil
}

// compressBlock encodes records as newline-separated API objects and compresses them.
func compressBlock(recs []source.Record, enc *encoder) ([]byte, error) {
	var raw, zb bytes.Buffer
	for _, r := range recs {
		b, err := enc.encode(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.ID, err)
		}
		raw.Write(b)
		raw.WriteByte('\n')
	}
	zw, _ := flate.NewWriter(&zb, flate.BestSpeed)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return zb.Bytes(), nil
}

// inflaters reuses flate readers (each holds a 32 KB window).
var inflaters sync.Pool

// block returns the encoded objects of block b.
func (t *table) block(b int) ([][]byte, error) {
	src := bytes.NewReader(t.blocks[b])
	zr, _ := inflaters.Get().(io.ReadCloser)
	if zr == nil {
		zr = flate.NewReader(src)
	} else if err := zr.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	inflaters.Put(zr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: block %d is corrupt: %w", b, err)
	}
	return bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n")), nil
}

// at returns the encoded object at position pos.
func (t *table) at(pos int) ([]byte, error) {
	objs, err := t.block(pos / blockSize)
	if err != nil {
		return nil, err
	}
	return objs[pos%blockSize], nil
}

// reader reads positions of a table, keeping the last decompressed block, so a page
// decompresses each of its blocks once.
type reader struct {
	t    *table
	b    int
	objs [][]byte
}

func (r *reader) at(pos int) ([]byte, error) {
	if b := pos / blockSize; r.objs == nil || r.b != b {
		objs, err := r.t.block(b)
		if err != nil {
			return nil, err
		}
		r.b, r.objs = b, objs
	}
	return r.objs[pos%blockSize], nil
}

// find returns the position of the object with id, or -1.
func (t *table) find(id string) (int, error) {
	h := maphash.String(t.seed, id)
	i := sort.Search(len(t.index), func(i int) bool { return t.index[i].hash >= h })
	for ; i < len(t.index) && t.index[i].hash == h; i++ {
		obj, err := t.at(int(t.index[i].pos))
		if err != nil {
			return -1, err
		}
		if objectID(obj) == id {
			return int(t.index[i].pos), nil
		}
	}
	return -1, nil
}

// objectID reads the id of an encoded object.
func objectID(obj []byte) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(obj, &v)
	return v.ID
}

// size is the memory the table holds, in bytes (compressed blocks and index).
func (t *table) size() int {
	n := len(t.index) * 16
	for _, b := range t.blocks {
		n += len(b) + 24
	}
	return n
}
