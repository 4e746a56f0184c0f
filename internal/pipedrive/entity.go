package pipedrive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Entity is one Pipedrive record as JSON: v2 bodies nest custom values under "custom_fields".
// Numbers decoded from answers are json.Number, so ids, amounts and 16-decimal doubles keep
// their exact value and are re-sent as numbers.
type Entity map[string]any

// ID returns the integer "id", or 0 when absent or not a number.
func (e Entity) ID() int64 { return toInt(e["id"]) }

// Int returns the integer at key, or 0.
func (e Entity) Int(key string) int64 { return toInt(e[key]) }

// String returns the string at key, or "".
func (e Entity) String(key string) string {
	s, _ := e[key].(string)
	return s
}

// CustomFields returns the "custom_fields" object, creating it when absent.
func (e Entity) CustomFields() map[string]any {
	if cf, ok := e["custom_fields"].(map[string]any); ok {
		return cf
	}
	cf := map[string]any{}
	e["custom_fields"] = cf
	return cf
}

// SetCustom sets the custom field fieldCode to v (v2 shape: nested under custom_fields).
func (e Entity) SetCustom(fieldCode string, v any) Entity {
	e.CustomFields()[fieldCode] = v
	return e
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			f, ferr := n.Float64()
			if ferr != nil {
				return 0
			}
			return int64(f)
		}
		return i
	case float64:
		return int64(n)
	case int64:
		return n
	case int:
		return int64(n)
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

// decodeJSON unmarshals data with json.Number for numbers.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// decodeData decodes the envelope's data of resp into v (numbers as json.Number).
func decodeData(resp *Response, v any) error {
	var p page
	if err := json.Unmarshal(resp.Body, &p); err != nil {
		return fmt.Errorf("pipedrive: %s: decode answer envelope: %w", resp.Template, err)
	}
	if len(p.Data) == 0 || string(p.Data) == "null" {
		return nil
	}
	if err := decodeJSON(p.Data, v); err != nil {
		return fmt.Errorf("pipedrive: %s: decode data: %w", resp.Template, err)
	}
	return nil
}

// V2Time formats t for v2 bodies: RFC 3339 in UTC ("2024-01-01T00:00:00Z").
func V2Time(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// V1Time formats t for v1 bodies such as a note's add_time: "YYYY-MM-DD HH:MM:SS" in UTC.
func V1Time(t time.Time) string { return t.UTC().Format(time.DateTime) }

// Date formats t as "YYYY-MM-DD" (due_date, expected_close_date, date custom fields), in t's
// own location: a date is a calendar day, not an instant.
func Date(t time.Time) string { return t.Format(time.DateOnly) }
