// Package compare is ferry's one comparison of what was sent (or intended) with what
// Pipedrive holds, shared by ferry run --sample, ferry verify and ferry delta: CompareBody
// compares a request body with a record read back field by field, with the equivalences
// Pipedrive's storage calls for (Same): e-mails lower-cased, phones by digits, numbers by
// value, instants by instant across RFC 3339 and "YYYY-MM-DD HH:MM:SS", HTML by its text,
// option and label ids as sets, custom fields nested under custom_fields.
//
// comparetest holds the table of cases every caller must agree on.
package compare

// ID reads a Pipedrive id from a number, a numeric string or a {"value": id} object (0 when
// none).
func ID(v any) int64 { return asID(v) }
