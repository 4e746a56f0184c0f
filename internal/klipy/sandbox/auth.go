package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

// Scopes a key may carry (NOTES.md §3); the sandbox checks the read ones.
const (
	ScopeAll              = "ALL"
	ScopePeopleRead       = "people:read"
	ScopeCompaniesRead    = "companies:read"
	ScopeInteractionsRead = "interactions:read"
)

// keyPrefix is the key prefix of the server's generation.
func (s *Server) keyPrefix() string {
	if s.opts.API == "old" {
		return "klipy_pk_"
	}
	return "klipy_api_"
}

// authenticate finds the request's key: X-Klipy-Api-Key (which is X-KLIPY-API-KEY, header
// names being case-insensitive) or, for the new generation only, Authorization: Bearer.
func (s *Server) authenticate(r *http.Request) (Key, *apiError) {
	v := r.Header.Get("X-Klipy-Api-Key")
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case v != "":
	case hasBearer && s.opts.API == "old":
		return Key{}, errorf(http.StatusUnauthorized, "unauthorized",
			"this API takes the key in the X-KLIPY-API-KEY header, not Authorization")
	case hasBearer:
		v = strings.TrimSpace(bearer)
	default:
		return Key{}, errorf(http.StatusUnauthorized, "unauthorized", "missing API key: send it in the %s header",
			map[bool]string{true: "X-KLIPY-API-KEY", false: "X-Klipy-Api-Key (or Authorization: Bearer)"}[s.opts.API == "old"])
	}
	if !strings.HasPrefix(v, s.keyPrefix()) {
		return Key{}, errorf(http.StatusUnauthorized, "unauthorized", "invalid API key: this API takes %s… keys", s.keyPrefix())
	}
	for _, k := range s.opts.Keys {
		if k.Value == v {
			return k, nil
		}
	}
	return Key{}, errorf(http.StatusUnauthorized, "unauthorized", "invalid API key")
}

// allows reports whether key k carries scope (ALL or no scopes carry every scope).
func (k Key) allows(scope string) bool {
	return scope == "" || len(k.Scopes) == 0 || slices.Contains(k.Scopes, ScopeAll) || slices.Contains(k.Scopes, scope)
}

// forbidden is the 403 of a key without scope.
func forbidden(scope string) *apiError {
	e := errorf(http.StatusForbidden, "forbidden", "API key lacks the %s scope", scope)
	e.Details = map[string]any{"required_scope": scope}
	return e
}
