package extract

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"ferry/internal/source"
	"ferry/internal/store"
)

// stagedRecord is one channel's version of a record, ready to merge: blank fields dropped
// (Merge ignores them anyway), content hash computed for the record's own kind, fields
// packed (packFields) and encoded as JSON only when the record is written to the snapshot.
// seq orders versions of one id within a channel: the last one wins.
type stagedRecord struct {
	store.EncodedRecord
	packed string
	seq    uint64
}

func (r *stagedRecord) size() int {
	return len(r.ID) + len(r.Origin) + len(r.packed) + len(r.Hash) + len(r.Channel) + 128
}

// encoded returns r with its fields encoded as the snapshot keeps them.
func (r *stagedRecord) encoded() (store.EncodedRecord, error) {
	e := r.EncodedRecord
	var err error
	if e.Fields, err = packedJSON(r.packed); err != nil {
		return e, fmt.Errorf("record %s/%s: %w", r.Kind, r.ID, err)
	}
	return e, nil
}

// fieldMap returns r's fields as a map.
func (r *stagedRecord) fieldMap() (map[string]string, error) {
	f, err := unpackFields(r.packed)
	if err != nil {
		return nil, fmt.Errorf("record %s/%s: %w", r.Kind, r.ID, err)
	}
	return f, nil
}

// streamKey names one sorted stream: a channel's records of one kind.
type streamKey struct {
	ch source.Channel
	k  source.Kind
}

// sorter sorts staged records by (channel, kind, id) within a memory budget: when the
// buffered records pass it, each stream's buffer is sorted and written to a run file in dir;
// reading a stream merges its runs and what is still in memory.
type sorter struct {
	dir    string
	budget int
	used   int
	bufs   map[streamKey][]stagedRecord
	runs   map[streamKey][]string
}

func newSorter(dir string, budget int) *sorter {
	return &sorter{dir: dir, budget: budget, bufs: map[streamKey][]stagedRecord{}, runs: map[streamKey][]string{}}
}

func compareStaged(a, b stagedRecord) int {
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// spill writes each buffer, sorted, to its own run file.
func (s *sorter) spill() error {
	for key, buf := range s.bufs {
		if len(buf) == 0 {
			continue
		}
		slices.SortFunc(buf, compareStaged)
		path, err := writeRun(s.dir, buf)
		if err != nil {
			return err
		}
		s.runs[key] = append(s.runs[key], path)
		delete(s.bufs, key)
	}
	s.used = 0
	return nil
}

// close removes the run files.
func (s *sorter) close() {
	for _, paths := range s.runs {
		for _, p := range paths {
			os.Remove(p)
		}
	}
}

// stream returns the records of (ch, k) in id order, one per id (the last added wins). It
// hands the records in memory over to the stream: read (ch, k) once.
func (s *sorter) stream(ch source.Channel, k source.Kind) (*sortedStream, error) {
	return s.open(ch, k, false)
}

// each calls fn with the records stream would return, leaving them to be streamed later.
func (s *sorter) each(ch source.Channel, k source.Kind, fn func(stagedRecord) error) error {
	st, err := s.open(ch, k, true)
	if err != nil {
		return err
	}
	defer st.close()
	for {
		if err := st.advance(); err != nil || !st.ok {
			return err
		}
		if err := fn(st.cur); err != nil {
			return err
		}
	}
}

func (s *sorter) open(ch source.Channel, k source.Kind, keep bool) (*sortedStream, error) {
	key := streamKey{ch, k}
	buf := s.bufs[key]
	slices.SortFunc(buf, compareStaged)
	if !keep {
		delete(s.bufs, key)
	}
	m := &mergeHeap{ch: ch, k: k}
	if len(buf) > 0 {
		m.srcs = append(m.srcs, &memSource{recs: buf, keep: keep})
	}
	for _, p := range s.runs[key] {
		f, err := os.Open(p)
		if err != nil {
			m.close()
			return nil, fmt.Errorf("read back sorted run: %w", err)
		}
		m.srcs = append(m.srcs, &fileSource{f: f, r: bufio.NewReaderSize(f, 256<<10)})
	}
	if err := m.init(); err != nil {
		m.close()
		return nil, err
	}
	return &sortedStream{m: m}, nil
}

// writeRun writes sorted records to a new file in dir and returns its path.
func writeRun(dir string, recs []stagedRecord) (string, error) {
	f, err := os.CreateTemp(dir, "extract-run-*")
	if err != nil {
		return "", fmt.Errorf("spill sorted records: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	var scratch [binary.MaxVarintLen64]byte
	put := func(s string) {
		w.Write(scratch[:binary.PutUvarint(scratch[:], uint64(len(s)))])
		w.WriteString(s)
	}
	for i := range recs {
		r := &recs[i]
		w.Write(scratch[:binary.PutUvarint(scratch[:], r.seq)])
		put(r.ID)
		put(r.Origin)
		put(r.packed)
		put(r.Hash)
		recs[i] = stagedRecord{} // let the memory go as the run is written
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("spill sorted records to %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// runSource yields the records of one sorted run.
type runSource interface {
	next(ch source.Channel, k source.Kind) (stagedRecord, bool, error)
	close()
}

// memSource reads sorted records in memory, letting each go as it is read unless keep is set.
type memSource struct {
	recs []stagedRecord
	keep bool
}

func (m *memSource) next(source.Channel, source.Kind) (stagedRecord, bool, error) {
	if len(m.recs) == 0 {
		return stagedRecord{}, false, nil
	}
	r := m.recs[0]
	if !m.keep {
		m.recs[0] = stagedRecord{}
	}
	m.recs = m.recs[1:]
	return r, true, nil
}

func (m *memSource) close() { m.recs = nil }

type fileSource struct {
	f *os.File
	r *bufio.Reader
}

func (s *fileSource) next(ch source.Channel, k source.Kind) (stagedRecord, bool, error) {
	seq, err := binary.ReadUvarint(s.r)
	if errors.Is(err, io.EOF) {
		return stagedRecord{}, false, nil
	}
	r := stagedRecord{seq: seq, EncodedRecord: store.EncodedRecord{Kind: k, Channel: ch}}
	for _, dst := range []*string{&r.ID, &r.Origin, &r.packed, &r.Hash} {
		if err != nil {
			break
		}
		*dst, err = readString(s.r)
	}
	if err != nil {
		return r, false, fmt.Errorf("read sorted run %s: %w", s.f.Name(), err)
	}
	return r, true, nil
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return string(b), nil
}

func (s *fileSource) close() { s.f.Close() }

// mergeHeap merges sorted runs by (id, seq).
type mergeHeap struct {
	srcs  []runSource
	heads []stagedRecord
	idx   []int // heap of indexes into srcs/heads
	ch    source.Channel
	k     source.Kind
}

func (m *mergeHeap) init() error {
	m.heads = make([]stagedRecord, len(m.srcs))
	for i, s := range m.srcs {
		r, ok, err := s.next(m.ch, m.k)
		if err != nil {
			return err
		}
		if ok {
			m.heads[i] = r
			m.idx = append(m.idx, i)
		}
	}
	heap.Init(m)
	return nil
}

func (m *mergeHeap) Len() int { return len(m.idx) }
func (m *mergeHeap) Less(i, j int) bool {
	return compareStaged(m.heads[m.idx[i]], m.heads[m.idx[j]]) < 0
}
func (m *mergeHeap) Swap(i, j int) { m.idx[i], m.idx[j] = m.idx[j], m.idx[i] }
func (m *mergeHeap) Push(x any)    { m.idx = append(m.idx, x.(int)) }
func (m *mergeHeap) Pop() any {
	x := m.idx[len(m.idx)-1]
	m.idx = m.idx[:len(m.idx)-1]
	return x
}

// pop returns the smallest record of all runs.
func (m *mergeHeap) pop() (stagedRecord, bool, error) {
	if len(m.idx) == 0 {
		return stagedRecord{}, false, nil
	}
	i := m.idx[0]
	r := m.heads[i]
	next, ok, err := m.srcs[i].next(m.ch, m.k)
	if err != nil {
		return r, false, err
	}
	if ok {
		m.heads[i] = next
		heap.Fix(m, 0)
	} else {
		heap.Pop(m)
	}
	return r, true, nil
}

func (m *mergeHeap) close() {
	for _, s := range m.srcs {
		s.close()
	}
}

// sortedStream yields one record per id, in id order: of several versions of an id within
// the channel, the last one added.
type sortedStream struct {
	m       *mergeHeap
	pending stagedRecord
	has     bool
	cur     stagedRecord
	ok      bool
}

// advance moves to the next id; ok reports whether there is one.
func (s *sortedStream) advance() error {
	if !s.has {
		r, ok, err := s.m.pop()
		if err != nil || !ok {
			s.ok = false
			return err
		}
		s.pending, s.has = r, true
	}
	for {
		r, ok, err := s.m.pop()
		if err != nil {
			return err
		}
		if !ok || r.ID != s.pending.ID {
			s.cur, s.ok = s.pending, true
			s.pending, s.has = r, ok
			return nil
		}
		s.pending = r // a later version of the same id wins
	}
}

func (s *sortedStream) close() { s.m.close() }

// addSeq buffers one staged record, its seq its position in the channel's output.
func (s *sorter) addSeq(sr stagedRecord) error {
	key := streamKey{sr.Channel, sr.Kind}
	s.bufs[key] = append(s.bufs[key], sr)
	s.used += sr.size()
	if s.used > s.budget {
		return s.spill()
	}
	return nil
}
