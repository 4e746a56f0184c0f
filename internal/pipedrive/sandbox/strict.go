package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"
)

// attrKind is the JSON type a v2 body attribute must have.
type attrKind int

const (
	kString attrKind = iota
	kInt
	kNumber
	kBool
	kTime     // RFC 3339
	kDate     // YYYY-MM-DD
	kClock    // HH:MM or HH:MM:SS
	kIntList  // [int]
	kContacts // [{value, primary, label}]
	kAddress  // {value, route, ...}
	kObjects  // [object], passed through
)

// attrSpec describes one writable v2 attribute.
type attrSpec struct {
	kind     attrKind
	nullable bool
	ref      string   // entity collection an integer must name ("users", "organizations", ...)
	enum     []string // allowed string values
	ints     []int64  // allowed integer values
	create   bool     // writable on create only
	max      int      // the most characters a string may have (0: no documented limit)
}

var (
	clockRe   = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$`)
	addrParts = []string{"value", "country", "admin_area_level_1", "admin_area_level_2", "locality",
		"sublocality", "route", "street_number", "subpremise", "postal_code"}
)

// decodeBody decodes a JSON object body keeping numbers exact; anything else is a 400.
func decodeBody(r *http.Request) (map[string]any, *apiError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return nil, badRequest("could not read request body")
	}
	var body map[string]any
	if err := decodeJSON(raw, &body); err != nil || body == nil {
		return nil, badRequest("Invalid JSON body: expected an object")
	}
	return body, nil
}

// decodeJSON unmarshals raw with UseNumber and rejects trailing data.
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// typeName names the JSON type of v for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// invalid is the 400 for a type mismatch of one attribute.
func invalid(name, want string, v any) *apiError {
	return badRequest("Validation failed: %s: Expected %s, received %s", name, want, typeName(v))
}

// asInt returns v as an integer when it is an integral JSON number (or a stored int).
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 64)
		return i, err == nil
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), float64(int64(n)) == n
	}
	return 0, false
}

// asFloat returns v as a float when it is a JSON number.
func asFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// checkValue validates v against spec and returns the normalized stored value.
func checkValue(name string, spec attrSpec, v any) (any, *apiError) {
	if v == nil {
		if spec.nullable {
			return nil, nil
		}
		return nil, invalid(name, expected(spec.kind), v)
	}
	return checkers[spec.kind](name, spec, v)
}

// checkers validate a non-null value of each kind.
var checkers map[attrKind]func(name string, spec attrSpec, v any) (any, *apiError)

func init() {
	checkers = map[attrKind]func(string, attrSpec, any) (any, *apiError){
		kString: checkString, kInt: checkInt, kNumber: checkNumber, kBool: checkBool,
		kTime:     func(name string, _ attrSpec, v any) (any, *apiError) { return checkTime(name, v) },
		kDate:     checkDate,
		kClock:    checkClock,
		kIntList:  func(name string, _ attrSpec, v any) (any, *apiError) { return checkIntList(name, v) },
		kContacts: func(name string, _ attrSpec, v any) (any, *apiError) { return checkContacts(name, v) },
		kAddress:  func(name string, _ attrSpec, v any) (any, *apiError) { return checkAddress(name, v) },
		kObjects:  checkObjects,
	}
}

func checkString(name string, spec attrSpec, v any) (any, *apiError) {
	s, ok := v.(string)
	if !ok {
		return nil, invalid(name, "string", v)
	}
	if len(spec.enum) > 0 && !containsStr(spec.enum, s) {
		return nil, badRequest("Validation failed: %s: Invalid enum value %q", name, s)
	}
	if spec.max > 0 && utf8.RuneCountInString(s) > spec.max {
		return nil, badRequest("Validation failed: %s: String must contain at most %d character(s)", name, spec.max)
	}
	return s, nil
}

func checkInt(name string, spec attrSpec, v any) (any, *apiError) {
	i, ok := asInt(v)
	if !ok {
		return nil, invalid(name, "integer", v)
	}
	if len(spec.ints) > 0 && !containsInt(spec.ints, i) {
		return nil, badRequest("Validation failed: %s: Invalid value %d", name, i)
	}
	return i, nil
}

func checkNumber(name string, _ attrSpec, v any) (any, *apiError) {
	f, ok := asFloat(v)
	if !ok {
		return nil, invalid(name, "number", v)
	}
	return f, nil
}

func checkBool(name string, _ attrSpec, v any) (any, *apiError) {
	b, ok := v.(bool)
	if !ok {
		return nil, invalid(name, "boolean", v)
	}
	return b, nil
}

func checkDate(name string, _ attrSpec, v any) (any, *apiError) {
	s, ok := v.(string)
	if _, err := time.Parse(dateFmt, s); !ok || err != nil {
		return nil, badRequest("Validation failed: %s: Expected date in YYYY-MM-DD format", name)
	}
	return s, nil
}

func checkClock(name string, _ attrSpec, v any) (any, *apiError) {
	s, ok := v.(string)
	if !ok || !clockRe.MatchString(s) {
		return nil, badRequest("Validation failed: %s: Expected time in HH:MM or HH:MM:SS format", name)
	}
	return s, nil
}

func checkObjects(name string, _ attrSpec, v any) (any, *apiError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid(name, "array", v)
	}
	return arr, nil
}

func expected(k attrKind) string {
	switch k {
	case kInt:
		return "integer"
	case kNumber:
		return "number"
	case kBool:
		return "boolean"
	case kIntList, kContacts, kObjects:
		return "array"
	case kAddress:
		return "object"
	}
	return "string"
}

// checkTime accepts only RFC 3339 strings and stores them as UTC time.Time.
func checkTime(name string, v any) (any, *apiError) {
	s, ok := v.(string)
	if !ok {
		return nil, invalid(name, "string", v)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, badRequest("Validation failed: %s: Invalid datetime, expected RFC 3339 (e.g. 2024-01-01T00:00:00Z)", name)
	}
	return t.UTC(), nil
}

// checkIntList validates an array of integers.
func checkIntList(name string, v any) (any, *apiError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid(name, "array", v)
	}
	out := make([]int64, 0, len(arr))
	for _, e := range arr {
		i, ok := asInt(e)
		if !ok {
			return nil, invalid(name+"[]", "integer", e)
		}
		out = append(out, i)
	}
	return out, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsInt(list []int64, i int64) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}
