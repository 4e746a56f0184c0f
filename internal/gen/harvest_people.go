package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"ferry/internal/source"
)

// brokenAfter is how many good rows precede the structural broken rows of a file.
const brokenAfter = 3

// companies writes companies.csv, the company clusters and a row without an id.
func (w *writer) companies() error {
	return w.file(source.Company, lf, func(c *csvFile) error {
		written := 0
		for j := range w.d.orgs {
			o := w.d.org(j)
			ids := make([]string, o.records)
			for k := range o.records {
				r := w.d.company(j, k)
				ids[k] = r.ID
				w.key.count(source.Company, r.Channel)
				w.key.Channels[source.Company][source.Harvest]++
				if r.Fields["domain"] == "" {
					w.key.Distinct.CompaniesWithoutDomain++
				}
				if _, err := c.write(r); err != nil {
					return err
				}
				if written++; written == brokenAfter {
					if err := w.companyWithoutID(c, r); err != nil {
						return err
					}
				}
			}
			if err := w.cluster("company_cluster", ids); err != nil {
				return err
			}
		}
		if written < brokenAfter {
			return w.companyWithoutID(c, w.d.company(0, 0))
		}
		return nil
	})
}

func (w *writer) companyWithoutID(c *csvFile, like source.Record) error {
	r := source.Record{Fields: maps(like.Fields)}
	r.Fields["id"], r.Fields["name"] = "", "Nameless Row Holdings"
	line, err := c.write(r)
	w.broken(c.name, line, StageHarvest, "row without id", "")
	return err
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// cluster records a duplicate cluster (two or more records) in the key.
func (w *writer) cluster(typ string, ids []string) error {
	if len(ids) < 2 {
		return nil
	}
	if typ == "person_cluster" {
		w.key.Distinct.PersonClusters++
		if w.d.inline() {
			w.key.PersonClusters = append(w.key.PersonClusters, ids)
		}
	} else {
		w.key.Distinct.CompanyClusters++
		if w.d.inline() {
			w.key.CompanyClusters = append(w.key.CompanyClusters, ids)
		}
	}
	return w.line(ClusterLine{Type: typ, IDs: ids})
}

// peopleState gathers person clusters over the sliding duplicate window.
type peopleState struct {
	members map[int][]string
	roots   []int // pending originals, ascending
}

// people writes people.csv and the person part of the key.
func (w *writer) people() error {
	st := &peopleState{members: map[int][]string{}}
	return w.file(source.Person, lf, func(c *csvFile) error {
		err := w.d.eachPerson(func(r source.Record, m personMeta) error {
			if err := w.flushClusters(st, m.root-dupWindow); err != nil {
				return err
			}
			return w.person(c, st, r, m)
		})
		if err != nil {
			return err
		}
		if w.d.cfg.People < brokenAfter {
			if err := w.peopleBroken(c); err != nil {
				return err
			}
		}
		return w.flushClusters(st, w.d.cfg.People)
	})
}

func (w *writer) person(c *csvFile, st *peopleState, r source.Record, m personMeta) error {
	w.key.count(source.Person, r.Channel)
	w.key.Channels[source.Person][source.Harvest]++
	line, err := c.write(r)
	if err != nil {
		return err
	}
	i := w.key.Records[source.Person] - 1
	if i == w.d.badEmail {
		w.broken(c.name, line, StageMapping, "invalid email: "+r.Fields["email"], r.ID)
	}
	if i+1 == brokenAfter {
		if err := w.peopleBroken(c); err != nil {
			return err
		}
	}
	if m.root == i {
		w.key.Distinct.People++
		st.roots = append(st.roots, i)
	} else {
		w.key.Distinct.DuplicatePersonRecords++
	}
	st.members[m.root] = append(st.members[m.root], r.ID)
	if m.nameVariant {
		v := NameVariant{A: w.d.personID(m.root), B: r.ID, AName: m.name,
			BName: r.Fields["first_name"] + " " + r.Fields["last_name"]}
		if err := w.variant(v); err != nil {
			return err
		}
	}
	if m.phoneRaw != "" {
		return w.phone(PhoneKey{ID: r.ID, Raw: m.phoneRaw, Region: m.phoneRegion, E164: m.phoneE164})
	}
	return nil
}

func (w *writer) variant(v NameVariant) error {
	w.key.Distinct.NameVariantPairs++
	if w.d.inline() {
		w.key.NameVariants = append(w.key.NameVariants, v)
	}
	return w.line(ClusterLine{Type: "name_variant", Variant: &v})
}

func (w *writer) phone(p PhoneKey) error {
	w.key.PhoneRegions[p.Region]++
	if w.d.inline() {
		w.key.Phones = append(w.key.Phones, p)
	}
	return w.line(ClusterLine{Type: "phone", Phone: &p})
}

// flushClusters emits the clusters of originals before index below; no later record can
// join them.
func (w *writer) flushClusters(st *peopleState, below int) error {
	n := 0
	for n < len(st.roots) && st.roots[n] < below {
		root := st.roots[n]
		if err := w.cluster("person_cluster", st.members[root]); err != nil {
			return err
		}
		delete(st.members, root)
		n++
	}
	st.roots = slices.Delete(st.roots, 0, n)
	return nil
}

// peopleBroken writes a ragged row and a row repeating the first person's id.
func (w *writer) peopleBroken(c *csvFile) error {
	first, _ := w.d.person(0)
	cells := make([]string, len(c.fields), len(c.fields)+2)
	for i, f := range c.fields {
		cells[i] = first.Fields[f]
	}
	ragged := w.d.id("per_", tagPersonRec, w.d.cfg.People+7)
	cells[0], cells[1] = ragged, "Ragged"
	cells = append(cells, "stray cell", "another, quoted")
	line, err := c.writeCells(cells)
	if err != nil {
		return err
	}
	w.broken(c.name, line, StageHarvest, fmt.Sprintf("row has %d cells, header has %d", len(cells), len(c.fields)), ragged)
	dup := source.Record{Fields: maps(first.Fields)}
	dup.Fields["first_name"] = "Duplicate"
	line, err = c.write(dup)
	w.broken(c.name, line, StageHarvest, "id repeats the row of an earlier line", first.ID)
	return err
}

// attachments writes attachments.csv and the files under files/.
func (w *writer) attachments() error {
	return w.file(source.Attachment, lf, func(c *csvFile) error {
		return w.d.eachAttachment(func(a attachment) error {
			w.key.count(source.Attachment, a.rec.Channel)
			line, err := c.write(a.rec)
			if err != nil {
				return err
			}
			if a.problem == "" {
				w.key.Attachments.Uploadable++
			} else {
				w.key.Attachments.NotUploadable = append(w.key.Attachments.NotUploadable,
					AttachmentProblem{ID: a.rec.ID, Path: a.rec.Fields["path"], Reason: a.problem})
			}
			switch a.problem {
			case AttachEscapes:
				w.broken(c.name, line, StageHarvest, "path escapes the harvest folder: "+a.rec.Fields["path"], a.rec.ID)
			case AttachMissing:
				w.broken(c.name, line, StageHarvest, "file missing: "+a.rec.Fields["path"], a.rec.ID)
			}
			return w.attachmentFile(a)
		})
	})
}

// attachmentFile writes an attachment's bytes (or a sparse file of its declared size).
func (w *writer) attachmentFile(a attachment) error {
	if w.dir == "" || (a.content == nil && a.sparse == 0) {
		return nil
	}
	path := filepath.Join(w.dir, filepath.FromSlash(a.rec.Fields["path"]))
	if a.sparse > 0 {
		f, err := os.Create(path)
		if err == nil {
			err = f.Truncate(a.sparse)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("gen: write sparse attachment %s: %w", path, err)
		}
		return nil
	}
	if err := os.WriteFile(path, a.content, 0o644); err != nil {
		return fmt.Errorf("gen: write attachment %s: %w", path, err)
	}
	return nil
}
