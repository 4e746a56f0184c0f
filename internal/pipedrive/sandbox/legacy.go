package sandbox

import (
	"strconv"
	"time"
)

// v1Renames maps v2 attribute names to their legacy v1 names, per collection.
var v1Renames = map[string]map[string]string{
	"persons":    {"emails": "email", "phones": "phone"},
	"deals":      {"owner_id": "user_id"},
	"activities": {"owner_id": "user_id", "busy": "busy_flag", "creator_user_id": "created_by_user_id"},
}

// v1Times are the timestamp attributes converted to "YYYY-MM-DD HH:MM:SS".
var v1Times = []string{"add_time", "update_time", "won_time", "lost_time", "close_time", "stage_change_time",
	"marked_as_done_time", "archive_time"}

// legacyV1 turns a v2 rendering of a record into the legacy v1 shape (as /v1/recents returns
// it): v1 names, v1 timestamps, active_flag instead of is_deleted, visible_to as a string,
// flat addresses and custom fields at the top level.
func legacyV1(coll string, v2 map[string]any) map[string]any {
	out := make(map[string]any, len(v2))
	for k, v := range v2 {
		if to, ok := v1Renames[coll][k]; ok {
			k = to
		}
		out[k] = v
	}
	for _, k := range v1Times {
		if s, ok := out[k].(string); ok {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				out[k] = t.UTC().Format(v1TimeFmt)
			}
		}
	}
	if d, ok := out["is_deleted"].(bool); ok {
		out["active_flag"] = !d
		delete(out, "is_deleted")
	}
	if vt, ok := asInt(out["visible_to"]); ok {
		out["visible_to"] = strconv.FormatInt(vt, 10)
	}
	if pic, ok := asInt(out["picture_id"]); ok {
		out["picture_id"] = map[string]any{"id": pic}
	}
	for _, k := range []string{"address", "location", "postal_address"} {
		flattenAddress(out, k)
	}
	if cf, ok := out["custom_fields"].(map[string]any); ok {
		for code, v := range cf {
			flattenCustom(out, code, v)
		}
		delete(out, "custom_fields")
	}
	return out
}

// flattenAddress replaces an address object with its value plus key_<part> attributes.
func flattenAddress(out map[string]any, key string) {
	m, ok := out[key].(map[string]any)
	if !ok {
		return
	}
	out[key] = m["value"]
	for part, v := range m {
		if part != "value" && v != nil {
			out[key+"_"+part] = v
		}
	}
}

// flattenCustom writes a v2 custom value the v1 way: objects become key + key_<sub>, sets
// become comma-separated ids.
func flattenCustom(out map[string]any, code string, v any) {
	switch x := v.(type) {
	case map[string]any:
		out[code] = x["value"]
		for sub, sv := range x {
			if sub != "value" {
				out[code+"_"+sub] = sv
			}
		}
	case []int64:
		s := ""
		for i, id := range x {
			if i > 0 {
				s += ","
			}
			s += strconv.FormatInt(id, 10)
		}
		out[code] = s
	default:
		out[code] = v
	}
}
