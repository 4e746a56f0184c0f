package spectest

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// ErrTimeFormat: an add_time or update_time in a v2 response is not RFC 3339.
var ErrTimeFormat = errors.New("v2 timestamp not in rfc 3339")

// The documents give most add_time/update_time properties no format, so the harness adds one
// check of its own, from the v2 migration guide: v2 answers RFC 3339 ("2024-01-01T00:00:00Z",
// fractions allowed). Products are exempt (their documented image example gives a date), and
// v1 is not checked: its own examples mix "YYYY-MM-DD HH:MM:SS" (notes, fields, activity
// types) with RFC 3339 (leads, lead labels, comments).
var v2Time = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// timeKeys are the properties checked, wherever they appear in a response body.
var timeKeys = map[string]bool{"add_time": true, "update_time": true}

// checkTimes reports every add_time/update_time string in a v2 JSON body that is not
// RFC 3339. Null values, non-JSON bodies, v1 and products are not checked.
func checkTimes(m *Match, header http.Header, body []byte) error {
	if m.Doc.Prefix != "/api/v2" || strings.HasPrefix(m.Template, "/api/v2/products") {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var bad []string
	walkJSON(v, "", func(path, key string, val any) {
		if s, ok := val.(string); ok && timeKeys[key] && !v2Time.MatchString(s) {
			bad = append(bad, fmt.Sprintf("%s=%q", path, s))
		}
	})
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("%w: %v", ErrTimeFormat, bad)
}

func walkJSON(v any, path string, f func(path, key string, val any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			f(path+"/"+k, k, val)
			walkJSON(val, path+"/"+k, f)
		}
	case []any:
		for i, val := range x {
			walkJSON(val, fmt.Sprintf("%s/%d", path, i), f)
		}
	}
}
