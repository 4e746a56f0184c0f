package migrate

import (
	"errors"
	"fmt"
	"strings"

	"ferry/internal/pipedrive"
)

// ErrRefused is wrapped (with ErrUnmappable) when Pipedrive would refuse a create body: the
// request is not sent and the record is quarantined with the rule it breaks.
var ErrRefused = errors.New("Pipedrive would refuse it")

// refusedPrefix starts the id-map reason of a create Pipedrive answered with a 4xx: it is not
// sent again until its request body (the fingerprint) changes.
const refusedPrefix = "refused by Pipedrive: "

// refusal returns why Pipedrive would refuse the create body of entity, "" when nothing
// known refuses it: Pipedrive's documented rules (pipedrive.CreateRefusal: required fields,
// property types, enumerated values, the lengths and shapes of custom field values by their
// type from fields, which may be nil).
func refusal(entity string, body pipedrive.Entity, fields pipedrive.FieldInfo) string {
	return pipedrive.CreateRefusal(entity, body, fields)
}

// fieldInfo returns the name and type of entity's custom fields by field_code, as schema
// setup found or made them.
func (s *Schema) fieldInfo(ent pipedrive.FieldEntity) pipedrive.FieldInfo {
	byCode := map[string]pipedrive.Field{}
	if s != nil {
		for _, f := range s.fields[ent] {
			byCode[f.Code] = f
		}
	}
	return func(code string) (string, string) { return byCode[code].Name, byCode[code].Type }
}

// refusedErr wraps a refusal as an unmappable record.
func refusedErr(why string) error {
	return fmt.Errorf("%w: %w: %s", ErrUnmappable, ErrRefused, why)
}

// clientRefused reports whether a create's error is Pipedrive refusing the request itself (a
// 4xx other than the rate limit, the budget, an edge block or a rejected token): sending the
// same body again would be refused again.
func clientRefused(err error) (*pipedrive.APIError, bool) {
	var ae *pipedrive.APIError
	if !errors.As(err, &ae) || ae.Status < 400 || ae.Status >= 500 || stopsRun(err) {
		return nil, false
	}
	return ae, true
}

// stillRefused reports whether a record Pipedrive refused is about to be sent with the same
// body again: it is not sent.
func stillRefused(fp string, prev string, prevReason string, failed bool) bool {
	return failed && prev != "" && prev == fp && strings.HasPrefix(prevReason, refusedPrefix)
}
