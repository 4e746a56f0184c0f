package migrate

import (
	"context"
	"fmt"
	"sort"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// Warning is advice about one record that moved anyway: a reference (an email, a company
// name or domain) that names no record, or several, so the record was created without that
// link. The run's Report lists them; a record's warnings are reported when it is created.
type Warning struct {
	Kind     source.Kind `json:"kind"`
	SourceID string      `json:"source_id"`
	Name     string      `json:"name,omitempty"` // the record by name and id (NamedRecord)
	Message  string      `json:"message"`        // names the field and the value
}

// String renders "kind name (id): message" (the id alone when the record has no name).
func (w Warning) String() string {
	name := w.Name
	if name == "" {
		name = w.SourceID
	}
	return fmt.Sprintf("%s %s: %s", w.Kind, name, w.Message)
}

// WarningMapper is a Mapper that also reports a record's warnings (FileMapper does). The
// engine prefers it over Payload.
type WarningMapper interface {
	Mapper
	// PayloadWarnings is Payload plus the warnings of a body it returns.
	PayloadWarnings(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, []string, error)
}

// payload asks the mapper for a record's body and its warnings.
func (e *Engine) payload(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, []string, error) {
	if wm, ok := e.mapper.(WarningMapper); ok {
		return wm.PayloadWarnings(kind, rec, refs)
	}
	body, err := e.mapper.Payload(kind, rec, refs)
	return body, nil, err
}

// warn records warnings of a record of kind, naming the record.
func (e *Engine) warn(ctx context.Context, kind source.Kind, id string, msgs []string) {
	if len(msgs) == 0 {
		return
	}
	name := NamedRecord(ctx, e.store, kind, id)
	e.warnMu.Lock()
	defer e.warnMu.Unlock()
	for _, m := range msgs {
		e.warnings = append(e.warnings, Warning{Kind: kind, SourceID: id, Name: name, Message: m})
	}
}

// takeWarnings returns the warnings recorded so far in source order (kind, id, message).
func (e *Engine) takeWarnings() []Warning {
	e.warnMu.Lock()
	defer e.warnMu.Unlock()
	out := append([]Warning(nil), e.warnings...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].SourceID < out[j].SourceID
	})
	return out
}
