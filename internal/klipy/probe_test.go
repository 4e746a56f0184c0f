package klipy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy"
)

func TestProbe(t *testing.T) {
	for _, tc := range []struct {
		api    string
		src    memSource
		scopes []string
		want   map[string]bool
	}{
		{"new", synthetic(10, 3), nil, map[string]bool{"people": true, "interactions": true, "companies": true}},
		{"old", memSource{}, []string{klipy.ScopeAll}, map[string]bool{"people": true, "interactions": true, "companies": true}},
		{"new", synthetic(10, 3), []string{klipy.ScopePeopleRead}, map[string]bool{"people": true, "interactions": false, "companies": false}},
		{"old", synthetic(10, 3), []string{klipy.ScopeCompaniesRead, klipy.ScopeInteractionsRead},
			map[string]bool{"people": false, "interactions": true, "companies": true}},
	} {
		_, base, key := serve(t, tc.api, tc.src, nil, tc.scopes...)
		c := newClient(t, klipy.Config{BaseURL: base, APIKey: key})
		a, acc, err := c.Probe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, x := range acc {
			got[x.Resource] = x.OK
			if !x.OK && !errors.Is(x.Err, klipy.ErrForbidden) {
				t.Errorf("%s %v: %s: %v, want ErrForbidden", tc.api, tc.scopes, x.Resource, x.Err)
			}
		}
		if d := cmp.Diff(tc.want, got); d != "" || string(a.Generation) != tc.api {
			t.Errorf("%s %v: generation %s, access (-want +got):\n%s", tc.api, tc.scopes, a.Generation, d)
		}
	}
}
