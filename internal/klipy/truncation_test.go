package klipy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ferry/internal/klipy"
)

// TestNeverTruncatesSilently serves answers the client cannot fully understand and requires
// an error naming the endpoint and what was seen, never a short extraction.
func TestNeverTruncatesSilently(t *testing.T) {
	page := func(n int) string {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf(`{"id":"p%d","email":"p%d@x.io"}`, i, i)
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	const meta = `"meta":{"request_id":"r","api_version":"1","timestamp":"2026-01-01T00:00:00Z"}`
	for _, tc := range []struct {
		name, body string
		want       []string // in the error
	}{
		{"unknown paging field on a full page", `{"object":"list","data":` + page(5) + `,"pagination":{"after":"x"},` + meta + `}`,
			[]string{"POST /people/query", "full page", "pagination"}},
		{"unknown envelope", `{"results":` + page(2) + `}`,
			[]string{"POST /people/query", "envelope", "results"}},
		{"list under an unknown name", `{"object":"list","data":{"contacts":` + page(2) + `},` + meta + `}`,
			[]string{"POST /people/query", "contacts"}},
		{"person without anything to know them by", `{"object":"list","data":[{"id":"p1","nickname":"z"}],"page_info":{"has_more":false},` + meta + `}`,
			[]string{"/people/query", "p1", "nickname"}},
		{"record without id", `{"object":"list","data":[{"email":"a@b.c"}],"page_info":{"has_more":false},` + meta + `}`,
			[]string{"/people/query", "no id", "email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			c := newClient(t, klipy.Config{BaseURL: srv.URL, APIKey: "klipy_api_x", Generation: klipy.GenNew, PageSize: 5})
			m := newMemStore()
			st, err := klipy.Extract(context.Background(), c, m, m.emit)
			if !errors.Is(err, klipy.ErrProtocol) {
				t.Fatalf("Extract = %+v, %v; want an ErrProtocol error", st, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}
