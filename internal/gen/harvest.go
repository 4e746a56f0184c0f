package gen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"ferry/internal/source"
)

// writer writes one harvest folder (or, with dir "", only computes the key).
type writer struct {
	d     *Dataset
	dir   string
	key   *Key
	jbuf  *bufio.Writer
	jfile io.Closer
	jenc  *json.Encoder
}

// WriteHarvest writes the harvest folder into dir: one CSV per kind (source.HarvestFile),
// the attachment files under files/, answer-key.json and answer-key-clusters.jsonl. It
// creates dir if needed and overwrites files of the same names. It returns the key it wrote.
// Errors say which file failed.
func (d *Dataset) WriteHarvest(dir string) (Key, error) {
	if dir == "" {
		return Key{}, fmt.Errorf("gen: write harvest: empty folder name (want a path)")
	}
	if err := os.MkdirAll(filepath.Join(dir, source.FilesDir), 0o755); err != nil {
		return Key{}, fmt.Errorf("gen: write harvest: create %s: %w", dir, err)
	}
	k, err := d.write(dir)
	if err != nil {
		return Key{}, err
	}
	b, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return Key{}, fmt.Errorf("gen: encode answer key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, KeyFile), append(b, '\n'), 0o644); err != nil {
		return Key{}, fmt.Errorf("gen: write answer key in %s: %w", dir, err)
	}
	return k, nil
}

// Key returns the answer key WriteHarvest would write, computed by generating everything
// once without writing (at a million people this takes as long as a harvest). The result is
// cached.
func (d *Dataset) Key() Key {
	d.keyOnce.Do(func() {
		k, err := d.write("")
		if err != nil {
			panic(fmt.Sprintf("gen: key: writing to a discarding sink failed: %v", err))
		}
		d.key = k
	})
	return d.key
}

// write generates every file and the key. With dir "" nothing touches the disk.
func (d *Dataset) write(dir string) (Key, error) {
	w := &writer{d: d, dir: dir, key: d.newKey()}
	var jw io.Writer = io.Discard
	if dir != "" {
		f, err := os.Create(filepath.Join(dir, ClustersFile))
		if err != nil {
			return Key{}, fmt.Errorf("gen: create %s: %w", ClustersFile, err)
		}
		jw, w.jfile = f, f
	}
	w.jbuf = bufio.NewWriterSize(jw, 1<<20)
	w.jenc = json.NewEncoder(w.jbuf)
	w.jenc.SetEscapeHTML(false)
	steps := []func() error{w.owners, w.companies, w.people, w.deals, w.children, w.attachments,
		w.live}
	for _, step := range steps {
		if err := step(); err != nil {
			if w.jfile != nil {
				w.jfile.Close() // the step's error is the one worth reporting
			}
			return Key{}, err
		}
	}
	err := w.jbuf.Flush()
	if w.jfile != nil {
		if cerr := w.jfile.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return Key{}, fmt.Errorf("gen: finish %s: %w", ClustersFile, err)
	}
	return *w.key, nil
}

// file opens the CSV of kind, runs body and records the file's format in the key.
func (w *writer) file(kind source.Kind, format FileFormat, body func(*csvFile) error) error {
	c, err := openCSV(w.dir, kind, format)
	if err != nil {
		return err
	}
	if err := body(c); err != nil {
		c.close()
		return err
	}
	f, err := c.close()
	w.key.Files[c.name] = f
	return err
}

func (w *writer) line(l ClusterLine) error {
	if err := w.jenc.Encode(l); err != nil {
		return fmt.Errorf("gen: write %s: %w", ClustersFile, err)
	}
	return nil
}

func (w *writer) broken(file string, line int, stage, reason, id string) {
	w.key.BrokenRows = append(w.key.BrokenRows, BrokenRow{File: file, Line: line, Stage: stage,
		Reason: reason, ID: id})
}

var lf = FileFormat{EOL: "LF"}

func (w *writer) owners() error {
	return w.file(source.Owner, lf, func(c *csvFile) error {
		return w.d.Each(source.Owner, func(r source.Record) error {
			w.key.count(source.Owner, r.Channel)
			_, err := c.write(r)
			return err
		})
	})
}

// deals writes the harvest deals and notes the unparseable date.
func (w *writer) deals() error {
	return w.file(source.Deal, lf, func(c *csvFile) error {
		k := 0
		return w.d.eachDeal(func(r source.Record) error {
			w.key.count(source.Deal, r.Channel)
			line, err := c.write(r)
			if k == w.d.badDateDeal() {
				w.broken(c.name, line, StageMapping, "unparseable date in created_at: "+r.Fields["created_at"], r.ID)
			}
			k++
			return err
		})
	})
}

// children writes interactions, notes and tasks (tasks.csv with BOM and CRLF). Workers
// generate and encode chunks of rows in parallel; they are written in order.
func (w *writer) children() error {
	for _, kind := range []source.Kind{source.Interaction, source.Note, source.Task} {
		format := lf
		if kind == source.Task {
			format = FileFormat{BOM: true, EOL: "CRLF"}
		}
		err := w.file(kind, format, func(c *csvFile) error {
			n := w.d.cfg.People
			work := func(ch int) encoded {
				from, to := chunkRange(ch, n)
				if kind == source.Interaction {
					return w.d.encodeInteractions(from, to)
				}
				return encode(c.fields, format, w.d.childrenOf(kind, from, to))
			}
			return ordered(chunks(n), work, func(e encoded) error {
				if e.err != nil {
					return fmt.Errorf("gen: encode %s: %w", c.name, e.err)
				}
				for ch, k := range e.channels {
					w.key.Records[kind] += k
					if w.key.Channels[kind] == nil {
						w.key.Channels[kind] = map[source.Channel]int{}
					}
					w.key.Channels[kind][ch] += k
					if ch == source.API {
						w.key.Channels[kind][source.Harvest] += k
					}
				}
				return c.writeChunk(e)
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// live counts the live deals and their webhook events.
func (w *writer) live() error {
	w.key.Records[source.Deal] += w.d.liveDeals
	if w.key.Channels[source.Deal] == nil {
		w.key.Channels[source.Deal] = map[source.Channel]int{}
	}
	w.key.Channels[source.Deal][source.Webhook] = w.d.liveDeals
	return w.d.LiveDealEvents(func(DealEvent) error {
		w.key.LiveDealEvents++
		return nil
	})
}
