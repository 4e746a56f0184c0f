package conformance

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"ferry/internal/pipedrive"
)

func testPipelines(t *testing.T, s *suite) {
	p, err := s.c.CreatePipeline(s.ctx, "Conformance pipeline")
	if err != nil || p.ID() == 0 {
		t.Fatalf("CreatePipeline = %v, %v", p, err)
	}
	pipes, err := s.c.Pipelines(s.ctx)
	if err != nil || !hasID(pipes, p.ID()) {
		t.Fatalf("Pipelines = %v, %v; want %d among them", pipes, err, p.ID())
	}
	var stageIDs []int64
	for i, name := range []string{"Qualified", "Proposal", "Won"} {
		st, err := s.c.CreateStage(s.ctx, p.ID(), name, pipedrive.Entity{"deal_probability": 30 * (i + 1)})
		if err != nil || st.ID() == 0 || st.Int("pipeline_id") != p.ID() {
			t.Fatalf("CreateStage(%q) = %v, %v", name, st, err)
		}
		stageIDs = append(stageIDs, st.ID())
	}
	stages, err := s.c.Stages(s.ctx, p.ID())
	if err != nil {
		t.Fatalf("Stages: %v", err)
	}
	if len(stages) != len(stageIDs) {
		t.Errorf("Stages(%d) returned %d stages, want %d (filtered by pipeline)", p.ID(), len(stages), len(stageIDs))
	}
	for _, id := range stageIDs {
		if !hasID(stages, id) {
			t.Errorf("Stages(%d): stage %d missing", p.ID(), id)
		}
	}
	d, err := s.c.CreateDeal(s.ctx, pipedrive.Entity{"title": "Staged deal", "stage_id": stageIDs[1]})
	if err != nil || d.Int("stage_id") != stageIDs[1] || d.Int("pipeline_id") != p.ID() {
		t.Errorf("CreateDeal in stage %d = %v, %v; want stage and pipeline %d", stageIDs[1], d, err, p.ID())
	}
}

func testNotes(t *testing.T, s *suite) {
	deal, err := s.c.CreateDeal(s.ctx, pipedrive.Entity{"title": "Deal with notes"})
	if err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	dealID := strconv.FormatInt(deal.ID(), 10)
	var ids []int64
	for i := range 5 {
		n, err := s.c.CreateNote(s.ctx, pipedrive.Entity{"content": fmt.Sprintf("<p>note %d</p>", i),
			"deal_id": deal.ID(), "add_time": "2021-03-04 05:06:07"})
		if err != nil || n.ID() == 0 || n.Int("deal_id") != deal.ID() {
			t.Fatalf("CreateNote = %v, %v", n, err)
		}
		ids = append(ids, n.ID())
	}
	if n, err := s.c.GetNote(s.ctx, ids[0]); err != nil || n.String("add_time") != "2021-03-04 05:06:07" {
		t.Errorf("GetNote = %v, %v; want the add_time it was created with", n, err)
	}
	var listed []pipedrive.Entity
	err = s.c.Notes(s.ctx, pipedrive.ListOptions{PageSize: 2, Filter: url.Values{"deal_id": {dealID}}},
		func(p []pipedrive.Entity) error { listed = append(listed, p...); return nil })
	if err != nil || len(listed) != len(ids) {
		t.Fatalf("Notes(deal_id=%s) listed %d notes, %v; want %d", dealID, len(listed), err, len(ids))
	}
	if n, err := s.c.UpdateNote(s.ctx, ids[1], pipedrive.Entity{"content": "<p>changed</p>"}); err != nil || n.String("content") != "<p>changed</p>" {
		t.Errorf("UpdateNote = %v, %v", n, err)
	}
	if err := s.c.DeleteNote(s.ctx, ids[2]); err != nil {
		t.Errorf("DeleteNote: %v", err)
	}
}

func testCustomFields(t *testing.T, s *suite) {
	klipy, err := s.c.CreateField(s.ctx, pipedrive.PersonFields, pipedrive.NewField{Name: "Klipy ID", Type: "varchar"})
	if err != nil || len(klipy.Code) != 40 || !klipy.IsCustom {
		t.Fatalf("CreateField varchar = %+v, %v; want a 40-char field_code", klipy, err)
	}
	tier, err := s.c.CreateField(s.ctx, pipedrive.PersonFields, pipedrive.NewField{Name: "Tier", Type: "enum", Options: []string{"Gold", "Silver"}})
	if err != nil || len(tier.Options) != 2 {
		t.Fatalf("CreateField enum = %+v, %v; want 2 options", tier, err)
	}
	added, err := s.c.AddFieldOptions(s.ctx, pipedrive.PersonFields, tier.Code, []string{"Bronze"})
	if err != nil || !hasLabel(added, "Bronze") {
		t.Fatalf("AddFieldOptions = %+v, %v", added, err)
	}
	fields, err := s.c.Fields(s.ctx, pipedrive.PersonFields)
	if err != nil {
		t.Fatalf("Fields: %v", err)
	}
	got := fieldByCode(fields, tier.Code)
	if got == nil || !hasLabel(got.Options, "Bronze") || !hasLabel(got.Options, "Gold") {
		t.Fatalf("Fields: tier field %s = %+v, want Gold and Bronze options", tier.Code, got)
	}
	p := pipedrive.Entity{"name": "Custom Carla"}
	p.SetCustom(klipy.Code, "K-42").SetCustom(tier.Code, tier.Options[0].ID)
	created, err := s.c.CreatePerson(s.ctx, p)
	if err != nil {
		t.Fatalf("CreatePerson with custom fields: %v", err)
	}
	read, err := s.c.GetPerson(s.ctx, created.ID())
	if err != nil {
		t.Fatalf("GetPerson: %v", err)
	}
	cf := read.CustomFields()
	if cf[klipy.Code] != "K-42" || pipedriveInt(cf[tier.Code]) != tier.Options[0].ID {
		t.Errorf("custom_fields read back = %v, want %s=K-42 and %s=%d", cf, klipy.Code, tier.Code, tier.Options[0].ID)
	}
}

func testLabelOptions(t *testing.T, s *suite) {
	opts, err := s.c.AddLabelOptions(s.ctx, pipedrive.PersonFields, []pipedrive.Option{{Label: "VIP", Color: "green"}})
	if err != nil {
		t.Fatalf("AddLabelOptions: %v", err)
	}
	var vip int64
	for _, o := range opts {
		if o.Label == "VIP" {
			vip = o.ID
		}
	}
	if vip == 0 || len(opts) < 2 {
		t.Fatalf("AddLabelOptions = %+v, want the existing labels plus VIP with an id", opts)
	}
	p, err := s.c.CreatePerson(s.ctx, pipedrive.Entity{"name": "Labelled Lars", "label_ids": []int64{vip}})
	if err != nil {
		t.Fatalf("CreatePerson with label: %v", err)
	}
	if ids, _ := p["label_ids"].([]any); len(ids) != 1 || pipedriveInt(ids[0]) != vip {
		t.Errorf("label_ids = %v, want [%d]", p["label_ids"], vip)
	}
}

func testFiles(t *testing.T, s *suite) {
	person, err := s.c.CreatePerson(s.ctx, pipedrive.Entity{"name": "Filed Fiona"})
	if err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	data := bytes.Repeat([]byte("ferry file \x00\xff\n"), 300)
	f, err := s.c.UploadFile(s.ctx, pipedrive.FileUpload{Name: "contract.bin", Data: data, PersonID: person.ID()})
	if err != nil || f.ID() == 0 || f.Int("person_id") != person.ID() || f.Int("file_size") != int64(len(data)) {
		t.Fatalf("UploadFile = %v, %v; want an id, the person and size %d", f, err, len(data))
	}
	var files []pipedrive.Entity
	if err := s.c.Files(s.ctx, pipedrive.ListOptions{}, func(p []pipedrive.Entity) error { files = append(files, p...); return nil }); err != nil {
		t.Fatalf("Files: %v", err)
	}
	if !hasID(files, f.ID()) {
		t.Errorf("Files does not list %d", f.ID())
	}
	got, err := s.c.DownloadFile(s.ctx, f.ID())
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("DownloadFile = %d bytes, %v; want the %d bytes uploaded", len(got), err, len(data))
	}
}

func testSearch(t *testing.T, s *suite) {
	klipy, err := s.c.CreateField(s.ctx, pipedrive.PersonFields, pipedrive.NewField{Name: "Search Key", Type: "varchar"})
	if err != nil {
		t.Fatalf("CreateField: %v", err)
	}
	p := pipedrive.Entity{"name": "Searchable Sam", "emails": []map[string]any{{"value": "sam.search@example.com", "primary": true}}}
	p.SetCustom(klipy.Code, "KLIPY-777")
	person, err := s.c.CreatePerson(s.ctx, p)
	if err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	if _, err := s.c.CreatePerson(s.ctx, pipedrive.Entity{"name": "Other Sam", "emails": []map[string]any{{"value": "sam.search@example.org"}}}); err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	hits, err := s.c.SearchPersons(s.ctx, pipedrive.SearchOptions{Term: "sam.search@example.com", Fields: []string{"email"}, ExactMatch: true})
	if err != nil || len(hits) != 1 || hits[0].Item.ID() != person.ID() {
		t.Errorf("SearchPersons(email exact) = %v, %v; want only person %d", hits, err, person.ID())
	}
	found, err := s.c.SearchByField(s.ctx, pipedrive.FieldSearch{EntityType: "person", Field: klipy.Code, Term: "KLIPY-777"})
	if err != nil || len(found) != 1 || found[0].ID() != person.ID() {
		t.Errorf("SearchByField(%s exact) = %v, %v; want only person %d", klipy.Code, found, err, person.ID())
	}
	none, err := s.c.SearchByField(s.ctx, pipedrive.FieldSearch{EntityType: "person", Field: klipy.Code, Term: "KLIPY-77"})
	if err != nil || len(none) != 0 {
		t.Errorf("SearchByField(prefix, exact) = %v, %v; want nothing", none, err)
	}
}

func hasID(list []pipedrive.Entity, id int64) bool {
	for _, e := range list {
		if e.ID() == id {
			return true
		}
	}
	return false
}

func hasLabel(opts []pipedrive.Option, label string) bool {
	for _, o := range opts {
		if o.Label == label && o.ID != 0 {
			return true
		}
	}
	return false
}

func fieldByCode(fields []pipedrive.Field, code string) *pipedrive.Field {
	for i := range fields {
		if fields[i].Code == code {
			return &fields[i]
		}
	}
	return nil
}

// pipedriveInt reads a JSON number decoded as json.Number, float64 or int64.
func pipedriveInt(v any) int64 { return pipedrive.Entity{"v": v}.Int("v") }

func testV1Lookups(t *testing.T, s *suite) {
	at, err := s.c.CreateActivityType(s.ctx, "LinkedIn message", "bubble", "0077B5")
	if err != nil || at.String("key_string") == "" {
		t.Fatalf("CreateActivityType = %v, %v; want a key_string", at, err)
	}
	types, err := s.c.ActivityTypes(s.ctx)
	if err != nil || !hasID(types, at.ID()) {
		t.Errorf("ActivityTypes = %d types, %v; want %d among them", len(types), err, at.ID())
	}
	a, err := s.c.CreateActivity(s.ctx, pipedrive.Entity{"subject": "DM", "type": at.String("key_string")})
	if err != nil || a.String("type") != at.String("key_string") {
		t.Errorf("CreateActivity with the new type = %v, %v", a, err)
	}
	ll, err := s.c.CreateLeadLabel(s.ctx, "Conformance", "purple")
	if err != nil || ll.String("id") == "" {
		t.Fatalf("CreateLeadLabel = %v, %v", ll, err)
	}
	labels, err := s.c.LeadLabels(s.ctx)
	if err != nil || !hasString(labels, "id", ll.String("id")) {
		t.Errorf("LeadLabels = %v, %v; want %s among them", labels, err, ll.String("id"))
	}
}

func testOtherSearches(t *testing.T, s *suite) {
	org, err := s.c.CreateOrganization(s.ctx, pipedrive.Entity{"name": "Zebra Unique Holdings"})
	if err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	deal, err := s.c.CreateDeal(s.ctx, pipedrive.Entity{"title": "Zebra Unique Renewal", "org_id": org.ID()})
	if err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	hits, err := s.c.Search(s.ctx, pipedrive.Organizations, pipedrive.SearchOptions{Term: "Zebra Unique Holdings", Fields: []string{"name"}, ExactMatch: true})
	if err != nil || len(hits) != 1 || hits[0].Item.ID() != org.ID() {
		t.Errorf("Search organizations = %v, %v; want org %d", hits, err, org.ID())
	}
	hits, err = s.c.Search(s.ctx, pipedrive.Deals, pipedrive.SearchOptions{Term: "Zebra Unique", Fields: []string{"title"}})
	if err != nil || len(hits) != 1 || hits[0].Item.ID() != deal.ID() {
		t.Errorf("Search deals = %v, %v; want deal %d", hits, err, deal.ID())
	}
	hits, err = s.c.ItemSearch(s.ctx, pipedrive.ItemSearchOptions{Term: "Zebra Unique", ItemTypes: []string{"organization", "deal"}})
	if err != nil || len(hits) != 2 {
		t.Errorf("ItemSearch(organization,deal) = %v, %v; want the org and the deal", hits, err)
	}
}

func testDeleteFile(t *testing.T, s *suite) {
	f, err := s.c.UploadFile(s.ctx, pipedrive.FileUpload{Name: "gone.txt", Data: []byte("x"), ContentType: "text/plain"})
	if err == nil {
		err = s.c.DeleteFile(s.ctx, f.ID())
	}
	if err != nil {
		t.Errorf("upload then DeleteFile: %v", err)
	}
}

func hasString(list []pipedrive.Entity, key, want string) bool {
	for _, e := range list {
		if e.String(key) == want {
			return true
		}
	}
	return false
}
