package sandbox

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var hex40 = regexp.MustCompile(`^[0-9a-f]{40}$`)

func createField(e *env, ent, name, typ string, labels ...string) map[string]any {
	body := map[string]any{"field_name": name, "field_type": typ}
	if len(labels) > 0 {
		var opts []any
		for _, l := range labels {
			opts = append(opts, map[string]any{"label": l})
		}
		body["options"] = opts
	}
	return obj(e.must(200, "POST", "/api/v2/"+ent+"Fields", body))
}

func TestFieldCodesDifferPerInstance(t *testing.T) {
	a := createField(newEnv(t, Options{Seed: 1}), "person", "Klipy ID", "varchar")["field_code"].(string)
	b := createField(newEnv(t, Options{Seed: 2}), "person", "Klipy ID", "varchar")["field_code"].(string)
	c := createField(newEnv(t, Options{Seed: 1}), "person", "Klipy ID", "varchar")["field_code"].(string)
	if !hex40.MatchString(a) || !hex40.MatchString(b) {
		t.Fatalf("codes %q %q are not 40-hex", a, b)
	}
	if a == b {
		t.Errorf("two instances gave the same code %s", a)
	}
	if a != c {
		t.Errorf("same seed gave %s and %s", a, c)
	}
}

func TestBuiltinLabelField(t *testing.T) {
	e := newEnv(t, Options{})
	for ent, want := range map[string][]string{
		"person":       {"Customer", "Hot lead", "Warm lead", "Cold lead"},
		"organization": {"Customer", "Hot lead", "Warm lead", "Cold lead"},
	} {
		f := obj(e.must(200, "GET", "/api/v2/"+ent+"Fields/label_ids", nil))
		var got []string
		for _, o := range list(f["options"]) {
			got = append(got, obj(o)["label"].(string))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s label options (-want +got):\n%s", ent, diff)
		}
		if f["is_custom_field"] != false {
			t.Errorf("%s label field is_custom_field = %v", ent, f["is_custom_field"])
		}
	}
}

// TestLabelOptionsViaV1Put adds a label the documented way: PUT the full options list.
func TestLabelOptionsViaV1Put(t *testing.T) {
	e := newEnv(t, Options{})
	var label map[string]any
	for _, f := range list(e.must(200, "GET", "/api/v1/personFields", nil)) {
		if obj(f)["key"] == "label" {
			label = obj(f)
		}
	}
	if label == nil {
		t.Fatal("no v1 person field with key label")
	}
	opts := list(label["options"])
	kept := []any{map[string]any{"id": obj(opts[0])["id"], "label": "Client"}, map[string]any{"label": "VIP", "color": "purple"}}
	id := int64(label["id"].(float64))
	upd := obj(e.must(200, "PUT", "/api/v1/personFields/"+itoa(id), map[string]any{"options": kept}))
	got := list(upd["options"])
	if len(got) != 2 || obj(got[0])["label"] != "Client" || obj(got[1])["label"] != "VIP" {
		t.Fatalf("options after PUT = %v", got)
	}
	vip := obj(got[1])["id"]
	e.must(200, "POST", "/api/v2/persons", map[string]any{"name": "A", "label_ids": []any{vip}})
	if r := e.do("POST", "/api/v2/persons", map[string]any{"name": "B", "label_ids": []any{obj(opts[1])["id"]}}); r.status != 400 {
		t.Errorf("label removed by PUT still accepted: %d", r.status)
	}
	bad := []any{map[string]any{"id": 987654, "label": "nope"}}
	if r := e.do("PUT", "/api/v1/personFields/"+itoa(id), map[string]any{"options": bad}); r.status != 400 {
		t.Errorf("PUT with unknown option id: %d", r.status)
	}
}

func TestV2FieldOptionsAndDeletion(t *testing.T) {
	e := newEnv(t, Options{})
	f := createField(e, "deal", "Source", "enum", "Inbound")
	code := f["field_code"].(string)
	base := "/api/v2/dealFields/" + code
	added := list(e.must(200, "POST", base+"/options", []any{map[string]any{"label": "Outbound"}, map[string]any{"label": "Referral"}}))
	if len(added) != 2 {
		t.Fatalf("added %v", added)
	}
	ref := obj(added[1])["id"]
	e.must(200, "PATCH", base+"/options", []any{map[string]any{"id": ref, "label": "Partner"}})
	if r := e.do("PATCH", base+"/options", []any{map[string]any{"id": ref, "label": "X"}, map[string]any{"id": 424242, "label": "Y"}}); r.status != 400 {
		t.Errorf("rename with unknown id: %d", r.status)
	}
	e.must(200, "DELETE", base+"/options", []any{map[string]any{"id": obj(added[0])["id"]}})
	var labels []string
	for _, o := range list(obj(e.must(200, "GET", base, nil))["options"]) {
		labels = append(labels, obj(o)["label"].(string))
	}
	if diff := cmp.Diff([]string{"Inbound", "Partner"}, labels); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	for _, bad := range []any{[]any{}, []any{map[string]any{"label": ""}}, map[string]any{"label": "x"}} {
		if r := e.do("POST", base+"/options", bad); r.status != 400 {
			t.Errorf("POST options %v: %d", bad, r.status)
		}
	}
	e.must(200, "PATCH", base, map[string]any{"field_name": "Lead source"})
	if r := e.do("PATCH", base, map[string]any{"field_type": "set"}); r.status != 400 {
		t.Errorf("PATCH field_type: %d", r.status)
	}
	e.must(200, "DELETE", base, nil)
	for _, m := range []string{"GET", "DELETE"} {
		r := e.do(m, base, nil)
		if r.status != 410 || r.body["error"] != "The field is not found" {
			t.Errorf("%s deleted field: %d %v", m, r.status, r.body)
		}
	}
	if r := e.do("DELETE", "/api/v2/dealFields/title", nil); r.status != 400 {
		t.Errorf("deleting a system field: %d", r.status)
	}
	if r := e.do("POST", "/api/v2/activityFields", map[string]any{"field_name": "x", "field_type": "varchar"}); r.status == 200 {
		t.Error("activityFields accepted a create")
	}
	if r := e.do("POST", "/api/v2/dealFields", map[string]any{"field_name": "E", "field_type": "enum"}); r.status != 400 {
		t.Errorf("enum without options: %d", r.status)
	}
}
