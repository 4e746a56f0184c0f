package klipy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
	"ferry/internal/source"
)

func TestExtractEveryRecordOnce(t *testing.T) {
	src := synthetic(230, 17)
	for _, tc := range []struct {
		api    string
		gen    klipy.Generation
		bearer bool
		page   int
	}{
		{"new", klipy.GenAuto, false, 0},
		{"new", klipy.GenNew, true, 7},
		{"old", klipy.GenAuto, false, 0},
		{"old", klipy.GenOld, false, 1},
	} {
		t.Run(tc.api+"/"+string(tc.gen), func(t *testing.T) {
			_, base, key := serve(t, tc.api, src, nil)
			c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, Generation: tc.gen, Bearer: tc.bearer, PageSize: tc.page})
			m := newMemStore()
			st, err := klipy.Extract(context.Background(), c, m, m.emit)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want(src), got(m)); d != "" {
				t.Errorf("extracted records (-want +got):\n%s", d)
			}
			if m.emitted != len(m.records) {
				t.Errorf("emitted %d records for %d distinct ones; want each once", m.emitted, len(m.records))
			}
			if d := cmp.Diff([]string{"cmp_gone"}, st.MissingCompanies); d != "" {
				t.Errorf("missing companies (-want +got):\n%s", d)
			}
			for _, r := range m.records {
				if r.Channel != source.API || !strings.HasPrefix(r.Origin, "api:/") {
					t.Fatalf("record %s/%s: channel %q origin %q; want api, api:/…", r.Kind, r.ID, r.Channel, r.Origin)
				}
			}
		})
	}
}

func TestAuthenticateDetectsGeneration(t *testing.T) {
	for _, tc := range []struct {
		api        string
		configured klipy.Generation
		want       klipy.Generation
		wantErr    error
	}{
		{"new", klipy.GenAuto, klipy.GenNew, nil},
		{"old", klipy.GenAuto, klipy.GenOld, nil},
		{"new", klipy.GenNew, klipy.GenNew, nil},
		{"old", klipy.GenOld, klipy.GenOld, nil},
		{"new", klipy.GenOld, "", klipy.ErrProtocol},
		{"old", klipy.GenNew, "", klipy.ErrProtocol},
	} {
		t.Run(tc.api+"/"+string(tc.configured), func(t *testing.T) {
			_, base, key := serve(t, tc.api, memSource{}, func(o *sandbox.Options) { o.TeamName = "Acme Sales" })
			c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, Generation: tc.configured})
			a, err := c.Authenticate(context.Background())
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Authenticate: error %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if a.Generation != tc.want || a.TeamName != "Acme Sales" {
				t.Errorf("Authenticate = %+v, want generation %s and team Acme Sales", a, tc.want)
			}
		})
	}
}

func TestBadKeyIsUnauthorized(t *testing.T) {
	for _, api := range []string{"new", "old"} {
		t.Run(api, func(t *testing.T) {
			_, base, _ := serve(t, api, memSource{}, nil)
			wrong := sandbox.NewKey(api)
			c := newClient(t, klipy.Config{BaseURL: base, APIKey: wrong, Generation: klipy.Generation(api)})
			_, err := c.QueryPeople(context.Background(), "")
			if !errors.Is(err, klipy.ErrUnauthorized) {
				t.Fatalf("QueryPeople with an unknown key: %v, want ErrUnauthorized", err)
			}
			if !strings.Contains(err.Error(), "KLIPY_API_KEY") {
				t.Errorf("error %q does not say which setting to check", err)
			}
			mustNotContain(t, "error", err.Error(), wrong)
		})
	}
}

func TestMissingScopeNamesIt(t *testing.T) {
	src := synthetic(10, 3)
	for _, tc := range []struct {
		scopes []string
		call   func(*klipy.Client) error
		scope  string
	}{
		{[]string{klipy.ScopePeopleRead}, func(c *klipy.Client) error {
			_, err := c.QueryInteractions(context.Background(), "", nil)
			return err
		}, klipy.ScopeInteractionsRead},
		{[]string{klipy.ScopePeopleRead, klipy.ScopeInteractionsRead}, func(c *klipy.Client) error {
			_, err := c.GetCompany(context.Background(), "cmp_000")
			return err
		}, klipy.ScopeCompaniesRead},
		{[]string{klipy.ScopeCompaniesRead}, func(c *klipy.Client) error {
			_, err := c.QueryPeople(context.Background(), "")
			return err
		}, klipy.ScopePeopleRead},
	} {
		for _, api := range []string{"new", "old"} {
			t.Run(api+"/"+tc.scope, func(t *testing.T) {
				_, base, key := serve(t, api, src, nil, tc.scopes...)
				c := newClient(t, klipy.Config{BaseURL: base, APIKey: key})
				err := tc.call(c)
				var ae *klipy.APIError
				if !errors.Is(err, klipy.ErrForbidden) || !errors.As(err, &ae) {
					t.Fatalf("error %v, want an APIError wrapping ErrForbidden", err)
				}
				if ae.Scope != tc.scope || !strings.Contains(err.Error(), `"`+tc.scope+`"`) {
					t.Errorf("error %q (scope %q) does not name the missing scope %q", err, ae.Scope, tc.scope)
				}
				mustNotContain(t, "error", err.Error(), key)
			})
		}
	}
}

func TestExtractStopsOnMissingScope(t *testing.T) {
	_, base, key := serve(t, "new", synthetic(30, 4), nil, klipy.ScopePeopleRead, klipy.ScopeInteractionsRead)
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key})
	m := newMemStore()
	_, err := klipy.Extract(context.Background(), c, m, m.emit)
	if !errors.Is(err, klipy.ErrForbidden) || !strings.Contains(err.Error(), klipy.ScopeCompaniesRead) {
		t.Fatalf("Extract with a key lacking companies:read: %v, want ErrForbidden naming the scope", err)
	}
}

func TestGetByID(t *testing.T) {
	src := synthetic(20, 4)
	for _, api := range []string{"new", "old"} {
		_, base, key := serve(t, api, src, nil)
		c := newClient(t, klipy.Config{BaseURL: base, APIKey: key})
		ctx := context.Background()
		for _, tc := range []struct {
			get  func(context.Context, string) (source.Record, error)
			want source.Record
		}{
			{c.GetPerson, src[source.Person][3]},
			{c.GetCompany, src[source.Company][2]},
			{c.GetInteraction, src[source.Interaction][5]},
		} {
			r, err := tc.get(ctx, tc.want.ID)
			if err != nil {
				t.Fatalf("%s: get %s: %v", api, tc.want.ID, err)
			}
			if d := cmp.Diff(project(tc.want), r.Fields); d != "" {
				t.Errorf("%s: get %s (-want +got):\n%s", api, tc.want.ID, d)
			}
			if _, err := tc.get(ctx, "nope"); !errors.Is(err, klipy.ErrNotFound) {
				t.Errorf("%s: get of a missing %s: %v, want ErrNotFound", api, tc.want.Kind, err)
			}
		}
	}
}

func TestQueryInteractionsFilter(t *testing.T) {
	src := synthetic(40, 5)
	_, base, key := serve(t, "new", src, nil)
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 3})
	var ids []string
	cursor := ""
	for {
		p, err := c.QueryInteractions(context.Background(), cursor, &klipy.InteractionFilter{ContactID: "per_0000"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Records {
			ids = append(ids, r.ID)
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	var wantIDs []string
	for _, r := range src[source.Interaction] {
		for _, p := range source.List(r.Fields["person_ids"]) {
			if p == "per_0000" {
				wantIDs = append(wantIDs, r.ID)
			}
		}
	}
	if d := cmp.Diff(wantIDs, ids); d != "" || len(ids) < 2 {
		t.Errorf("interactions of per_0000 (-want +got):\n%s", d)
	}
}

func TestWantIsNotTrivial(t *testing.T) {
	w := want(synthetic(230, 17))
	n := map[string]int{}
	for k := range w {
		n[strings.SplitN(k, "/", 2)[0]]++
	}
	// 230 people, 0+1+2+3 interactions per 4 people (57 rounds and 0+1), 16 referenced companies (the 17th is not).
	if d := cmp.Diff(map[string]int{"person": 230, "interaction": 343, "company": 16}, n); d != "" {
		t.Errorf("synthetic dataset counts (-want +got):\n%s", d)
	}
}
