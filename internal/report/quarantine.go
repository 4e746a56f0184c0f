package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// QuarantineFile is the file ferry extract writes in the report directory, listing every
// row extraction quarantined.
const QuarantineFile = "quarantined.csv"

// quarantineHeader is the header of QuarantineFile.
var quarantineHeader = []string{"object", "file", "line", "field", "reason", "raw_values", "loss_accepted"}

// Quarantined is the accounting of the rows extraction quarantined: rows that never became
// records of the snapshot.
type Quarantined struct {
	Rows     int               `json:"rows"`     // every quarantined row
	Accepted int               `json:"accepted"` // of Rows: under an accepted loss reason
	Groups   []QuarantineGroup `json:"groups"`   // the rows not accepted, grouped; most first
	File     string            `json:"file,omitempty"`
}

// Lost is how many quarantined rows are not covered by an accepted loss.
func (q Quarantined) Lost() int { return q.Rows - q.Accepted }

// QuarantineGroup counts the quarantined rows of one object and file that share a reason
// (QuarantineClass).
type QuarantineGroup struct {
	Kind   source.Kind `json:"kind"`
	File   string      `json:"file"`
	Reason string      `json:"reason"`
	Count  int         `json:"count"`
}

// WriteQuarantined writes dir/QuarantineFile (0600, cells neutralised against CSV
// injection) listing every row of items that extraction quarantined — file, line, field,
// reason, the raw row, and the accepted loss reason covering it (accept is given
// migrate.ExtractLossClass of the row's reason; nil accepts nothing) — and returns their
// accounting. Items the engine wrote for records it could not map (migrate.MappingQuarantine)
// are not extraction's and are left out. Without any row, a QuarantineFile left by an
// earlier extraction is removed and nothing is written.
func WriteQuarantined(dir string, items []store.QuarantineItem, accept func(string) (string, bool)) (Quarantined, error) {
	var q Quarantined
	t := Table{Name: strings.TrimSuffix(QuarantineFile, ".csv"), Header: quarantineHeader}
	groups := map[QuarantineGroup]int{}
	for _, it := range items {
		if migrate.MappingQuarantine(it) {
			continue
		}
		q.Rows++
		by, ok := "", false
		if accept != nil {
			by, ok = accept(migrate.ExtractLossClass(it.Reason))
		}
		if ok {
			q.Accepted++
		} else {
			by = ""
			groups[QuarantineGroup{Kind: it.Kind, File: it.File, Reason: QuarantineClass(it.Reason)}]++
		}
		t.Rows = append(t.Rows, []string{string(it.Kind), it.File, strconv.Itoa(it.Line), it.Column, it.Reason, it.Raw, by})
	}
	path := filepath.Join(dir, QuarantineFile)
	if q.Rows == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return q, fmt.Errorf("remove the stale %s: %w", path, err)
		}
		return q, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return q, fmt.Errorf("create report directory: %w", err)
	}
	if err := writeTable(path, t); err != nil {
		return q, err
	}
	q.File = path
	for g, n := range groups {
		g.Count = n
		q.Groups = append(q.Groups, g)
	}
	sort.Slice(q.Groups, func(i, j int) bool {
		a, b := q.Groups[i], q.Groups[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return fmt.Sprint(a.Kind, a.File, a.Reason) < fmt.Sprint(b.Kind, b.File, b.Reason)
	})
	return q, nil
}

var (
	quotedValue = regexp.MustCompile(`"[^"]*"`)
	number      = regexp.MustCompile(`\d+`)
)

// QuarantineClass is the reason rows are grouped by in a summary: the reason up to its
// first "; " (what follows says what to do, in the file), with quoted values replaced by
// "…" and numbers by N, so that rows differing only by their values fall in one group.
func QuarantineClass(reason string) string {
	head, _, _ := strings.Cut(reason, "; ")
	head = quotedValue.ReplaceAllString(head, `"…"`)
	return number.ReplaceAllString(head, "N")
}
