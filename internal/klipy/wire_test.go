package klipy

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/source"
)

func TestDecodeListShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  Generation
		body string
		want list
		err  bool
	}{
		{"new page", GenNew, `{"object":"list","data":[{"id":"a"}],"page_info":{"has_more":true,"next_cursor":"c2"},"meta":{"request_id":"r"}}`,
			list{Items: raws(`{"id":"a"}`), Next: "c2", HasMore: true, Paged: true}, false},
		{"new last page", GenNew, `{"object":"list","data":[],"page_info":{"has_more":false,"next_cursor":null},"meta":{}}`,
			list{Items: raws(), Paged: true}, false},
		{"new page_info in meta", GenNew, `{"object":"list","data":[],"meta":{"page_info":{"next_cursor":"x"}}}`,
			list{Items: raws(), Next: "x", HasMore: true, Paged: true}, false},
		{"new camelCase pageInfo", GenNew, `{"object":"list","data":[],"pageInfo":{"hasMore":true,"nextCursor":"y"},"meta":{}}`,
			list{Items: raws(), Next: "y", HasMore: true, Paged: true}, false},
		{"new list under the resource name", GenNew, `{"object":"list","data":{"people":[{"id":"p"}],"next_cursor":"z"},"meta":{}}`,
			list{Items: raws(`{"id":"p"}`), Next: "z", HasMore: true, Paged: true}, false},
		{"old documented example", GenOld, `{"success":true,"data":{"people":[{"id":"a"}]}}`,
			list{Items: raws(`{"id":"a"}`)}, false},
		{"old items", GenOld, `{"success":true,"data":{"items":[{"id":1}],"nextCursor":"n","hasMore":true}}`,
			list{Items: raws(`{"id":1}`), Next: "n", HasMore: true, Paged: true}, false},
		{"old records without hasMore", GenOld, `{"success":true,"data":{"records":[],"cursor":""}}`,
			list{Items: raws(), Paged: true}, false},
		{"old bare array", GenOld, `{"success":true,"data":[{"id":"z"}]}`, list{Items: raws(`{"id":"z"}`)}, false},
		{"old list under an unknown name", GenOld, `{"success":true,"data":{"contacts":[{"id":"z"}],"next":"n"}}`, list{}, true},
		{"has_more without cursor", GenNew, `{"object":"list","data":[],"page_info":{"has_more":true}}`, list{}, true},
		{"new envelope to old client", GenOld, `{"object":"list","data":[],"meta":{}}`, list{}, true},
		{"old envelope to new client", GenNew, `{"success":true,"data":[]}`, list{}, true},
		{"old failure with 200", GenOld, `{"success":false,"data":{}}`, list{}, true},
		{"new list as a string", GenNew, `{"object":"list","data":"x","meta":{}}`, list{}, true},
		{"not json", GenNew, `<html>`, list{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := decodeEnvelope(tc.gen, []byte(tc.body))
			var l list
			if err == nil {
				l, err = decodeList(tc.gen, env, "people")
			}
			if (err != nil) != tc.err {
				t.Fatalf("error %v, want error: %v", err, tc.err)
			}
			if err == nil {
				if d := cmp.Diff(tc.want, l, cmpopts.IgnoreFields(list{}, "Seen")); d != "" {
					t.Errorf("list (-want +got):\n%s", d)
				}
			}
		})
	}
}

func raws(xs ...string) []json.RawMessage {
	out := []json.RawMessage{}
	for _, x := range xs {
		out = append(out, json.RawMessage(x))
	}
	return out
}

func TestDecodeObjectFlexibleValues(t *testing.T) {
	for _, tc := range []struct {
		kind source.Kind
		body string
		want map[string]string
	}{
		{source.Interaction, `{"id":123,"type":"EMAIL","source":"email","interactionDate":1700000000123,
			"creationTime":"2024-01-02T03:04:05+02:00","companies":[{"id":"c1","name":"Acme"},"c2",3],"contacts":null,
			"sentiment":"MEETING_REQUESTED","createdBy":null}`,
			map[string]string{"id": "123", "type": "EMAIL", "channel": "email", "interaction_date": "2023-11-14T22:13:20.123Z",
				"created_at": "2024-01-02T01:04:05Z", "company_ids": "c1;c2;3", "custom.sentiment": "MEETING_REQUESTED"}},
		{source.Person, `{"id":"p","firstName":"Zoë","companyId":77,"phone":4922112345,"createdAt":"1700000000000","updatedAt":"last tuesday"}`,
			map[string]string{"id": "p", "first_name": "Zoë", "company_id": "77", "phone": "4922112345",
				"created_at": "2023-11-14T22:13:20Z", "updated_at": "last tuesday"}},
		{source.Company, `{"id":"c","employeeCount":"50-100","state":"NRW","estimatedRevenue":1.5e6}`,
			map[string]string{"id": "c", "employee_count": "50-100", "custom.state": "NRW", "custom.estimated_revenue": "1.5e6"}},
		{source.Company, `{"id":"c","employee_count":12,"estimated_revenue":1.5e6,"linkedin_url":"l","created_at":"2024-01-02T03:04:05.000Z","isPrivate":true,"tags":["a","b"]}`,
			map[string]string{"id": "c", "employee_count": "12", "custom.estimated_revenue": "1.5e6", "linkedin_url": "l",
				"created_at": "2024-01-02T03:04:05Z", "custom.is_private": "true", "custom.tags": `["a","b"]`}},
		{source.Person, `{"id":"p","first_name":"Zoë","last_name":"Ng","email":"z@x.io","company_id":"c9","created_at":1700000000000,"remarks":"vip"}`,
			map[string]string{"id": "p", "first_name": "Zoë", "last_name": "Ng", "email": "z@x.io", "company_id": "c9",
				"created_at": "2023-11-14T22:13:20Z", "custom.remarks": "vip"}},
		{source.Interaction, `{"id":"i","interaction_date":"2023-11-07T05:31:56Z","creation_time":"2023-11-07T05:31:56Z","people":[{"id":"h7"}],"company":{"id":"cmp"},"created_by":"u"}`,
			map[string]string{"id": "i", "interaction_date": "2023-11-07T05:31:56Z", "created_at": "2023-11-07T05:31:56Z",
				"person_ids": "h7", "company_ids": "cmp", "created_by": "u"}},
	} {
		r, err := decodeObject(tc.kind, json.RawMessage(tc.body), "/x")
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		if d := cmp.Diff(tc.want, r.Fields); d != "" {
			t.Errorf("%s fields (-want +got):\n%s", tc.kind, d)
		}
	}
	for _, bad := range []string{`{"firstName":"no id"}`, `{"id":{"nested":1}}`, `[]`, `{"id":"x","companies":"c1"}`, `null`} {
		if _, err := decodeObject(source.Interaction, json.RawMessage(bad), "/x"); err == nil {
			t.Errorf("decodeObject(%s): no error", bad)
		}
	}
}

func TestErrorBodyShapes(t *testing.T) {
	for _, tc := range []struct{ body, code, msg, rid string }{
		{`{"object":"error","error":{"code":"forbidden","message":"m","details":{"required_scope":"x"}},"meta":{"request_id":"r9"}}`, "forbidden", "m", "r9"},
		{`{"success":false,"error":{"code":404,"message":"gone"}}`, "404", "gone", ""},
		{`{"success":false,"error":"plain text"}`, "", "plain text", ""},
		{`{"code":"rate_limited","message":"slow"}`, "rate_limited", "slow", ""},
		{`{"success":false,"data":{"code":"bad","message":"worse"}}`, "bad", "worse", ""},
		{`Service Unavailable`, "", "Service Unavailable", ""},
	} {
		b, rid := errorBody([]byte(tc.body))
		if string(b.Code) != tc.code || b.Message != tc.msg || rid != tc.rid {
			t.Errorf("errorBody(%s) = %q %q %q, want %q %q %q", tc.body, b.Code, b.Message, rid, tc.code, tc.msg, tc.rid)
		}
	}
}

func TestRetryAfterAndReset(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		retryAfter, reset string
		want              time.Duration
		ok                bool
	}{
		{"12", "", 12 * time.Second, true},
		{now.Add(time.Minute).Format("Mon, 02 Jan 2006 15:04:05 GMT"), "", time.Minute, true},
		{"", "45", 45 * time.Second, true},
		{"", "1767225610", 10 * time.Second, true},    // Unix seconds
		{"", "1767225610000", 10 * time.Second, true}, // Unix milliseconds
		{"", "30000", 30 * time.Second, true},         // milliseconds from now
		{"", "1e30", 15 * time.Minute, true},          // absurd: capped, no overflow
		{"", "9223372036854775807", 15 * time.Minute, true},
		{"", "NaN", 0, false},
		{"soon", "", 0, false},
		{"", "-3", 0, false},
		{"", "", 0, false},
	} {
		h := map[string][]string{}
		if tc.retryAfter != "" {
			h["Retry-After"] = []string{tc.retryAfter}
		}
		if tc.reset != "" {
			h["X-Ratelimit-Reset"] = []string{tc.reset}
		}
		d, ok := retryAfter(h, now)
		if d != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q, %q) = %v %v, want %v %v", tc.retryAfter, tc.reset, d, ok, tc.want, tc.ok)
		}
	}
}

// FuzzDecodePage feeds arbitrary bodies through the decoding a query answer goes through:
// it must never panic, and a decoded page must be consistent.
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`{"object":"list","data":[{"id":"a","companies":["c"],"interactionDate":1}],"page_info":{"has_more":true,"next_cursor":"c2"},"meta":{}}`,
		`{"success":true,"data":{"items":[{"id":1,"companyId":2}],"nextCursor":"n"}}`,
		`{"success":true,"data":[{"id":"z","contacts":[{"id":"p"}]}]}`,
		`{"object":"error","error":{"code":"x"}}`, `null`, `[]`, `{"data":"x","object":"list"}`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, newGen bool) {
		g := GenOld
		if newGen {
			g = GenNew
		}
		_, _ = errorBody(body)
		_, _ = parseAuth(GenAuto, body)
		env, err := decodeEnvelope(g, body)
		if err != nil {
			return
		}
		l, err := decodeList(g, env, "interactions")
		if err != nil {
			return
		}
		if l.HasMore && l.Next == "" {
			t.Fatalf("page says has_more without a cursor")
		}
		for _, kind := range []source.Kind{source.Person, source.Company, source.Interaction} {
			for _, raw := range l.Items {
				r, err := decodeObject(kind, raw, "/fuzz")
				if err == nil && (r.ID == "" || r.Fields["id"] != r.ID || r.Kind != kind) {
					t.Fatalf("decoded %s record %+v is inconsistent", kind, r)
				}
			}
		}
	})
}

// TestAPIFieldsMatchDecoder decodes a fully populated object of each kind and checks that
// it yields exactly APIFields (plus custom fields), all of them standard names.
func TestAPIFieldsMatchDecoder(t *testing.T) {
	full := map[source.Kind]string{
		source.Person: `{"id":"p","firstName":"a","lastName":"b","email":"e","phone":"1","title":"t","companyId":"c",
			"linkedin":"l","createdAt":1,"updatedAt":2}`,
		source.Company: `{"id":"c","name":"n","domain":"d","website":"w","industry":"i","employeeCount":3,"city":"c",
			"country":"DE","linkedin":"l","createdAt":1,"state":"s","estimatedRevenue":5}`,
		source.Interaction: `{"id":"i","type":"EMAIL","direction":"INBOUND","source":"email","title":"t","summary":"s",
			"sentiment":"x","createdBy":"u","creationTime":1,"interactionDate":2,"companies":["c"],"contacts":["p"]}`,
	}
	for kind, body := range full {
		r, err := decodeObject(kind, json.RawMessage(body), "/x")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for k := range r.Fields {
			if len(k) < len(source.CustomPrefix) || k[:len(source.CustomPrefix)] != source.CustomPrefix {
				got = append(got, k)
			}
		}
		less := func(a, b string) bool { return a < b }
		if d := cmp.Diff(APIFields[kind], got, cmpopts.SortSlices(less)); d != "" {
			t.Errorf("%s fields (-APIFields +decoded):\n%s", kind, d)
		}
		for _, f := range APIFields[kind] {
			if !slices.Contains(source.Standard[kind], f) {
				t.Errorf("%s field %q is not a source.Standard name", kind, f)
			}
		}
	}
}

func TestLimitFrom(t *testing.T) {
	for _, tc := range []struct {
		text string
		cur  int
		want int
		ok   bool
	}{
		{"limit 100: allowed are 1 to 50 (default 20)", 100, 50, true},
		{"limit must not exceed 25", 100, 25, true},
		{"maximum page size is 40", 100, 40, true},
		{"limit too large", 100, 50, true},
		{"limit 30 is above 20", 30, 20, true},
		{"invalid email", 100, 0, false},
		{"limit too large", 1, 0, false},
	} {
		got, ok := limitFrom(tc.text, tc.cur)
		if got != tc.want || ok != tc.ok {
			t.Errorf("limitFrom(%q, %d) = %d %v, want %d %v", tc.text, tc.cur, got, ok, tc.want, tc.ok)
		}
	}
}
