package report

import (
	"bytes"
	"context"
	"encoding/json"
	"ferry/internal/atomicfile"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// Row file names: one pair per object, in the report directory.
const (
	SuccessPrefix = "success-"
	ErrorPrefix   = "error-"
)

// Outcome is the per-row accounting of one Klipy object: every source record (snapshot
// records plus the rows extraction quarantined) is either a success row (created, merged,
// or skipped by an explicit decision in mapping.yaml) or an error row (quarantined, held,
// refused, failed, not sent yet), so Success + Errors == Source always.
type Outcome struct {
	Kind     source.Kind   `json:"kind"`
	Source   int           `json:"source"`
	Success  int           `json:"success"`
	Accepted int           `json:"accepted"` // of Success: losses accepted as decisions
	Errors   int           `json:"errors"`
	Reasons  []ReasonCount `json:"reasons,omitempty"` // the error rows grouped by reason, most first
	// AcceptedReasons groups the success rows "loss accepted" by their loss's reason class
	// (not by the accepted reason covering it), most first.
	AcceptedReasons []ReasonCount `json:"accepted_reasons,omitempty"`
	SuccessFile     string        `json:"success_file"`
	ErrorFile       string        `json:"error_file"`
}

// ReasonCount is how many error rows of an object share one reason.
type ReasonCount struct {
	Reason string   `json:"reason"`
	Count  int      `json:"count"`
	Named  []string `json:"named,omitempty"` // the first NamedShown records, by name and Klipy id (or file:line)
}

// NamedShown is how many records of each reason an Outcome names.
const NamedShown = 3

// Complete reports whether every source record of every object is accounted for.
func Complete(outs []Outcome) bool {
	for _, o := range outs {
		if o.Errors > 0 {
			return false
		}
	}
	return true
}

// RowOptions say where WriteOutcomes writes and how it links records.
type RowOptions struct {
	Dir string // the report directory; created 0700 when missing
	// BaseURL is the Pipedrive web address ("https://acme.pipedrive.com"); record URLs of
	// organizations, persons and deals are built on it. Empty: no URLs.
	BaseURL string
	// Accept says which accepted loss reason (decisions.yaml accepted_losses) a loss's
	// class (migrate.ReasonClass) falls under; such a record is a success row "loss
	// accepted". Nil accepts nothing.
	Accept func(reason string) (string, bool)
}

// accepted applies opts.Accept.
func (opts RowOptions) accepted(reason string) (string, bool) {
	if opts.Accept == nil {
		return "", false
	}
	return opts.Accept(reason)
}

// Headers of the row files.
var (
	successHeader = []string{"klipy_id", "pipedrive_id", "pipedrive_url", "action"}
	errorHeader   = []string{"klipy_id", "source_values", "reason"}
)

// WriteOutcomes classifies every source record of every migrated object by its id-map
// row and writes report/success-<object>.csv and report/error-<object>.csv (0600, cells
// neutralised against CSV injection), returning the accounting per object. Rows that
// extraction quarantined are error rows with the raw line as their source values.
func WriteOutcomes(ctx context.Context, st store.Store, opts RowOptions) ([]Outcome, error) {
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create report directory: %w", err)
	}
	var out []Outcome
	for _, kind := range migrate.Phases() {
		o, err := writeKindOutcome(ctx, st, opts, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// writeKindOutcome accounts for one object and writes its two files.
func writeKindOutcome(ctx context.Context, st store.Store, opts RowOptions, kind source.Kind) (Outcome, error) {
	o := Outcome{Kind: kind,
		SuccessFile: filepath.Join(opts.Dir, SuccessPrefix+string(kind)+".csv"),
		ErrorFile:   filepath.Join(opts.Dir, ErrorPrefix+string(kind)+".csv")}
	maps := map[string]store.Mapping{}
	if err := st.EachMapping(ctx, kind, "", func(m store.Mapping) error {
		maps[m.SourceID] = m
		return nil
	}); err != nil {
		return o, fmt.Errorf("outcomes of %s: id map: %w", kind, err)
	}
	good := Table{Name: SuccessPrefix + string(kind), Header: successHeader}
	bad := Table{Name: ErrorPrefix + string(kind), Header: errorHeader}
	reasons, accepted := map[string]*ReasonCount{}, map[string]*ReasonCount{}
	err := st.EachRecord(ctx, kind, func(r source.Record) error {
		o.Source++
		m := maps[r.ID]
		if action, done := migrate.Accounted(m); done {
			o.Success++
			good.Rows = append(good.Rows, []string{r.ID, destID(m), recordURL(opts.BaseURL, m), action})
			return nil
		}
		reason := migrate.LossReason(m)
		if by, ok := opts.accepted(migrate.ReasonClass(reason)); ok {
			o.Success++
			o.Accepted++
			countReason(accepted, migrate.ReasonClass(reason), source.Named(r))
			good.Rows = append(good.Rows, []string{r.ID, "", "", "loss accepted (" + by + "): " + reason})
			return nil
		}
		o.Errors++
		countReason(reasons, migrate.ReasonClass(reason), source.Named(r))
		bad.Rows = append(bad.Rows, []string{r.ID, sourceValues(r), reason})
		return nil
	})
	if err != nil {
		return o, fmt.Errorf("outcomes of %s: records: %w", kind, err)
	}
	if err := addExtractRows(ctx, st, opts, &o, &good, &bad, reasons, accepted); err != nil {
		return o, err
	}
	o.Reasons, o.AcceptedReasons = sortedReasons(reasons), sortedReasons(accepted)
	for _, t := range []struct {
		path string
		t    Table
	}{{o.SuccessFile, good}, {o.ErrorFile, bad}} {
		if err := writeTable(t.path, t.t); err != nil {
			return o, err
		}
	}
	return o, nil
}

// addExtractRows adds the rows extraction quarantined (they never became records).
func addExtractRows(ctx context.Context, st store.Store, opts RowOptions, o *Outcome, good, bad *Table, reasons, accepted map[string]*ReasonCount) error {
	items, err := st.QuarantineItems(ctx, o.Kind)
	if err != nil {
		return fmt.Errorf("outcomes of %s: quarantine: %w", o.Kind, err)
	}
	for _, q := range items {
		if migrate.MappingQuarantine(q) {
			continue // the record itself is counted above
		}
		reason := "quarantined at extract (" + location(q) + "): " + q.Reason
		class := migrate.ExtractLossClass(q.Reason)
		o.Source++
		if by, ok := opts.accepted(class); ok {
			o.Success++
			o.Accepted++
			countReason(accepted, class, location(q))
			good.Rows = append(good.Rows, []string{"", "", "", "loss accepted (" + by + "): " + reason})
			continue
		}
		o.Errors++
		countReason(reasons, class, location(q))
		bad.Rows = append(bad.Rows, []string{"", q.Raw, reason})
	}
	return nil
}

// writeTable writes one CSV file readable by its owner only.
func writeTable(path string, t Table) error {
	var b bytes.Buffer
	if err := WriteCSV(&b, t); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, 0o600, b.Bytes())
}

func destID(m store.Mapping) string {
	if m.DestID <= 0 {
		return ""
	}
	return strconv.FormatInt(m.DestID, 10)
}

// recordURL is the Pipedrive web page of an organization, person or deal; other entities
// have no page of their own.
func recordURL(base string, m store.Mapping) string {
	if base == "" || m.DestID <= 0 {
		return ""
	}
	switch m.Entity {
	case "organization", "person", "deal":
		return strings.TrimRight(base, "/") + "/" + m.Entity + "/" + strconv.FormatInt(m.DestID, 10)
	}
	return ""
}

// sourceValues renders a record's fields as one JSON object, keys sorted.
func sourceValues(r source.Record) string {
	data, err := json.Marshal(r.Fields)
	if err != nil {
		return ""
	}
	return string(data)
}

// countReason counts one error (or accepted-loss) row under its reason class and names the
// first few.
func countReason(m map[string]*ReasonCount, class, name string) {
	rc := m[class]
	if rc == nil {
		rc = &ReasonCount{Reason: class}
		m[class] = rc
	}
	rc.Count++
	if len(rc.Named) < NamedShown {
		rc.Named = append(rc.Named, name)
	}
}

func sortedReasons(m map[string]*ReasonCount) []ReasonCount {
	out := make([]ReasonCount, 0, len(m))
	for _, rc := range m {
		out = append(out, *rc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}
