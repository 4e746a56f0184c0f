package sandbox

import (
	"time"
)

// customSpecs maps simple custom field types to the attribute check they need. The lengths
// are addDealField's field_type table in openapi-v2.yaml: varchar and varchar_auto "up to
// 255 characters", text "up to 65k characters", phone "up to 255 numbers and/or characters".
var customSpecs = map[string]attrSpec{
	"varchar": {kind: kString, max: 255}, "varchar_auto": {kind: kString, max: 255}, "text": {kind: kString, max: 65000},
	"phone": {kind: kString, max: 255}, "double": {kind: kNumber}, "date": {kind: kDate},
	"user": {kind: kInt, ref: "users"}, "org": {kind: kInt, ref: "organizations"},
	"people": {kind: kInt, ref: "persons"}, "address": {kind: kAddress},
}

// applyCustom validates the nested custom_fields object of a v2 body. Unknown codes are a
// 400; codes of deleted fields are ignored, as the custom-fields guide describes.
func (s *Server) applyCustom(k *kind, rec *record, v any) *apiError {
	if k.fieldEnt == "" || k.fieldEnt == "activity" {
		return badRequest("Validation failed: Unrecognized key \"custom_fields\" in request body")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return invalid("custom_fields", "object", v)
	}
	if rec.Custom == nil {
		rec.Custom = map[string]any{}
	}
	for code, val := range m {
		f := s.field(k.fieldEnt, code)
		if f == nil || !f.Custom {
			return badRequest("Validation failed: custom_fields: Unknown custom field %q", code)
		}
		if f.Deleted {
			continue
		}
		norm, err := s.checkCustom(f, val)
		if err != nil {
			return err
		}
		rec.Custom[code] = norm
	}
	return nil
}

// checkCustom validates one custom field value by the field's type; null clears.
func (s *Server) checkCustom(f *fieldDef, v any) (any, *apiError) {
	name := "custom_fields." + f.Code
	if v == nil {
		return nil, nil
	}
	if spec, ok := customSpecs[f.Type]; ok {
		val, err := checkValue(name, spec, v)
		if err != nil {
			return nil, err
		}
		if spec.ref != "" && !s.st.refExists(spec.ref, val.(int64)) {
			return nil, badRequest("%s with id %d not found", refName(spec.ref), val.(int64))
		}
		return val, nil
	}
	switch f.Type {
	case "enum":
		id, ok := asInt(v)
		if !ok {
			return nil, invalid(name, "integer", v)
		}
		if optionOf(f, id) == nil {
			return nil, badRequest("Validation failed: %s: Option with id %d does not exist", name, id)
		}
		return id, nil
	case "set":
		return checkSet(name, f, v)
	case "monetary":
		return checkObject(name, v, map[string]attrSpec{"value": {kind: kNumber}, "currency": {kind: kString}}, "value")
	case "daterange":
		return checkObject(name, v, map[string]attrSpec{"value": {kind: kDate}, "until": {kind: kDate}}, "value")
	case "time":
		return checkObject(name, v, map[string]attrSpec{"value": {kind: kClock},
			"timezone_name": {kind: kString}, "timezone_id": {kind: kInt}}, "value")
	case "timerange":
		return checkObject(name, v, map[string]attrSpec{"value": {kind: kClock}, "until": {kind: kClock},
			"timezone_name": {kind: kString}, "timezone_id": {kind: kInt}}, "value")
	}
	return nil, badRequest("Validation failed: %s: field type %s cannot be written", name, f.Type)
}

// checkSet validates a set value: a non-empty array of existing option ids ([] is rejected).
func checkSet(name string, f *fieldDef, v any) (any, *apiError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid(name, "array", v)
	}
	if len(arr) == 0 {
		return nil, badRequest("Validation failed: %s: Array must contain at least 1 element(s); use null to clear", name)
	}
	out := make([]int64, 0, len(arr))
	for _, e := range arr {
		id, ok := asInt(e)
		if !ok {
			return nil, invalid(name+"[]", "integer", e)
		}
		if optionOf(f, id) == nil {
			return nil, badRequest("Validation failed: %s: Option with id %d does not exist", name, id)
		}
		out = append(out, id)
	}
	return out, nil
}

// checkObject validates an object with the given members; req is required.
func checkObject(name string, v any, members map[string]attrSpec, req string) (any, *apiError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(name, "object", v)
	}
	if m[req] == nil {
		return nil, badRequest("Validation failed: %s.%s: Required", name, req)
	}
	out := map[string]any{}
	for k, x := range m {
		spec, ok := members[k]
		if !ok {
			return nil, badRequest("Validation failed: %s: Unrecognized key %q", name, k)
		}
		spec.nullable = true
		val, err := checkValue(name+"."+k, spec, x)
		if err != nil {
			return nil, err
		}
		out[k] = val
	}
	return out, nil
}

// renderCustom returns every live custom field of ent with rec's value (null when unset).
func (s *Server) renderCustom(ent string, rec *record) map[string]any {
	out := map[string]any{}
	for _, f := range s.st.Fields[ent] {
		if !f.Custom || f.Deleted {
			continue
		}
		v := rec.Custom[f.Code]
		if t, ok := v.(time.Time); ok {
			v = fmtV2(t)
		}
		out[f.Code] = v
	}
	return out
}

// field returns the field of ent with code (deleted or not), or nil.
func (s *Server) field(ent, code string) *fieldDef {
	for _, f := range s.st.Fields[ent] {
		if f.Code == code {
			return f
		}
	}
	return nil
}

// findOption returns option id of field code of ent, or nil.
func (s *Server) findOption(ent, code string, id int64) *option {
	f := s.field(ent, code)
	if f == nil {
		return nil
	}
	return optionOf(f, id)
}

// optionOf returns f's option with id, or nil.
func optionOf(f *fieldDef, id int64) *option {
	for _, o := range f.Options {
		if o.ID == id {
			return o
		}
	}
	return nil
}
