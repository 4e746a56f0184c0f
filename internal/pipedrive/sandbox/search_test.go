package sandbox

import (
	"net/url"
	"slices"
	"testing"
)

func TestEntitySearch(t *testing.T) {
	e := newEnv(t, Options{})
	org := e.create("/api/v2/organizations", map[string]any{"name": "Acme Corp"})
	e.create("/api/v2/persons", map[string]any{"name": "Ann Lee", "org_id": org,
		"emails": []any{map[string]any{"value": "Ann@Acme.com"}}})
	e.create("/api/v2/persons", map[string]any{"name": "Annabel", "emails": []any{map[string]any{"value": "annabel@acme.com"}}})
	e.create("/api/v2/deals", map[string]any{"title": "Acme renewal", "org_id": org})
	tests := []struct {
		name, path string
		want       int
	}{
		{"exact email case-insensitive", "/api/v2/persons/search?term=ann@acme.com&fields=email&exact_match=true", 1},
		{"substring email", "/api/v2/persons/search?term=acme.com&fields=email", 2},
		{"name substring", "/api/v2/persons/search?term=ann&fields=name", 2},
		{"exact name", "/api/v2/persons/search?term=ANN+LEE&fields=name&exact_match=true", 1},
		{"organization filter", "/api/v2/persons/search?term=ann&organization_id=" + itoa(org), 1},
		{"org name", "/api/v2/organizations/search?term=acme", 1},
		{"deal title", "/api/v2/deals/search?term=renewal&fields=title", 1},
		{"one char exact", "/api/v2/persons/search?term=x&exact_match=true", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := obj(e.must(200, "GET", tc.path, nil))
			items := list(data["items"])
			if len(items) != tc.want {
				t.Errorf("%d items, want %d: %v", len(items), tc.want, items)
			}
		})
	}
	hit := obj(list(obj(e.must(200, "GET", tests[0].path, nil))["items"])[0])
	item := obj(hit["item"])
	if item["type"] != "person" || list(item["emails"])[0] != "Ann@Acme.com" || obj(item["organization"])["name"] != "Acme Corp" {
		t.Errorf("search item = %v", item)
	}
	for _, bad := range []string{
		"/api/v2/persons/search?term=a", "/api/v2/persons/search?term=ab&fields=title",
		"/api/v2/persons/search?term=ab&exact_match=1", "/api/v2/deals/search?term=ab&limit=501",
	} {
		if r := e.do("GET", bad, nil); r.status != 400 {
			t.Errorf("%s: %d, want 400", bad, r.status)
		}
	}
}

// TestItemSearchField is the lookup ferry uses to find a record by its Klipy ID field.
func TestItemSearchField(t *testing.T) {
	e := newEnv(t, Options{})
	code := createField(e, "person", "Klipy ID", "varchar")["field_code"].(string)
	enum := createField(e, "person", "Tier", "enum", "a")["field_code"].(string)
	e.create("/api/v2/persons", map[string]any{"name": "A", "custom_fields": map[string]any{code: "kp_ABC123"}})
	gone := e.create("/api/v2/persons", map[string]any{"name": "B", "custom_fields": map[string]any{code: "kp_ABC1234"}})
	e.create("/api/v2/persons", map[string]any{"name": "C", "custom_fields": map[string]any{code: "kp_abc123"}})
	q := func(term, match string) string {
		v := url.Values{"entity_type": {"person"}, "field": {code}, "term": {term}}
		if match != "" {
			v.Set("match", match)
		}
		return "/api/v2/itemSearch/field?" + v.Encode()
	}
	tests := []struct {
		name, path string
		want       []any
	}{
		{"exact is case-sensitive", q("kp_ABC123", "exact"), []any{"A"}},
		{"default is exact", q("kp_abc123", ""), []any{"C"}},
		{"beginning", q("kp_ABC", "beginning"), []any{"A", "B"}},
		{"middle", q("ABC12", "middle"), []any{"A", "B"}},
		{"no hit", q("KP_ABC123", "exact"), nil},
	}
	for _, tc := range tests {
		var got []any
		for _, it := range list(e.must(200, "GET", tc.path, nil)) {
			got = append(got, obj(it)["name"])
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	e.must(200, "DELETE", "/api/v2/persons/"+itoa(gone), nil)
	if n := len(list(e.must(200, "GET", q("kp_ABC", "beginning"), nil))); n != 1 {
		t.Errorf("deleted person still found: %d hits", n)
	}
	for _, bad := range []string{
		"/api/v2/itemSearch/field?entity_type=person&field=" + enum + "&term=ab",
		"/api/v2/itemSearch/field?entity_type=thing&field=name&term=ab",
		"/api/v2/itemSearch/field?entity_type=person&field=nope&term=ab",
		q("k", "middle"),
	} {
		if r := e.do("GET", bad, nil); r.status != 400 {
			t.Errorf("%s: %d, want 400", bad, r.status)
		}
	}
}

func TestItemSearch(t *testing.T) {
	e := newEnv(t, Options{})
	org := e.create("/api/v2/organizations", map[string]any{"name": "Zebra Holdings"})
	e.create("/api/v2/deals", map[string]any{"title": "Zebra renewal", "org_id": org})
	e.create("/api/v2/persons", map[string]any{"name": "Zed Zebra"})
	tests := []struct {
		query string
		want  []string
	}{
		{"term=zebra", []string{"deal", "person", "organization"}},
		{"term=zebra&item_types=organization,deal", []string{"deal", "organization"}},
		{"term=zebra+holdings&exact_match=true", []string{"organization"}},
		{"term=zebra&item_types=product", nil},
		{"term=zebra&fields=title", []string{"deal"}},
	}
	for _, tc := range tests {
		data := obj(e.must(200, "GET", "/api/v2/itemSearch?"+tc.query, nil))
		var got []string
		for _, it := range list(data["items"]) {
			got = append(got, obj(obj(it)["item"])["type"].(string))
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: types %v, want %v", tc.query, got, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: types %v lack %s", tc.query, got, w)
			}
		}
	}
	for _, bad := range []string{"term=z", "term=zebra&item_types=planet", "term=zebra&limit=101"} {
		if r := e.do("GET", "/api/v2/itemSearch?"+bad, nil); r.status != 400 {
			t.Errorf("%s: %d, want 400", bad, r.status)
		}
	}
}
