package spectest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
)

// undeclaredProperties lists the properties of a JSON request body, at any depth, that the
// body schema does not declare. Pipedrive's schemas leave additionalProperties unset, so
// openapi3filter accepts any extra key; v2 rejects unknown keys ("Invalid field(s) in the
// payload") and a client sending one holds a wrong belief. Objects whose schema allows
// additional properties (custom_fields) or declares none are not checked.
func undeclaredProperties(m *Match, contentType string, body []byte) []error {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" || len(body) == 0 || m.Operation.RequestBody == nil {
		return nil
	}
	media := m.Operation.RequestBody.Value.Content.Get(mt)
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil // openapi3filter already reports the decoding error
	}
	found := map[string]bool{}
	walkUndeclared(v, media.Schema.Value, "", found)
	var errs []error
	for _, p := range sortedKeys(found) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrUndeclaredProperty, p))
	}
	return errs
}

// declared collects the property names of schema and of its allOf, anyOf and oneOf parts;
// open is true when any of them allows additional properties explicitly.
func declared(schema *openapi3.Schema, seen map[*openapi3.Schema]bool) (props map[string]bool, open bool) {
	props = map[string]bool{}
	if schema == nil || seen[schema] {
		return props, false
	}
	seen[schema] = true
	ap := schema.AdditionalProperties
	if (ap.Has != nil && *ap.Has) || ap.Schema != nil {
		open = true
	}
	for k := range schema.Properties {
		props[k] = true
	}
	for _, group := range []openapi3.SchemaRefs{schema.AllOf, schema.AnyOf, schema.OneOf} {
		for _, ref := range group {
			if ref == nil {
				continue
			}
			sub, subOpen := declared(ref.Value, seen)
			open = open || subOpen
			for k := range sub {
				props[k] = true
			}
		}
	}
	return props, open
}

// BodyProperties returns the top-level properties the JSON request body of an operation
// declares (with those of its allOf, anyOf and oneOf parts), for a concrete path such as
// "/api/v2/persons/1". It errors when no operation matches or it takes no JSON body.
func (s *Specs) BodyProperties(method, path string) (map[string]bool, error) {
	m, err := s.Find(method, &url.URL{Path: path})
	if err != nil {
		return nil, err
	}
	if m.Operation.RequestBody == nil || m.Operation.RequestBody.Value == nil {
		return nil, fmt.Errorf("%s %s: no request body", method, path)
	}
	media := m.Operation.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil, fmt.Errorf("%s %s: no JSON request body", method, path)
	}
	props, _ := declared(media.Schema.Value, map[*openapi3.Schema]bool{})
	return props, nil
}
