package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// renderUser returns the v1 user object; me adds company data.
func (s *Server) renderUser(u *userRec, me bool) map[string]any {
	out := map[string]any{
		"id": u.ID, "name": u.Name, "email": u.Email, "default_currency": "USD", "locale": "en_US",
		"lang": 1, "phone": nil, "activated": true, "last_login": fmtV1(u.Created),
		"created": fmtV1(u.Created), "modified": fmtV1(u.Created), "has_created_company": u.Admin,
		"access": []map[string]any{{"app": "sales", "admin": u.Admin, "permission_set_id": "sandbox-sales"},
			{"app": "global", "admin": u.Admin, "permission_set_id": "sandbox-global"}},
		"active_flag": !u.Inactive, "timezone_name": "UTC", "timezone_offset": "+00:00", "role_id": 1,
		"icon_url": nil, "is_you": u.ID == 1, "is_deleted": false,
	}
	if me {
		out["company_id"] = 1
		out["company_name"] = "Sandbox"
		out["company_domain"] = s.opts.CompanyDomain
		out["company_country"] = "US"
		out["company_industry"] = "IT Services"
		out["language"] = map[string]any{"language_code": "en", "country_code": "US"}
	}
	return out
}

// usersList serves GET /api/v1/users (no pagination parameters).
func (s *Server) usersList(w http.ResponseWriter, _ *http.Request) *apiError {
	out := make([]map[string]any, 0, len(s.st.Users))
	for _, u := range s.st.Users {
		out = append(out, s.renderUser(u, false))
	}
	writeData(w, out)
	return nil
}

// userMe serves GET /api/v1/users/me: the admin who owns the token.
func (s *Server) userMe(w http.ResponseWriter, _ *http.Request) *apiError {
	writeData(w, s.renderUser(s.st.Users[0], true))
	return nil
}

// userGet serves GET /api/v1/users/{id}.
func (s *Server) userGet(w http.ResponseWriter, r *http.Request) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, ok := s.st.user(id)
	if !ok {
		return &apiError{status: http.StatusNotFound, msg: "User not found"}
	}
	writeData(w, s.renderUser(u, false))
	return nil
}

// usersFind serves GET /api/v1/users/find: search_by_email=1 matches the email only
// (case-insensitive, exact), otherwise the term is a case-insensitive substring of the name.
func (s *Server) usersFind(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	term := strings.ToLower(strings.TrimSpace(q.Get("term")))
	if term == "" {
		return v1Bad("term must be given")
	}
	byEmail := q.Get("search_by_email") == "1" || q.Get("search_by_email") == "true"
	out := []map[string]any{}
	for _, u := range s.st.Users {
		if (byEmail && strings.ToLower(u.Email) == term) || (!byEmail && strings.Contains(strings.ToLower(u.Name), term)) {
			out = append(out, s.renderUser(u, false))
		}
	}
	writeData(w, out)
	return nil
}

// userAdd serves POST /api/v1/users (addUser, admin scope): the body takes email (required),
// access and active_flag only. A token whose user is no admin gets 403; an email already
// in the company gets 400.
func (s *Server) userAdd(w http.ResponseWriter, r *http.Request) *apiError {
	if !s.st.Users[0].Admin {
		return &apiError{status: http.StatusForbidden, msg: "You do not have permission to add users: admin access is required"}
	}
	body, aerr := decodeV1Body(r)
	if aerr != nil {
		return aerr
	}
	for k := range body {
		if k != "email" && k != "access" && k != "active_flag" {
			return v1Bad(fmt.Sprintf("Unrecognized key %q", k))
		}
	}
	email, _ := body["email"].(string)
	email = strings.TrimSpace(email)
	if at := strings.Index(email, "@"); at <= 0 || at == len(email)-1 {
		return v1Bad("email is required and must be a valid email address")
	}
	for _, u := range s.st.Users {
		if strings.EqualFold(u.Email, email) {
			return v1Bad("A user with this email already exists in the company")
		}
	}
	active := true
	if v, ok := body["active_flag"]; ok {
		b, ok := v.(bool)
		if !ok {
			return v1Bad("active_flag must be a boolean")
		}
		active = b
	}
	if v, ok := body["access"]; ok {
		if _, ok := v.([]any); !ok {
			return v1Bad("access must be an array")
		}
	}
	u := &userRec{ID: s.st.nextID("users"), Name: email, Email: email, Inactive: !active, Created: s.now()}
	s.st.Users = append(s.st.Users, u)
	writeData(w, s.renderUser(u, false))
	return nil
}
