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

// writeList answers a page of objects; next is "" on the last page.
func (s *Server) writeList(w http.ResponseWriter, items [][]byte, next string) {
	var b bytes.Buffer
	cursor := "null"
	if next != "" {
		cursor = strconv.Quote(next)
	}
	more := strconv.FormatBool(next != "")
	if s.opts.API == "old" {
		b.WriteString(`{"success":true,"data":{"items":`)
		writeArray(&b, items)
		fmt.Fprintf(&b, `,"nextCursor":%s,"hasMore":%s}}`, cursor, more)
	} else {
		b.WriteString(`{"object":"list","data":`)
		writeArray(&b, items)
		fmt.Fprintf(&b, `,"page_info":{"has_more":%s,"next_cursor":%s},"meta":`, more, cursor)
		b.Write(s.meta())
		b.WriteString("}")
	}
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
