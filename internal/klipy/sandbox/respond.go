package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// apiError is an error answer: Klipy's documented {code, message, details}.
type apiError struct {
	status  int
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// meta is the new generation's meta object.
func (s *Server) meta() []byte {
	b, _ := json.Marshal(map[string]string{
		"request_id":  "req_" + strconv.FormatUint(s.reqSeq.Add(1), 16),
		"api_version": "v1",
		"timestamp":   s.opts.Now().UTC().Format(time.RFC3339),
	})
	return b
}

func (s *Server) write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeObject answers one object (raw JSON) in the generation's envelope.
func (s *Server) writeObject(w http.ResponseWriter, object string, data []byte) {
	var b bytes.Buffer
	if s.opts.API == "old" {
		b.WriteString(`{"success":true,"data":`)
		b.Write(data)
		b.WriteString("}")
	} else {
		fmt.Fprintf(&b, `{"object":%q,"data":`, object)
		b.Write(data)
		b.WriteString(`,"meta":`)
		b.Write(s.meta())
		b.WriteString("}")
	}
	s.write(w, http.StatusOK, b.Bytes())
}

// writeList answers a page of resource ("people", "interactions") in the generation's
// envelope and the configured paging style; next is "" on the last page. The old generation
// puts the list under the resource's name inside data, as its reference shows
// ({success, data: {interactions: […]}}); the new one makes data the array.
func (s *Server) writeList(w http.ResponseWriter, resource string, items [][]byte, next string) {
	var b bytes.Buffer
	cursor := "null"
	if next != "" {
		cursor = strconv.Quote(next)
	}
	more := strconv.FormatBool(next != "")
	style := s.opts.PagingStyle
	nextKey, moreKey := "next_cursor", "has_more"
	if style == "camel" || (style == "in-data" && s.opts.FieldCase == "camel") {
		nextKey, moreKey = "nextCursor", "hasMore"
	}
	paging := fmt.Sprintf(`{%q:%s,%q:%s}`, moreKey, more, nextKey, cursor)
	if style == "cursor-only" {
		paging = fmt.Sprintf(`{%q:%s}`, nextKey, cursor)
	}
	if s.opts.API == "old" {
		b.WriteString(`{"success":true,"data":`)
	} else {
		b.WriteString(`{"object":"list","data":`)
	}
	if s.opts.API == "old" || style == "in-data" {
		fmt.Fprintf(&b, `{%q:`, resource)
		writeArray(&b, items)
		if style == "in-data" {
			fmt.Fprintf(&b, `,%q:%s,%q:%s`, nextKey, cursor, moreKey, more)
		}
		b.WriteString("}")
	} else {
		writeArray(&b, items)
	}
	switch style {
	case "page_info", "cursor-only":
		fmt.Fprintf(&b, `,"page_info":%s`, paging)
	case "camel":
		fmt.Fprintf(&b, `,"pageInfo":%s`, paging)
	}
	if s.opts.API != "old" {
		b.WriteString(`,"meta":`)
		if style == "meta" {
			m := s.meta()
			b.Write(m[:len(m)-1])
			fmt.Fprintf(&b, `,"page_info":%s}`, paging)
		} else {
			b.Write(s.meta())
		}
	} else if style == "meta" {
		fmt.Fprintf(&b, `,"meta":{"page_info":%s}`, paging)
	}
	b.WriteString("}")
	s.write(w, http.StatusOK, b.Bytes())
}

func writeArray(b *bytes.Buffer, items [][]byte) {
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
}

// writeError answers e in the generation's error envelope.
func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	inner, _ := json.Marshal(e)
	var b bytes.Buffer
	if s.opts.API == "old" {
		b.WriteString(`{"success":false,"error":`)
		b.Write(inner)
		b.WriteString("}")
	} else {
		b.WriteString(`{"object":"error","error":`)
		b.Write(inner)
		b.WriteString(`,"meta":`)
		b.Write(s.meta())
		b.WriteString("}")
	}
	s.write(w, e.status, b.Bytes())
}
