package spectest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Deviations lists every place where the harness knowingly departs from a literal reading of
// the documents, looser or stricter, with the reason. Schema changes are applied in memory
// after loading (every schema of both documents is inline, so a response change never
// loosens a request) and counted in Document.Adjusted.
var Deviations = []string{
	"v1 `format: date-time` also accepts \"YYYY-MM-DD HH:MM:SS\": Pipedrive's documented v1 form, used by the v1 document's own examples",
	"a response schema whose own description says the value is null in some case (\"will be `null`\", \"`null` is returned\", \"null for other field types\", …) is nullable; the documents omit `nullable: true` there (e.g. every v2 `additional_data.next_cursor`)",
	"v2 organization `address` subfields are nullable: the v2 migration guide says omitted subfields become null",
	"v1 response `field_type` enums also take the system types of the v2 document's response enum (int, status, stage, …): v1 reuses its create-time enum for GET responses",
	"a string query parameter with an enum whose description says \"comma-separated\" (e.g. search `fields`, itemSearch `item_types`) takes a comma-separated list of the enum's values: the enum is replaced in memory by the equivalent pattern",
	"stricter than the schemas: a query parameter whose description says \"a maximum value of N is allowed\" (every v2 `limit`; 100 for itemSearch) gets `maximum: N`",
	"x-binary-response operations (file download): the 2xx body is raw bytes, not the `format: byte` (base64) the schema says; only its status and declared content type are checked",
	"generic error statuses (400, 401, 402, 403, 404, 410, 429, 5xx) not declared by an operation are accepted with Pipedrive's error envelope (ValidateErrorEnvelope)",
	"the v1 document's examples are not validated at load (see the first item)",
	"stricter than the documents: a 2xx JSON envelope whose schema declares `success` must carry success: true (the schemas never mark it required)",
	"stricter than the documents: add_time/update_time anywhere in a 2xx v2 JSON body must be RFC 3339 (v2 migration guide; the documents mostly give no format; products exempt, v1 unchecked because its own examples mix forms)",
}

// nullByDescription matches descriptions that state a value may be null; "set it to `null`"
// (how a request clears a custom field) is excluded separately.
var nullByDescription = regexp.MustCompile("\\bnull\\b")

// relax applies the schema deviations to d: parameters of every operation, then response
// schemas. It counts the changes in d.Adjusted.
func relax(d *Document, v2FieldTypes []any) {
	for _, r := range d.routes {
		for _, ps := range []openapi3.Parameters{r.item.Parameters, r.op.Parameters} {
			for _, p := range ps {
				d.Adjusted += commaList(p.Value) + statedMaximum(p.Value)
			}
		}
		for _, resp := range r.op.Responses.Map() {
			if resp.Value == nil {
				continue
			}
			for _, media := range resp.Value.Content {
				if media.Schema == nil {
					continue
				}
				orgs := d.Prefix == "/api/v2" && strings.HasPrefix(r.specPath, "/organizations")
				walkSchema(media.Schema.Value, map[*openapi3.Schema]bool{}, func(s *openapi3.Schema, name string) {
					d.Adjusted += relaxOne(d, s, name, orgs, v2FieldTypes)
				})
			}
		}
	}
}

func relaxOne(d *Document, s *openapi3.Schema, name string, orgs bool, v2FieldTypes []any) int {
	n := 0
	if !s.Nullable && nullByDescription.MatchString(s.Description) && !strings.Contains(s.Description, "set it to `null`") {
		s.Nullable = true
		n++
	}
	if orgs && name == "address" {
		for _, sub := range s.Properties {
			if sub.Value != nil && !sub.Value.Nullable {
				sub.Value.Nullable = true
				n++
			}
		}
	}
	if d.Prefix == "/api/v1" && name == "field_type" && len(s.Enum) > 0 {
		for _, v := range v2FieldTypes {
			if !slices.Contains(s.Enum, v) {
				s.Enum = append(s.Enum, v)
				n++
			}
		}
	}
	return n
}

// walkSchema calls f on s and every schema below it, with the property name it sits under.
func walkSchema(s *openapi3.Schema, seen map[*openapi3.Schema]bool, f func(*openapi3.Schema, string)) {
	var walk func(s *openapi3.Schema, name string)
	walk = func(s *openapi3.Schema, name string) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		f(s, name)
		for k, p := range s.Properties {
			walk(p.Value, k)
		}
		if s.Items != nil {
			walk(s.Items.Value, name)
		}
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema.Value, "")
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, ref := range group {
				if ref != nil {
					walk(ref.Value, name)
				}
			}
		}
	}
	walk(s, "")
}

// v2ResponseFieldTypes returns the field_type enum of the v2 GET /dealFields response: the
// field types Pipedrive reports when reading fields.
func v2ResponseFieldTypes(d *Document) []any {
	item := d.T.Paths.Value("/dealFields")
	if item == nil || item.Get == nil {
		return nil
	}
	var out []any
	for _, resp := range item.Get.Responses.Map() {
		if resp.Value == nil {
			continue
		}
		for _, media := range resp.Value.Content {
			if media.Schema == nil {
				continue
			}
			walkSchema(media.Schema.Value, map[*openapi3.Schema]bool{}, func(s *openapi3.Schema, name string) {
				if name == "field_type" && len(s.Enum) > len(out) {
					out = s.Enum
				}
			})
		}
	}
	return out
}

// commaList turns the enum of a comma-separated string query parameter into a pattern
// accepting one or more enum values joined by commas.
func commaList(p *openapi3.Parameter) int {
	if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil {
		return 0
	}
	s := p.Schema.Value
	if !s.Type.Is("string") || len(s.Enum) == 0 || !strings.Contains(strings.ToLower(p.Description), "comma-separated") {
		return 0
	}
	alts := make([]string, 0, len(s.Enum))
	for _, v := range s.Enum {
		str, ok := v.(string)
		if !ok {
			return 0
		}
		alts = append(alts, regexp.QuoteMeta(str))
	}
	one := "(" + strings.Join(alts, "|") + ")"
	s.Enum = nil
	s.Pattern = "^" + one + "(," + one + ")*$"
	return 1
}

// maxInProse finds the maximum a parameter's description states.
var maxInProse = regexp.MustCompile(`maximum value of (\d+) is allowed`)

// statedMaximum sets the maximum an integer query parameter's description states and its
// schema omits.
func statedMaximum(p *openapi3.Parameter) int {
	if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil {
		return 0
	}
	s := p.Schema.Value
	m := maxInProse.FindStringSubmatch(p.Description)
	if m == nil || s.Max != nil || !s.Type.Is("integer") {
		return 0
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0
	}
	s.Max = &n
	return 1
}
