package klipy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
	"ferry/internal/source"
)

// TestExtractEveryVariant extracts the same workspace through every shape the sandbox can
// serve where Klipy's docs leave the shape open (paging style × field case × time format,
// both generations) and requires the one snapshot, equal to the source. Only the "none"
// paging style cannot page: a full first page must stop the walk with an error, not end it.
func TestExtractEveryVariant(t *testing.T) {
	src := synthetic(40, 5)
	const page = 7
	var ref map[string]map[string]string
	n := 0
	for _, api := range []string{"new", "old"} {
		for _, style := range sandbox.PagingStyles {
			for _, fieldCase := range []string{"camel", "snake"} {
				for _, tf := range []string{"ms", "iso"} {
					name := fmt.Sprintf("%s/%s/%s/%s", api, style, fieldCase, tf)
					_, base, key := serve(t, api, src, func(o *sandbox.Options) {
						o.PagingStyle, o.FieldCase, o.TimeFormat = style, fieldCase, tf
					})
					m := newMemStore()
					c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: page})
					st, err := klipy.Extract(context.Background(), c, m, m.emit)
					if style == "none" {
						if !errors.Is(err, klipy.ErrProtocol) || !strings.Contains(err.Error(), "POST /people/query") ||
							!strings.Contains(err.Error(), "full page") {
							t.Errorf("%s: Extract = %v, want a full-page error naming POST /people/query", name, err)
						}
						continue
					}
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					n++
					snap := got(m)
					if ref == nil {
						ref = snap
						if d := cmp.Diff(want(src), projectAll(snap)); d != "" {
							t.Fatalf("%s: snapshot is not the source (-want +got):\n%s", name, d)
						}
						continue
					}
					if d := cmp.Diff(ref, snap); d != "" {
						t.Errorf("%s: snapshot differs from the first variant's (-first +this):\n%s", name, d)
					}
					if st.People != len(src[source.Person]) {
						t.Errorf("%s: %d people, want %d", name, st.People, len(src[source.Person]))
					}
				}
			}
		}
	}
	if n != 2*(len(sandbox.PagingStyles)-1)*2*2 {
		t.Errorf("%d variants extracted", n)
	}
}

func projectAll(snap map[string]map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, f := range snap {
		kind, _, _ := strings.Cut(k, "/")
		out[k] = project(rec(source.Kind(kind), f["id"], f))
	}
	return out
}
