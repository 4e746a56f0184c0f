package klipy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// envelope is the union of both generations' top-level shapes (NOTES.md §3): new
// {object, data, meta, page_info}, old {success, data}, errors {code, message, details} either
// under "error" or at the top, and the old /authenticate answer {team_name}.
type envelope struct {
	Object    string          `json:"object"`
	Data      json.RawMessage `json:"data"`
	Meta      *meta           `json:"meta"`
	PageInfo  *pageInfo       `json:"page_info"`
	PageInfoC *pageInfo       `json:"pageInfo"`
	Success   *bool           `json:"success"`
	Error     json.RawMessage `json:"error"`
	apiErrorBody
	TeamName string `json:"team_name"`

	keys []string // the top-level keys, for error messages
}

type meta struct {
	RequestID  string    `json:"request_id"`
	APIVersion string    `json:"api_version"`
	Timestamp  string    `json:"timestamp"`
	PageInfo   *pageInfo `json:"page_info"`
	PageInfoC  *pageInfo `json:"pageInfo"`
}

// pageInfo is the cursor of a list. Klipy documents only that the new generation pages "via
// page_info (cursor-based)" (https://klipy.ai/docs/api/introduction) and shows no paging at
// all for the old one, so both spellings of the usual names are read: next_cursor /
// nextCursor / cursor and has_more / hasMore.
type pageInfo struct {
	NextCursor  *string `json:"next_cursor"`
	NextCursorC *string `json:"nextCursor"`
	Cursor      *string `json:"cursor"`
	HasMore     *bool   `json:"has_more"`
	HasMoreC    *bool   `json:"hasMore"`
}

// present reports whether any paging field was given (even null or false).
func (p *pageInfo) present() bool {
	return p != nil && (p.NextCursor != nil || p.NextCursorC != nil || p.Cursor != nil || p.HasMore != nil || p.HasMoreC != nil)
}

// apiErrorBody is Klipy's documented error object.
type apiErrorBody struct {
	Code    flexString      `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
}

// list is one decoded page of raw objects.
type list struct {
	Items   []json.RawMessage
	Next    string
	HasMore bool
	Paged   bool     // the answer carried paging fields the client knows
	Seen    []string // where the items and keys were found, for error messages
}

// decodeEnvelope parses a 2xx body of generation g and returns it, or an error wrapping
// ErrProtocol, naming the keys it saw, when it is not g's envelope or reports a failure.
func decodeEnvelope(g Generation, body []byte) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, fmt.Errorf("%w: body is not a JSON object: %v (starts %q)", ErrProtocol, err, snippet(body))
	}
	var top map[string]json.RawMessage
	_ = json.Unmarshal(body, &top)
	env.keys = sortedKeys(top)
	switch g {
	case GenNew:
		if env.Object == "error" {
			return env, fmt.Errorf("%w: error envelope with a success status", ErrProtocol)
		}
		if env.Object == "" || len(env.Data) == 0 {
			return env, fmt.Errorf("%w: want the {object, data, meta} envelope of the current api, got keys %v", ErrProtocol, env.keys)
		}
	case GenOld:
		if env.Success == nil || len(env.Data) == 0 {
			return env, fmt.Errorf("%w: want the {success, data} envelope of the old api, got keys %v", ErrProtocol, env.keys)
		}
		if !*env.Success {
			return env, fmt.Errorf("%w: success is false with a success status", ErrProtocol)
		}
	}
	return env, nil
}

// listKeys are the names a list's array may have inside a data object, after the resource's
// own name (the old reference's {data: {interactions: […]}}).
var listKeys = []string{"items", "records", "results", "data"}

// decodeList extracts the items and the cursor of a list envelope of resource ("people",
// "interactions"). The items are data itself when it is an array, else the array under the
// resource's name or one of listKeys in the data object; any other shape is an error naming
// the keys seen. The cursor is read from page_info / pageInfo at the top, in meta or in the
// data object, or from next_cursor / has_more (either case) in the data object.
func decodeList(g Generation, env envelope, resource string) (list, error) {
	var l list
	pis := []*pageInfo{env.PageInfo, env.PageInfoC}
	if env.Meta != nil {
		pis = append(pis, env.Meta.PageInfo, env.Meta.PageInfoC)
	}
	data := bytes.TrimSpace(env.Data)
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &l.Items); err != nil {
			return l, fmt.Errorf("%w: list data: %v", ErrProtocol, err)
		}
		l.Seen = append(l.Seen, "data[]", fmt.Sprintf("top-level keys %v", env.keys))
	case len(data) > 0 && data[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return l, fmt.Errorf("%w: list data: %v", ErrProtocol, err)
		}
		found := ""
		for _, k := range append([]string{resource}, listKeys...) {
			if raw, ok := obj[k]; ok {
				if err := json.Unmarshal(raw, &l.Items); err != nil {
					return l, fmt.Errorf("%w: list data.%s is not an array: %v", ErrProtocol, k, err)
				}
				found = k
				break
			}
		}
		if found == "" {
			return l, fmt.Errorf("%w: list data holds none of %s, %s: keys seen in data %v",
				ErrProtocol, resource, strings.Join(listKeys, ", "), sortedKeys(obj))
		}
		var in struct {
			pageInfo
			PageInfo  *pageInfo `json:"page_info"`
			PageInfoC *pageInfo `json:"pageInfo"`
		}
		if err := json.Unmarshal(data, &in); err != nil {
			return l, fmt.Errorf("%w: paging fields of list data: %v", ErrProtocol, err)
		}
		pis = append(pis, &in.pageInfo, in.PageInfo, in.PageInfoC)
		l.Seen = append(l.Seen, "data."+found+"[]", fmt.Sprintf("top-level keys %v", env.keys), fmt.Sprintf("data keys %v", sortedKeys(obj)))
	default:
		return l, fmt.Errorf("%w: list data is neither an array nor an object (top-level keys %v)", ErrProtocol, env.keys)
	}
	if l.Items == nil {
		l.Items = []json.RawMessage{}
	}
	for _, pi := range pis {
		if pi.present() {
			l.Paged = true
			l.Next, l.HasMore = pi.next()
			break
		}
	}
	if l.HasMore && l.Next == "" {
		return l, fmt.Errorf("%w: page_info says has_more but gives no next_cursor", ErrProtocol)
	}
	return l, nil
}

// next returns the next cursor and whether there is a next page.
func (p pageInfo) next() (string, bool) {
	var next string
	for _, c := range []*string{p.NextCursor, p.NextCursorC, p.Cursor} {
		if c != nil && *c != "" {
			next = *c
			break
		}
	}
	for _, h := range []*bool{p.HasMore, p.HasMoreC} {
		if h != nil {
			return next, *h
		}
	}
	return next, next != ""
}

// errorBody finds {code, message, details} in an error answer of either generation.
func errorBody(body []byte) (apiErrorBody, string) {
	var env envelope
	if json.Unmarshal(body, &env) != nil {
		return apiErrorBody{Message: snippet(body)}, ""
	}
	var rid string
	if env.Meta != nil {
		rid = env.Meta.RequestID
	}
	var inner apiErrorBody
	if len(env.Error) > 0 && json.Unmarshal(env.Error, &inner) == nil && (inner.Code != "" || inner.Message != "") {
		return inner, rid
	}
	if len(env.Error) > 0 {
		var s string
		if json.Unmarshal(env.Error, &s) == nil && s != "" {
			return apiErrorBody{Code: env.Code, Message: s}, rid
		}
	}
	if len(env.Data) > 0 && json.Unmarshal(env.Data, &inner) == nil && (inner.Code != "" || inner.Message != "") {
		return inner, rid
	}
	return env.apiErrorBody, rid
}

// snippet is the start of a body that is not JSON, for an error message.
func snippet(body []byte) string {
	const n = 200
	s := string(bytes.ToValidUTF8(bytes.TrimSpace(body), []byte("?")))
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// flexString decodes a JSON string or number (ids may be either) as a string; null is "".
type flexString string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*f = flexString(b)
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, got %s", snippet(b))
		}
		*f = flexString(n.String())
	}
	return nil
}
