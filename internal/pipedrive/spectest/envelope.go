package spectest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
)

// envelopeKeys are the keys Pipedrive's error envelope may carry besides success and error,
// each with the JSON kind it must have: error_info (string), data and additional_data (null),
// code (string, v2 and plan-limit errors) and errorCode (integer, v1 401).
var envelopeKeys = map[string]string{
	"error_info":      "string",
	"data":            "null",
	"additional_data": "null",
	"code":            "string",
	"errorCode":       "integer",
}

// ValidateErrorEnvelope checks an error response body against Pipedrive's error envelope:
// Content-Type application/json; a JSON object with "success" exactly false and "error" a
// non-empty string; optionally error_info (string), data (null), additional_data (null),
// code (string) and errorCode (integer); no other key. Errors wrap ErrErrorEnvelope.
func ValidateErrorEnvelope(header http.Header, body []byte) error {
	if mt, _, err := mime.ParseMediaType(header.Get("Content-Type")); err != nil || mt != "application/json" {
		return fmt.Errorf("%w: content type %q, want application/json", ErrErrorEnvelope, header.Get("Content-Type"))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return fmt.Errorf("%w: body is not a json object: %w", ErrErrorEnvelope, err)
	}
	if string(obj["success"]) != "false" {
		return fmt.Errorf("%w: success is %s, want false", ErrErrorEnvelope, orMissing(obj["success"]))
	}
	var msg string
	if err := json.Unmarshal(obj["error"], &msg); err != nil || msg == "" {
		return fmt.Errorf("%w: error is %s, want a non-empty string", ErrErrorEnvelope, orMissing(obj["error"]))
	}
	for _, k := range sortedKeys(obj) {
		if k == "success" || k == "error" {
			continue
		}
		want, ok := envelopeKeys[k]
		if !ok {
			return fmt.Errorf("%w: unexpected key %q", ErrErrorEnvelope, k)
		}
		if got := jsonKind(obj[k]); got != want {
			return fmt.Errorf("%w: %s is %s, want %s", ErrErrorEnvelope, k, got, want)
		}
	}
	return nil
}

func orMissing(raw json.RawMessage) string {
	if raw == nil {
		return "missing"
	}
	return string(raw)
}

// jsonKind names the kind of a JSON value: null, boolean, string, integer, number, array or
// object.
func jsonKind(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "invalid"
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	default:
		return "object"
	}
}
