package sandbox

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPersistenceRoundTrip(t *testing.T) {
	e := newEnv(t, Options{})
	code := createField(e, "person", "Klipy ID", "varchar")["field_code"].(string)
	tier := createField(e, "person", "Tier", "set", "a", "b")
	opt := obj(list(tier["options"])[0])["id"]
	org := e.create("/api/v2/organizations", map[string]any{"name": "Acme"})
	p := e.create("/api/v2/persons", map[string]any{"name": "Ann", "org_id": org, "label_ids": []any{1},
		"custom_fields": map[string]any{code: "kp_1", tier["field_code"].(string): []any{opt}}})
	e.must(200, "POST", "/api/v1/notes", map[string]any{"content": "n", "person_id": p})
	e.upload([]byte("data"), map[string]string{"person_id": itoa(p)})
	del := e.create("/api/v2/deals", map[string]any{"title": "gone"})
	e.must(200, "DELETE", "/api/v2/deals/"+itoa(del), nil)

	path := filepath.Join(t.TempDir(), "state.json")
	if err := e.srv.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, Options{Seed: 7})
	if err := e2.srv.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e.srv.Snapshot(), e2.srv.Snapshot()); diff != "" {
		t.Errorf("snapshot after reload (-before +after):\n%s", diff)
	}
	next := e2.create("/api/v2/persons", map[string]any{"name": "Next", "custom_fields": map[string]any{code: "kp_2"}})
	if next != p+1 {
		t.Errorf("id after reload = %d, want %d", next, p+1)
	}
	hits := list(e2.must(200, "GET", "/api/v2/itemSearch/field?entity_type=person&field="+code+"&term=kp_1", nil))
	if len(hits) != 1 {
		t.Errorf("search after reload: %v", hits)
	}
	if err := e2.srv.LoadFile(filepath.Join(t.TempDir(), "missing.json")); err != nil {
		t.Errorf("missing file: %v", err)
	}
}
