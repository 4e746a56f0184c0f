package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/workspace"
)

// ProposalDir is where plan keeps, inside the workspace's state directory, the last
// mapping.yaml and decisions.yaml it proposed: the base of the next plan's merge.
const ProposalDir = "proposal"

// NotKeptSuffix names the file beside mapping.yaml or decisions.yaml that lists the changes
// a re-plan could not keep; PreviousSuffix the copy of the file as the person left it.
const (
	NotKeptSuffix  = ".not-kept"
	PreviousSuffix = ".previous"
)

// Rebase is what KeepWork did.
type Rebase struct {
	Merged   []string  // files whose changes were merged into the new proposal
	Backups  []string  // files copied to <file>.previous before being rewritten
	NotKept  []NotKept // changes the new proposal has no place for
	Unread   []string  // files that could not be parsed: "file: error" (backed up, replaced)
	NoBase   bool      // no stored proposal: only resolved decisions were kept
	Proposal string    // where the new proposal was stored
}

// KeepWork merges the person's edits of mapping.yaml and decisions.yaml in dir into p's new
// proposal (unless fresh), stores the new proposal as the next base, backs the old files up
// when they are about to change and writes what could not be kept beside each file. Call it
// before p.WriteFiles.
func (p *Plan) KeepWork(dir string, fresh bool) (Rebase, error) {
	var r Rebase
	pdir := filepath.Join(dir, workspace.StateDir, ProposalDir)
	if err := os.MkdirAll(pdir, 0o700); err != nil {
		return r, fmt.Errorf("plan: proposal folder: %w", err)
	}
	var mnew, dnew bytes.Buffer
	if err := mapping.Write(&mnew, p.Mapping); err != nil {
		return r, err
	}
	if err := decide.Write(&dnew, p.Decisions); err != nil {
		return r, err
	}
	oursM, baseM, err := readPair(dir, pdir, MappingFile, mapping.Parse, &r)
	if err != nil {
		return r, err
	}
	oursD, baseD, err := readPair(dir, pdir, DecisionsFile, decide.Parse, &r)
	if err != nil {
		return r, err
	}
	if !fresh {
		var nk []NotKept
		if oursM != nil {
			p.Mapping, nk = MergeMapping(baseM, *oursM, p.Mapping)
			r.NotKept = append(r.NotKept, nk...)
			r.Merged = append(r.Merged, MappingFile)
		}
		if oursD != nil {
			p.Decisions, nk = MergeDecisions(baseD, *oursD, p.Decisions)
			r.NotKept = append(r.NotKept, nk...)
			r.Merged = append(r.Merged, DecisionsFile)
		}
		r.NoBase = (oursM != nil && baseM == nil) || (oursD != nil && baseD == nil)
	}
	for name, data := range map[string][]byte{MappingFile: mnew.Bytes(), DecisionsFile: dnew.Bytes()} {
		if err := writeAtomic(filepath.Join(pdir, name), bytesTo(data)); err != nil {
			return r, err
		}
	}
	r.Proposal = pdir
	return r, r.writeSide(dir, p)
}

// readPair parses the person's file and the stored proposal of name; a missing one is nil,
// an unreadable file of the person's is reported in r (and replaced), an unreadable proposal
// is treated as missing.
func readPair[T any](dir, pdir, name string, parse func(string, []byte) (T, error), r *Rebase) (ours, base *T, err error) {
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("plan: read %s: %w", path, err)
	}
	v, perr := parse(path, data)
	if perr != nil {
		r.Unread = append(r.Unread, fmt.Sprintf("%s: %v", name, perr))
		return nil, nil, nil
	}
	ours = &v
	if bdata, err := os.ReadFile(filepath.Join(pdir, name)); err == nil {
		if b, err := parse(filepath.Join(pdir, name), bdata); err == nil {
			base = &b
		}
	}
	return ours, base, nil
}

// writeSide backs up the files about to change and writes (or removes) the not-kept lists.
func (r *Rebase) writeSide(dir string, p *Plan) error {
	var mbuf, dbuf bytes.Buffer
	if err := mapping.Write(&mbuf, p.Mapping); err != nil {
		return err
	}
	if err := decide.Write(&dbuf, p.Decisions); err != nil {
		return err
	}
	for name, next := range map[string][]byte{MappingFile: mbuf.Bytes(), DecisionsFile: dbuf.Bytes()} {
		path := filepath.Join(dir, name)
		old, err := os.ReadFile(path)
		if err == nil && !bytes.Equal(old, next) {
			if err := writeAtomic(path+PreviousSuffix, bytesTo(old)); err != nil {
				return err
			}
			r.Backups = append(r.Backups, name+PreviousSuffix)
		}
		var lines []string
		for _, n := range r.NotKept {
			if n.File == name {
				lines = append(lines, "- "+n.What+": "+n.Why)
			}
		}
		side := path + NotKeptSuffix
		if len(lines) == 0 {
			_ = os.Remove(side)
			continue
		}
		text := "# Changes of yours that ferry plan could not keep in " + name + " (the new proposal has no\n" +
			"# place for them). Your file as it was is " + name + PreviousSuffix + ".\n" + strings.Join(lines, "\n") + "\n"
		if err := writeAtomic(side, bytesTo([]byte(text))); err != nil {
			return err
		}
	}
	return nil
}
