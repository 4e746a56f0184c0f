package spectest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Sentinel errors of the checks the harness adds to openapi3filter's.
var (
	// ErrUndeclaredStatus: the operation does not declare the response status and it is not a
	// generic error status carrying Pipedrive's error envelope.
	ErrUndeclaredStatus = errors.New("response status not declared by the operation")
	// ErrErrorEnvelope: an undeclared generic error status whose body is not the error envelope.
	ErrErrorEnvelope = errors.New("error response is not pipedrive's error envelope")
	// ErrUndeclaredQuery: a query parameter the operation does not declare.
	ErrUndeclaredQuery = errors.New("query parameter not declared by the operation")
	// ErrUndeclaredProperty: a JSON request property the body schema does not declare.
	ErrUndeclaredProperty = errors.New("request property not declared by the body schema")
	// ErrUnauthenticated: no x-api-token header, api_token query parameter or credentials.
	ErrUnauthenticated = errors.New("request carries no pipedrive credentials")
)

// v1DateTime accepts RFC 3339 and Pipedrive's documented v1 form "YYYY-MM-DD HH:MM:SS" (UTC)
// for `format: date-time` in the v1 document only; the v1 document's own examples use it.
var v1DateTime = openapi3.NewRegexpFormatValidator(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])` +
	`(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])` +
	`| ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])$`)

func (d *Document) options() *openapi3filter.Options {
	o := &openapi3filter.Options{
		MultiError:                        true,
		IncludeResponseStatus:             true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                authenticate,
		SkipSettingDefaults:               true,
	}
	if d.Prefix == "/api/v1" {
		o.SchemaValidationOptions = []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("date-time", v1DateTime)}
	}
	return o
}

// authenticate accepts the api_key scheme when the x-api-token header or the api_token query
// parameter is present, oauth2 on a Bearer Authorization header and basic_authentication on a
// Basic one. Values are never checked.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req := in.RequestValidationInput.Request
	auth := req.Header.Get("Authorization")
	switch in.SecurityScheme.Type {
	case "apiKey":
		if req.Header.Get("x-api-token") != "" || req.URL.Query().Get("api_token") != "" {
			return nil
		}
	case "oauth2":
		if strings.HasPrefix(auth, "Bearer ") {
			return nil
		}
	case "http":
		if strings.EqualFold(in.SecurityScheme.Scheme, "basic") && strings.HasPrefix(auth, "Basic ") {
			return nil
		}
	}
	return fmt.Errorf("%w for scheme %s", ErrUnauthenticated, in.SecuritySchemeName)
}

// ValidateRequest checks req, whose body is body (req.Body is not read), against the operation
// it addresses: path, query and header parameters, security, and the request body (JSON, or
// multipart parts against the body schema's properties). It also rejects query parameters
// and JSON properties (at any depth) the operation does not declare. Paths under /_sandbox/ are
// exempt. Errors wrap ErrUnknownOperation, ErrUndeclaredQuery, ErrUndeclaredProperty or
// openapi3filter's errors.
func (s *Specs) ValidateRequest(req *http.Request, body []byte) error {
	if isSandboxControl(req.URL.Path) {
		return nil
	}
	m, err := s.Find(req.Method, req.URL)
	if err != nil {
		return err
	}
	return s.validateRequest(m, req, body)
}

func (s *Specs) validateRequest(m *Match, req *http.Request, body []byte) error {
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: m.PathParams,
		Route: m.route, Options: m.Doc.options()}
	var errs []error
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, undeclaredQuery(m, req)...)
	errs = append(errs, undeclaredProperties(m, req.Header.Get("Content-Type"), body)...)
	return errors.Join(errs...)
}

// undeclaredQuery lists query parameters neither the operation nor its path item declares;
// api_token (the historical credential) is allowed everywhere.
func undeclaredQuery(m *Match, req *http.Request) []error {
	declared := map[string]bool{"api_token": true}
	for _, ps := range []openapi3.Parameters{m.route.PathItem.Parameters, m.Operation.Parameters} {
		for _, p := range ps {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	var errs []error
	for _, name := range sortedKeys(req.URL.Query()) {
		if !declared[name] {
			errs = append(errs, fmt.Errorf("%w: %s", ErrUndeclaredQuery, name))
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ValidateResponse checks a response to req against the operation req addresses. A status the
// operation declares (or its default) is validated by openapi3filter: content type, headers,
// body schema. Otherwise the status must be a generic error status — 400, 401, 402, 403, 404,
// 410, 429 or 5xx — and the body Pipedrive's error envelope (see ValidateErrorEnvelope); any
// other undeclared status wraps ErrUndeclaredStatus. For operations marked
// x-binary-response the 2xx body is raw file bytes: only the status and the content type are
// checked, since the documents give the body `format: byte` (base64), which contradicts the
// extension.
func (s *Specs) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	if isSandboxControl(req.URL.Path) {
		return nil
	}
	m, err := s.Find(req.Method, req.URL)
	if err != nil {
		return err
	}
	return s.validateResponse(m, req, status, header, body)
}

func (s *Specs) validateResponse(m *Match, req *http.Request, status int, header http.Header, body []byte) error {
	responses := m.Operation.Responses
	declared := responses.Status(status)
	if declared == nil {
		declared = responses.Default()
	}
	if declared == nil {
		if !genericErrorStatus(status) {
			return fmt.Errorf("%w: %d (declared: %s)", ErrUndeclaredStatus, status, declaredStatuses(m.Operation))
		}
		return ValidateErrorEnvelope(header, body)
	}
	if binary, _ := m.Operation.Extensions["x-binary-response"].(bool); binary && status/100 == 2 {
		if ct := header.Get("Content-Type"); declared.Value != nil && declared.Value.Content.Get(ct) == nil {
			return fmt.Errorf("binary response content type %q is not one the operation declares", ct)
		}
		return nil
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: m.PathParams, Route: m.route,
		Options: m.Doc.options()}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status,
		Header: header, Options: m.Doc.options()}
	out.SetBodyBytes(body)
	err := openapi3filter.ValidateResponse(req.Context(), out)
	if status/100 == 2 {
		err = errors.Join(err, checkSuccess(declared.Value, header, body), checkTimes(m, header, body))
	}
	return err
}

// ErrNotSuccess: a 2xx envelope whose schema declares "success" does not say success: true.
var ErrNotSuccess = errors.New("2xx answer without success: true")

// checkSuccess requires success: true in a 2xx JSON body whose schema declares a success
// property (every envelope of both documents): the schemas type it boolean but never require
// it, so without this a 2xx carrying success: false, or no success at all, would pass.
func checkSuccess(resp *openapi3.Response, header http.Header, body []byte) error {
	mt, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil
	}
	media := resp.Content.Get(mt)
	if media == nil || media.Schema == nil || propertySchema(media.Schema.Value, "success", map[*openapi3.Schema]bool{}) == nil {
		return nil
	}
	var env struct {
		Success *bool `json:"success"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil // the schema check reports undecodable bodies
	}
	if env.Success == nil || !*env.Success {
		return fmt.Errorf("%w", ErrNotSuccess)
	}
	return nil
}

func genericErrorStatus(status int) bool {
	switch status {
	case 400, 401, 402, 403, 404, 410, 429:
		return true
	}
	return status >= 500 && status <= 599
}

func declaredStatuses(op *openapi3.Operation) string {
	var out []string
	for code := range op.Responses.Map() {
		out = append(out, code)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
