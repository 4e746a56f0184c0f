package spectest

import (
	"encoding/json"
	"mime"
	"net/http"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// UndeclaredResponseProperties lists the properties of a JSON response body that its schema
// does not declare, as paths with array indexes written "[]" (e.g. "/data/[]/is_you"). They are
// valid (the documents leave additionalProperties open) but worth knowing: a property the
// sandbox invents and the client relies on is exactly the shared wrong belief nothing else
// catches. Objects whose schema allows additional properties (custom_fields) are not
// inspected. A response with no JSON schema gives nil.
func (s *Specs) UndeclaredResponseProperties(req *http.Request, status int, header http.Header, body []byte) []string {
	m, err := s.Find(req.Method, req.URL)
	if err != nil {
		return nil
	}
	return undeclaredIn(m, status, header, body)
}

func undeclaredIn(m *Match, status int, header http.Header, body []byte) []string {
	resp := m.Operation.Responses.Status(status)
	mt, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if resp == nil || resp.Value == nil || err != nil || mt != "application/json" {
		return nil
	}
	media := resp.Value.Content.Get(mt)
	if media == nil || media.Schema == nil {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	found := map[string]bool{}
	walkUndeclared(v, media.Schema.Value, "", found)
	out := make([]string, 0, len(found))
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func walkUndeclared(v any, s *openapi3.Schema, path string, found map[string]bool) {
	if s == nil {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		props, open := declared(s, map[*openapi3.Schema]bool{})
		if open || len(props) == 0 {
			return
		}
		for k, val := range x {
			if !props[k] {
				found[path+"/"+k] = true
				continue
			}
			walkUndeclared(val, propertySchema(s, k, map[*openapi3.Schema]bool{}), path+"/"+k, found)
		}
	case []any:
		items := itemsSchema(s, map[*openapi3.Schema]bool{})
		for _, val := range x {
			walkUndeclared(val, items, path+"/[]", found)
		}
	}
}

// propertySchema finds the schema of property name in s or its allOf/anyOf/oneOf parts.
func propertySchema(s *openapi3.Schema, name string, seen map[*openapi3.Schema]bool) *openapi3.Schema {
	if s == nil || seen[s] {
		return nil
	}
	seen[s] = true
	if p := s.Properties[name]; p != nil {
		return p.Value
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, ref := range group {
			if ref == nil {
				continue
			}
			if p := propertySchema(ref.Value, name, seen); p != nil {
				return p
			}
		}
	}
	return nil
}

// itemsSchema finds the items schema of s or of its allOf/anyOf/oneOf parts.
func itemsSchema(s *openapi3.Schema, seen map[*openapi3.Schema]bool) *openapi3.Schema {
	if s == nil || seen[s] {
		return nil
	}
	seen[s] = true
	if s.Items != nil {
		return s.Items.Value
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, ref := range group {
			if ref == nil {
				continue
			}
			if it := itemsSchema(ref.Value, seen); it != nil {
				return it
			}
		}
	}
	return nil
}
