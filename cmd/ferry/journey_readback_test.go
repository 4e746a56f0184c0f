package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pdReadback is everything the journey tests read back from a Pipedrive (sandbox) company
// through its public HTTP API, with the API's own JSON shapes: v2 for persons,
// organizations, deals, activities, pipelines, stages and fields; v1 for users, notes and
// files. It deliberately does not use ferry's client or id map, so a belief shared by
// ferry and its bookkeeping cannot hide a difference.
type pdReadback struct {
	Me                               map[string]any
	Users, Notes, Files              []map[string]any
	Persons, Orgs, Deals, Activities []map[string]any
	Pipelines, Stages                []map[string]any
	Fields                           map[string][]map[string]any // person, organization, deal → v2 fields
	klipyCode                        map[string]string           // entity → field_code of "Klipy ID"
}

// readPipedrive reads the whole company at base with token.
func readPipedrive(base, token string) (*pdReadback, error) {
	r := &pdReadback{Fields: map[string][]map[string]any{}, klipyCode: map[string]string{}}
	c := &pdHTTP{base: strings.TrimRight(base, "/"), token: token, client: &http.Client{Timeout: 30 * time.Second}}
	var err error
	if r.Me, err = c.one("/api/v1/users/me"); err != nil {
		return nil, err
	}
	for _, l := range []struct {
		dst  *[]map[string]any
		path string
		v1   bool
	}{
		{&r.Users, "/api/v1/users", true}, {&r.Notes, "/api/v1/notes", true}, {&r.Files, "/api/v1/files", true},
		{&r.Persons, "/api/v2/persons", false}, {&r.Orgs, "/api/v2/organizations", false},
		{&r.Deals, "/api/v2/deals", false}, {&r.Activities, "/api/v2/activities", false},
		{&r.Pipelines, "/api/v2/pipelines", false}, {&r.Stages, "/api/v2/stages", false},
	} {
		if *l.dst, err = c.list(l.path, l.v1); err != nil {
			return nil, err
		}
	}
	for ent, path := range map[string]string{"person": "personFields", "organization": "organizationFields", "deal": "dealFields"} {
		fields, err := c.list("/api/v2/"+path, false)
		if err != nil {
			return nil, err
		}
		r.Fields[ent] = fields
		for _, f := range fields {
			if pdStr(f["field_name"]) == "Klipy ID" {
				r.klipyCode[ent] = pdStr(f["field_code"])
			}
		}
	}
	return r, nil
}

// pdHTTP is a bare Pipedrive API reader.
type pdHTTP struct {
	base, token string
	client      *http.Client
}

// get decodes one GET answer's envelope.
func (c *pdHTTP) get(path string, q url.Values) (data json.RawMessage, additional map[string]any, err error) {
	req, err := http.NewRequest(http.MethodGet, c.base+path+"?"+q.Encode(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("x-api-token", c.token)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s: %.300s", path, resp.Status, raw)
	}
	var env struct {
		Data       json.RawMessage `json:"data"`
		Additional map[string]any  `json:"additional_data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return env.Data, env.Additional, nil
}

func (c *pdHTTP) one(path string) (map[string]any, error) {
	data, _, err := c.get(path, url.Values{})
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(data, &m)
}

// list pages through a v1 (start/limit) or v2 (cursor) list.
func (c *pdHTTP) list(path string, v1 bool) ([]map[string]any, error) {
	var all []map[string]any
	q := url.Values{"limit": {"500"}}
	for page := 0; page < 1000; page++ {
		data, add, err := c.get(path, q)
		if err != nil {
			return nil, err
		}
		var items []map[string]any
		if len(data) > 0 && string(data) != "null" {
			if err := json.Unmarshal(data, &items); err != nil {
				return nil, fmt.Errorf("GET %s: data: %w", path, err)
			}
		}
		all = append(all, items...)
		if v1 {
			pg, _ := add["pagination"].(map[string]any)
			if more, _ := pg["more_items_in_collection"].(bool); !more {
				return all, nil
			}
			q.Set("start", strconv.Itoa(int(pdNum(pg["next_start"]))))
			continue
		}
		next := pdStr(add["next_cursor"])
		if next == "" {
			return all, nil
		}
		q.Set("cursor", next)
	}
	return nil, fmt.Errorf("GET %s: more than 1000 pages", path)
}

// klipyID returns the "Klipy ID" custom field of a person, organization or deal.
func (r *pdReadback) klipyID(ent string, rec map[string]any) string {
	cf, _ := rec["custom_fields"].(map[string]any)
	v := cf[r.klipyCode[ent]]
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

var klipyMarker = regexp.MustCompile(`\(Klipy ID ([^)]*)\)`)

// markerID returns the Klipy ID marker of an activity's or note's text.
func pdMarkerID(text string) string {
	if m := klipyMarker.FindStringSubmatch(text); m != nil {
		return html.UnescapeString(strings.TrimSpace(m[1]))
	}
	return ""
}

// byID indexes records by their Pipedrive id.
func pdByID(recs []map[string]any) map[int64]map[string]any {
	out := map[int64]map[string]any{}
	for _, r := range recs {
		out[int64(pdNum(r["id"]))] = r
	}
	return out
}

// primaryEmail returns the lower-cased primary (else first) email of a v2 person.
func pdPrimaryEmail(p map[string]any) string {
	emails, _ := p["emails"].([]any)
	first := ""
	for _, e := range emails {
		m, _ := e.(map[string]any)
		v := strings.ToLower(strings.TrimSpace(pdStr(m["value"])))
		if first == "" {
			first = v
		}
		if b, _ := m["primary"].(bool); b {
			return v
		}
	}
	return first
}

func pdStr(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func pdNum(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case json.Number:
		f, _ := n.Float64()
		return f
	case string:
		f, _ := strconv.ParseFloat(n, 64)
		return f
	}
	return 0
}
