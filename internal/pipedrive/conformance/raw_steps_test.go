package conformance

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"strconv"
	"testing"
)

// rawSteps is the scripted sequence of hand-written requests: users, schema, records, then
// every delete, so each path parameter names something that exists.
func rawSteps() []step {
	var s []step
	s = append(s, userSteps()...)
	s = append(s, pipelineSteps()...)
	for _, ent := range []string{"person", "organization", "deal"} {
		s = append(s, v2FieldSteps(ent)...)
		s = append(s, v1FieldSteps(ent)...)
	}
	s = append(s, readOnlyFieldSteps()...)
	s = append(s, recordSteps()...)
	s = append(s, v1RecordSteps()...)
	s = append(s, searchSteps()...)
	s = append(s, deleteSteps()...)
	return s
}

func userSteps() []step {
	return []step{
		{"users/me", func(r *raw) {
			_, me := r.json("GET", "/api/v1/users/me", nil)
			r.keep("user", me, "id")
			r.keep("email", me, "email")
		}},
		{"users", func(r *raw) { r.json("GET", "/api/v1/users", nil) }},
		{"users/find", func(r *raw) {
			r.json("GET", "/api/v1/users/find?"+url.Values{"term": {r.need("email")}, "search_by_email": {"1"}}.Encode(), nil)
		}},
		{"users/{id}", func(r *raw) { r.json("GET", "/api/v1/users/"+r.need("user"), nil) }},
		{"currencies", func(r *raw) { r.json("GET", "/api/v1/currencies", nil) }},
	}
}

func pipelineSteps() []step {
	return []step{
		{"pipelines", func(r *raw) {
			_, p := r.json("POST", "/api/v2/pipelines", obj{"name": "Raw pipeline", "is_deal_probability_enabled": true})
			r.keep("pipeline", p, "id")
			r.json("GET", "/api/v2/pipelines?limit=500", nil)
			r.json("GET", "/api/v2/pipelines/"+r.need("pipeline"), nil)
			r.json("PATCH", "/api/v2/pipelines/"+r.need("pipeline"), obj{"name": "Raw pipeline 2"})
		}},
		{"stages", func(r *raw) {
			_, st := r.json("POST", "/api/v2/stages", obj{"name": "Raw stage", "pipeline_id": num(r.need("pipeline")), "deal_probability": 50})
			r.keep("stage", st, "id")
			r.json("GET", "/api/v2/stages?pipeline_id="+r.need("pipeline")+"&sort_by=order_nr&limit=500", nil)
			r.json("GET", "/api/v2/stages/"+r.need("stage"), nil)
			r.json("PATCH", "/api/v2/stages/"+r.need("stage"), obj{"name": "Raw stage 2", "is_deal_rot_enabled": true, "days_to_rotten": 10})
		}},
	}
}

// v2FieldSteps creates an enum field and a varchar field of ent and walks its options.
func v2FieldSteps(ent string) []step {
	base := "/api/v2/" + ent + "Fields"
	return []step{
		{ent + "Fields v2", func(r *raw) {
			_, f := r.json("POST", base, obj{"field_name": "Raw tier", "field_type": "enum",
				"options": []obj{{"label": "Gold"}, {"label": "Silver"}}})
			r.keep(ent+"EnumField", f, "field_code")
			_, v := r.json("POST", base, obj{"field_name": "Raw Klipy ID", "field_type": "varchar"})
			r.keep(ent+"VarcharField", v, "field_code")
			r.json("GET", base+"?limit=500", nil)
			code := r.need(ent + "EnumField")
			r.json("GET", base+"/"+code, nil)
			r.json("PATCH", base+"/"+code, obj{"field_name": "Raw tier 2"})
			_, opts := r.json("POST", base+"/"+code+"/options", []obj{{"label": "Bronze"}})
			r.keep(ent+"Option", first(opts), "id")
			opt := num(r.need(ent + "Option"))
			r.json("PATCH", base+"/"+code+"/options", []obj{{"id": opt, "label": "Copper"}})
			r.json("DELETE", base+"/"+code+"/options", []obj{{"id": opt}})
		}},
	}
}

// v1FieldSteps walks the v1 field endpoints, including adding a label option by PUT on the
// built-in label field with every kept option and its id.
func v1FieldSteps(ent string) []step {
	base := "/api/v1/" + ent + "Fields"
	return []step{
		{ent + "Fields v1", func(r *raw) {
			_, list := r.json("GET", base+"?start=0&limit=500", nil)
			label := findBy(list, "key", "label")
			r.keep(ent+"LabelField", label, "id")
			_, f := r.json("POST", base, obj{"name": "Raw v1 field", "field_type": "varchar", "add_visible_flag": true})
			r.keep(ent+"V1Field", f, "id")
			_, g := r.json("POST", base, obj{"name": "Raw v1 field bulk", "field_type": "text"})
			r.keep(ent+"V1FieldBulk", g, "id")
			r.json("PUT", base+"/"+r.need(ent+"V1Field"), obj{"name": "Raw v1 field 2"})
			opts := keptOptions(label)
			opts = append(opts, obj{"label": "Raw label"})
			r.json("PUT", base+"/"+r.need(ent+"LabelField"), obj{"options": opts})
		}},
	}
}

func readOnlyFieldSteps() []step {
	return []step{
		{"activityFields", func(r *raw) {
			_, list := r.json("GET", "/api/v2/activityFields?limit=500", nil)
			r.keep("activityField", first(list), "field_code")
			r.json("GET", "/api/v2/activityFields/"+r.need("activityField"), nil)
			r.json("GET", "/api/v1/activityFields", nil)
			r.json("GET", "/api/v1/noteFields", nil)
			r.json("GET", "/api/v1/leadFields", nil)
		}},
	}
}

func recordSteps() []step {
	return []step{
		{"organizations", func(r *raw) {
			_, o := r.json("POST", "/api/v2/organizations", obj{"name": "Raw Org", "owner_id": num(r.need("user")),
				"add_time": "2021-03-04T05:06:07Z", "address": obj{"value": "1 Main St, Springfield"}})
			r.keep("org", o, "id")
			r.json("GET", "/api/v2/organizations?limit=500", nil)
			r.json("GET", "/api/v2/organizations/"+r.need("org"), nil)
			r.json("PATCH", "/api/v2/organizations/"+r.need("org"), obj{"name": "Raw Org Ltd"})
		}},
		{"persons", func(r *raw) {
			_, p := r.json("POST", "/api/v2/persons", obj{"name": "Raw Person", "org_id": num(r.need("org")),
				"emails":        []obj{{"value": "raw.person@example.com", "primary": true, "label": "work"}},
				"custom_fields": obj{r.need("personVarcharField"): "K-RAW-1"}})
			r.keep("person", p, "id")
			r.json("GET", "/api/v2/persons?limit=500&org_id="+r.need("org"), nil)
			r.json("GET", "/api/v2/persons/"+r.need("person"), nil)
			r.json("PATCH", "/api/v2/persons/"+r.need("person"), obj{"phones": []obj{{"value": "+14155550100", "primary": true}}})
			body, ct := multipartBody(r.t, "picture.png", pngBytes, nil)
			r.send("POST", "/api/v1/persons/"+r.need("person")+"/picture", ct, body)
		}},
		{"deals", func(r *raw) {
			_, d := r.json("POST", "/api/v2/deals", obj{"title": "Raw Deal", "value": 1200.5, "currency": "EUR",
				"person_id": num(r.need("person")), "org_id": num(r.need("org")), "stage_id": num(r.need("stage")),
				"expected_close_date": "2026-12-31"})
			r.keep("deal", d, "id")
			r.json("GET", "/api/v2/deals?limit=500&status=open", nil)
			r.json("GET", "/api/v2/deals/"+r.need("deal"), nil)
			r.json("PATCH", "/api/v2/deals/"+r.need("deal"), obj{"value": 1300})
			_, won := r.json("POST", "/api/v2/deals", obj{"title": "Raw Won Deal", "status": "won", "won_time": "2025-06-01T10:00:00Z"})
			r.keep("wonDeal", won, "id")
			r.json("GET", "/api/v2/deals?status=won&limit=500", nil)
			r.json("GET", "/api/v2/deals/archived?limit=500", nil)
			r.json("POST", "/api/v1/deals/"+r.need("deal")+"/participants", obj{"person_id": num(r.need("person"))})
			r.json("POST", "/api/v2/deals/"+r.need("deal")+"/followers", obj{"user_id": num(r.need("user"))})
		}},
		{"activityTypes", func(r *raw) {
			r.json("GET", "/api/v1/activityTypes", nil)
			_, at := r.json("POST", "/api/v1/activityTypes", obj{"name": "Raw DM", "icon_key": "bubble", "color": "00AA00"})
			r.keep("activityType", at, "id")
			r.keep("activityTypeKey", at, "key_string")
			r.json("PUT", "/api/v1/activityTypes/"+r.need("activityType"), obj{"name": "Raw DM 2"})
		}},
		{"activities", func(r *raw) {
			_, a := r.json("POST", "/api/v2/activities", obj{"subject": "Raw call", "type": "call", "deal_id": num(r.need("deal")),
				"participants": []obj{{"person_id": num(r.need("person")), "primary": true}},
				"due_date":     "2026-01-15", "due_time": "10:30", "duration": "00:30", "done": true, "note": "<p>hi</p>"})
			r.keep("activity", a, "id")
			r.json("GET", "/api/v2/activities?limit=500&deal_id="+r.need("deal"), nil)
			r.json("GET", "/api/v2/activities/"+r.need("activity"), nil)
			r.json("PATCH", "/api/v2/activities/"+r.need("activity"), obj{"done": false})
		}},
	}
}

func v1RecordSteps() []step {
	return []step{
		{"notes", func(r *raw) {
			_, n := r.json("POST", "/api/v1/notes", obj{"content": "<p>Raw note</p>", "deal_id": num(r.need("deal")),
				"add_time": "2021-03-04 05:06:07", "pinned_to_deal_flag": 1})
			r.keep("note", n, "id")
			r.json("GET", "/api/v1/notes?start=0&limit=500&deal_id="+r.need("deal"), nil)
			r.json("GET", "/api/v1/notes/"+r.need("note"), nil)
			r.json("PUT", "/api/v1/notes/"+r.need("note"), obj{"content": "<p>Raw note 2</p>"})
		}},
		{"files", func(r *raw) {
			body, ct := multipartBody(r.t, "raw.txt", []byte("raw file body\n"), map[string]string{"deal_id": r.need("deal")})
			_, f := r.send("POST", "/api/v1/files", ct, body)
			r.keep("file", f, "id")
			r.json("GET", "/api/v1/files?start=0&limit=100", nil)
			r.json("GET", "/api/v1/files/"+r.need("file"), nil)
			r.send("PUT", "/api/v1/files/"+r.need("file"), "application/x-www-form-urlencoded",
				[]byte(url.Values{"name": {"raw-renamed.txt"}, "description": {"renamed"}}.Encode()))
			r.json("GET", "/api/v1/files/"+r.need("file")+"/download", nil)
			r.json("GET", "/api/v1/deals/"+r.need("deal")+"/files?start=0&limit=100", nil)
			r.json("GET", "/api/v1/persons/"+r.need("person")+"/files?start=0&limit=100", nil)
			r.json("GET", "/api/v1/organizations/"+r.need("org")+"/files?start=0&limit=100", nil)
		}},
		{"leadLabels", func(r *raw) {
			r.json("GET", "/api/v1/leadLabels", nil)
			_, l := r.json("POST", "/api/v1/leadLabels", obj{"name": "Raw VIP", "color": "purple"})
			r.keep("leadLabel", l, "id")
			r.json("PATCH", "/api/v1/leadLabels/"+r.need("leadLabel"), obj{"color": "green"})
		}},
		{"leads", func(r *raw) {
			r.json("GET", "/api/v1/leads?limit=500", nil)
			_, l := r.json("POST", "/api/v1/leads", obj{"title": "Raw lead", "person_id": num(r.need("person")),
				"label_ids": []string{r.need("leadLabel")}})
			r.keep("lead", l, "id")
			r.json("PATCH", "/api/v1/leads/"+r.need("lead"), obj{"title": "Raw lead 2"})
		}},
	}
}

func searchSteps() []step {
	return []step{
		{"search", func(r *raw) {
			r.json("GET", "/api/v2/persons/search?"+url.Values{"term": {"raw.person@example.com"}, "fields": {"email"}, "exact_match": {"true"}}.Encode(), nil)
			r.json("GET", "/api/v2/organizations/search?"+url.Values{"term": {"Raw Org Ltd"}, "fields": {"name"}, "exact_match": {"true"}}.Encode(), nil)
			r.json("GET", "/api/v2/deals/search?"+url.Values{"term": {"Raw Deal"}, "fields": {"title"}}.Encode(), nil)
			r.json("GET", "/api/v2/itemSearch?"+url.Values{"term": {"Raw"}, "item_types": {"person"}, "limit": {"100"}}.Encode(), nil)
			r.json("GET", "/api/v2/itemSearch/field?"+url.Values{"term": {"K-RAW-1"}, "entity_type": {"person"},
				"field": {r.need("personVarcharField")}, "match": {"exact"}}.Encode(), nil)
			r.json("GET", "/api/v1/recents?"+url.Values{"since_timestamp": {"2020-01-01 00:00:00"}, "items": {"person"}}.Encode(), nil)
		}},
	}
}

// deleteSteps removes everything in reverse dependency order, each delete on its own step so
// one missing id does not hide the others.
func deleteSteps() []step {
	del := func(name, path, id string) step {
		return step{"delete " + name, func(r *raw) { r.json("DELETE", path+r.need(id), nil) }}
	}
	steps := []step{
		del("lead", "/api/v1/leads/", "lead"),
		del("lead label", "/api/v1/leadLabels/", "leadLabel"),
		del("file", "/api/v1/files/", "file"),
		del("note", "/api/v1/notes/", "note"),
		del("activity", "/api/v2/activities/", "activity"),
		del("activity type", "/api/v1/activityTypes/", "activityType"),
		del("deal", "/api/v2/deals/", "deal"),
		del("won deal", "/api/v2/deals/", "wonDeal"),
		{"list deleted deals", func(r *raw) { r.json("GET", "/api/v2/deals?status=deleted&limit=500", nil) }},
		del("person", "/api/v2/persons/", "person"),
		del("organization", "/api/v2/organizations/", "org"),
	}
	for _, ent := range []string{"person", "organization", "deal"} {
		steps = append(steps,
			del(ent+" v2 field", "/api/v2/"+ent+"Fields/", ent+"EnumField"),
			del(ent+" v1 field", "/api/v1/"+ent+"Fields/", ent+"V1Field"),
			step{"bulk delete " + ent + " v1 fields", func(r *raw) {
				r.json("DELETE", "/api/v1/"+ent+"Fields?ids="+r.need(ent+"V1FieldBulk"), nil)
			}})
	}
	return append(steps, del("stage", "/api/v2/stages/", "stage"), del("pipeline", "/api/v2/pipelines/", "pipeline"))
}

// num turns an id kept as text back into a JSON number.
func num(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}

// first returns the first element of a JSON array, or nil.
func first(v any) any {
	if a, ok := v.([]any); ok && len(a) > 0 {
		return a[0]
	}
	return nil
}

// findBy returns the element of a JSON array whose key equals want.
func findBy(v any, key, want string) any {
	a, _ := v.([]any)
	for _, it := range a {
		if m, ok := it.(map[string]any); ok && m[key] == want {
			return m
		}
	}
	return nil
}

// keptOptions lists a v1 field's options as {id, label} for a PUT that keeps them all.
func keptOptions(field any) []obj {
	m, _ := field.(map[string]any)
	opts, _ := m["options"].([]any)
	var out []obj
	for _, o := range opts {
		if om, ok := o.(map[string]any); ok {
			out = append(out, obj{"id": om["id"], "label": om["label"]})
		}
	}
	return out
}

// pngBytes is a 1×1 transparent PNG.
var pngBytes = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 13, 'I', 'D', 'A', 'T',
	0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82}

// multipartBody builds a multipart/form-data body with fields and one "file" part.
func multipartBody(t *testing.T, name string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range sortedKeys(fields) {
		if err := w.WriteField(k, fields[k]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}
