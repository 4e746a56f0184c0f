package klipy

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// envelope is the union of both generations' top-level shapes (NOTES.md §3): new
// {object, data, meta, page_info}, old {success, data}, errors {code, message, details} either
// under "error" or at the top, and the old /authenticate answer {team_name}.
type envelope struct {
	Object   string          `json:"object"`
	Data     json.RawMessage `json:"data"`
	Meta     *meta           `json:"meta"`
	PageInfo *pageInfo       `json:"page_info"`
	Success  *bool           `json:"success"`
	Error    json.RawMessage `json:"error"`
	apiErrorBody
	TeamName string `json:"team_name"`
}

type meta struct {
	RequestID  string    `json:"request_id"`
	APIVersion string    `json:"api_version"`
	Timestamp  string    `json:"timestamp"`
	PageInfo   *pageInfo `json:"page_info"`
}

// pageInfo is the cursor of a list. The snake_case names are the new generation's; the
// camelCase ones are accepted because the old reference uses camelCase for everything else.
type pageInfo struct {
	NextCursor  *string `json:"next_cursor"`
	NextCursorC *string `json:"nextCursor"`
	Cursor      *string `json:"cursor"`
	HasMore     *bool   `json:"has_more"`
	HasMoreC    *bool   `json:"hasMore"`
}

// apiErrorBody is Klipy's documented error object.
type apiErrorBody struct {
	Code    flexString      `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
}

// oldList is the old generation's list data: {items|records|data: [...], nextCursor, hasMore}.
type oldList struct {
	Items   []json.RawMessage `json:"items"`
	Records []json.RawMessage `json:"records"`
	Data    []json.RawMessage `json:"data"`
	pageInfo
	PageInfo *pageInfo `json:"page_info"`
}

// list is one decoded page of raw objects.
type list struct {
	Items   []json.RawMessage
	Next    string
	HasMore bool
}

// decodeEnvelope parses a 2xx body of generation g and returns it, or an error wrapping
// ErrProtocol when it is not g's envelope or reports a failure.
func decodeEnvelope(g Generation, body []byte) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, fmt.Errorf("%w: body is not a JSON object: %v", ErrProtocol, err)
	}
	switch g {
	case GenNew:
		if env.Object == "error" {
			return env, fmt.Errorf("%w: error envelope with a success status", ErrProtocol)
		}
		if env.Object == "" || len(env.Data) == 0 {
			return env, fmt.Errorf("%w: want the {object, data, meta} envelope of the current api", ErrProtocol)
		}
	case GenOld:
		if env.Success == nil || len(env.Data) == 0 {
			return env, fmt.Errorf("%w: want the {success, data} envelope of the old api", ErrProtocol)
		}
		if !*env.Success {
			return env, fmt.Errorf("%w: success is false with a success status", ErrProtocol)
		}
	}
	return env, nil
}

// decodeList extracts the items and the cursor of a list envelope.
func decodeList(g Generation, env envelope) (list, error) {
	var l list
	var pi *pageInfo
	data := bytes.TrimSpace(env.Data)
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &l.Items); err != nil {
			return l, fmt.Errorf("%w: list data: %v", ErrProtocol, err)
		}
		pi = env.PageInfo
		if pi == nil && env.Meta != nil {
			pi = env.Meta.PageInfo
		}
	case g == GenOld && len(data) > 0 && data[0] == '{':
		var ol oldList
		if err := json.Unmarshal(data, &ol); err != nil {
			return l, fmt.Errorf("%w: list data: %v", ErrProtocol, err)
		}
		l.Items = firstNonNil(ol.Items, ol.Records, ol.Data)
		pi = &ol.pageInfo
		if ol.PageInfo != nil {
			pi = ol.PageInfo
		}
	default:
		return l, fmt.Errorf("%w: list data must be an array", ErrProtocol)
	}
	if pi != nil {
		l.Next, l.HasMore = pi.next()
	}
	if l.HasMore && l.Next == "" {
		return l, fmt.Errorf("%w: page_info says has_more but gives no next_cursor", ErrProtocol)
	}
	return l, nil
}

func firstNonNil(xs ...[]json.RawMessage) []json.RawMessage {
	for _, x := range xs {
		if x != nil {
			return x
		}
	}
	return nil
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

// UnmarshalJSON accepts a string, a number or null.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
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
