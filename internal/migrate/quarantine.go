package migrate

import (
	"context"
	"strconv"
	"strings"

	"ferry/internal/source"
	"ferry/internal/store"
)

// quarantinePrefix starts the id-map reason of a record quarantined by the engine (state
// skipped); reconciliation counts those as quarantined, other skipped rows as skipped by rule.
const quarantinePrefix = "quarantined: "

// mappingReasonPrefix starts the reason of the quarantine items the engine writes, which
// tells them from the rows extraction quarantined (those never became records).
const mappingReasonPrefix = "mapping: "

// quarantine records that rec cannot be mapped: a quarantine item with file and line from
// the record's origin, and the id-map row skipped with the reason. A record quarantined
// again for the same reason is not listed twice.
func (e *Engine) quarantine(ctx context.Context, m store.Mapping, rec source.Record, cause error) error {
	reason := quarantinePrefix + cause.Error()
	if m.State == store.Skipped && m.Reason == reason {
		return nil
	}
	file, line := splitOrigin(rec.Origin)
	item := store.QuarantineItem{Kind: rec.Kind, File: file, Line: line, Reason: mappingReasonPrefix + cause.Error(),
		Raw: "klipy id " + rec.ID}
	if err := e.store.Quarantine(ctx, item); err != nil {
		return err
	}
	return e.settle(ctx, m, store.Skipped, reason)
}

// splitOrigin reads "people.csv:12" as file and line; other origins are the file.
func splitOrigin(origin string) (string, int) {
	if origin == "" {
		return "(unknown origin)", 0
	}
	i := strings.LastIndex(origin, ":")
	if i < 0 {
		return origin, 0
	}
	n, err := strconv.Atoi(origin[i+1:])
	if err != nil {
		return origin, 0
	}
	return origin[:i], n
}
