package pipedrive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestV1OffsetPagination(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		limit      string
		walk       func(*Client, func([]Entity) error) error
	}{
		{"notes", "/api/v1/notes", "500", func(c *Client, fn func([]Entity) error) error {
			return c.Notes(context.Background(), ListOptions{}, fn)
		}},
		{"files", "/api/v1/files", "100", func(c *Client, fn func([]Entity) error) error {
			return c.Files(context.Background(), ListOptions{PageSize: 1000}, fn)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != tc.path || r.URL.Query().Get("limit") != tc.limit {
					failBody(w, 400, "unexpected "+r.URL.String())
					return
				}
				start, _ := strconv.Atoi(r.URL.Query().Get("start"))
				pg := map[string]any{"start": start, "limit": 2, "more_items_in_collection": start < 4}
				if start < 4 {
					pg["next_start"] = start + 2
				}
				writeJSON(w, 200, map[string]any{"success": true,
					"data":            []map[string]any{{"id": start + 1}, {"id": start + 2}},
					"additional_data": map[string]any{"pagination": pg}})
			}), nil)
			var ids []int64
			err := tc.walk(h.c, func(p []Entity) error {
				for _, e := range p {
					ids = append(ids, e.ID())
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{1, 2, 3, 4, 5, 6}, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUploadFileMultipartIsBinarySafe(t *testing.T) {
	content := make([]byte, 256*4)
	for i := range content {
		content[i] = byte(i)
	}
	var gotFile []byte
	var gotFields map[string]string
	var gotName, gotType string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			failBody(w, 400, err.Error())
			return
		}
		f, hdr, err := r.FormFile("file")
		if err != nil {
			failBody(w, 400, "No files were provided with the request.")
			return
		}
		gotFile, _ = io.ReadAll(f)
		gotName, gotType = hdr.Filename, hdr.Header.Get("Content-Type")
		gotFields = map[string]string{}
		for k, v := range r.MultipartForm.Value {
			gotFields[k] = v[0]
		}
		okData(w, map[string]any{"id": 9, "file_name": hdr.Filename, "deal_id": 4})
	}), nil)
	out, err := h.c.UploadFile(context.Background(), FileUpload{Name: `contract "v2".pdf`, Data: content, ContentType: "application/pdf", DealID: 4, PersonID: 5, LeadID: "adf21080-0e10-11eb-879b-05d71fb426ec"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotFile, content) {
		t.Errorf("file content changed in transit (%d bytes received, want %d)", len(gotFile), len(content))
	}
	if gotName != `contract "v2".pdf` || gotType != "application/pdf" {
		t.Errorf("file name %q, type %q", gotName, gotType)
	}
	want := map[string]string{"deal_id": "4", "person_id": "5", "lead_id": "adf21080-0e10-11eb-879b-05d71fb426ec"}
	if diff := cmp.Diff(want, gotFields); diff != "" {
		t.Errorf("link fields (-want +got):\n%s", diff)
	}
	if out.ID() != 9 {
		t.Errorf("returned id %d, want 9", out.ID())
	}
}

func TestAddLabelOptionsSendsFullList(t *testing.T) {
	var put map[string]any
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.Path {
		case "GET /api/v1/personFields":
			writeJSON(w, 200, map[string]any{"success": true, "data": []map[string]any{
				{"id": 1, "key": "name", "name": "Name", "field_type": "varchar"},
				{"id": 9, "key": "label", "name": "Label", "field_type": "enum", "options": []map[string]any{{"id": 5, "label": "Customer", "color": "green"}}},
			}, "additional_data": map[string]any{"pagination": map[string]any{"more_items_in_collection": false}}})
		case "PUT /api/v1/personFields/9":
			_ = json.NewDecoder(r.Body).Decode(&put)
			okData(w, map[string]any{"id": 9, "key": "label", "options": []map[string]any{{"id": 5, "label": "Customer", "color": "green"}, {"id": 6, "label": "VIP", "color": "red"}}})
		default:
			failBody(w, 404, "no route")
		}
	}), nil)
	opts, err := h.c.AddLabelOptions(context.Background(), PersonFields, []Option{{Label: "VIP", Color: "red"}})
	if err != nil {
		t.Fatal(err)
	}
	wantPut := map[string]any{"options": []any{map[string]any{"id": 5.0, "label": "Customer", "color": "green"}, map[string]any{"label": "VIP", "color": "red"}}}
	if diff := cmp.Diff(wantPut, put); diff != "" {
		t.Errorf("PUT body (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Option{{ID: 5, Label: "Customer", Color: "green"}, {ID: 6, Label: "VIP", Color: "red"}}, opts); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
}

func TestAddLabelOptionsNotResentOn5xx(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cnt.add(r)
		if r.Method == "GET" {
			writeJSON(w, 200, map[string]any{"success": true, "data": []map[string]any{{"id": 9, "key": "label"}}})
			return
		}
		failBody(w, 500, "Internal Server Error")
	}), nil)
	_, err := h.c.AddLabelOptions(context.Background(), DealFields, []Option{{Label: "VIP"}})
	if !errors.Is(err, ErrOutcomeUnknown) || cnt.get("PUT /api/v1/dealFields/9") != 1 {
		t.Fatalf("err = %v after %d PUTs; want ErrOutcomeUnknown after 1", err, cnt.get("PUT /api/v1/dealFields/9"))
	}
}

func TestFindUserByEmail(t *testing.T) {
	var q string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q = r.URL.RawQuery
		okData(w, []map[string]any{{"id": 1, "email": "ann.smith@acme.com"}, {"id": 2, "email": "Ann@Acme.com", "name": "Ann"}})
	}), nil)
	u, found, err := h.c.FindUserByEmail(context.Background(), " ann@acme.com ")
	if err != nil || !found || u.ID != 2 || u.Name != "Ann" {
		t.Fatalf("got %+v, %v, %v; want user 2", u, found, err)
	}
	if q != "search_by_email=1&term=ann%40acme.com" {
		t.Errorf("query = %q", q)
	}
	_, found, _ = h.c.FindUserByEmail(context.Background(), "bob@acme.com")
	if found {
		t.Error("a substring hit was reported as the user")
	}
}

func TestDeletesIgnoreData(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		okData(w, map[string]any{"/api/v1/notes/3": true, "/api/v1/files/3": map[string]any{"id": 3}, "/api/v2/deals/3": map[string]any{"id": 3}}[r.URL.Path])
	}), nil)
	ctx := context.Background()
	for name, err := range map[string]error{"note": h.c.DeleteNote(ctx, 3), "file": h.c.DeleteFile(ctx, 3), "deal": h.c.DeleteDeal(ctx, 3)} {
		if err != nil {
			t.Errorf("delete %s: %v", name, err)
		}
	}
}
