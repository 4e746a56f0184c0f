package pipedrive

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// User is a Pipedrive user (v1).
type User struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	Email           string       `json:"email"`
	Active          bool         `json:"active_flag"`
	IsAdmin         any          `json:"is_admin,omitempty"` // 0/1 in v1 answers
	IsYou           bool         `json:"is_you"`
	TimezoneName    string       `json:"timezone_name,omitempty"`
	DefaultCurrency string       `json:"default_currency,omitempty"`
	CompanyID       int64        `json:"company_id,omitempty"`     // /users/me only
	CompanyDomain   string       `json:"company_domain,omitempty"` // /users/me only
	CompanyName     string       `json:"company_name,omitempty"`   // /users/me only
	Access          []UserAccess `json:"access,omitempty"`
}

// UserAccess is one app a user has access to, and whether as an admin.
type UserAccess struct {
	App   string `json:"app"`
	Admin bool   `json:"admin"`
}

// CanAddUsers reports whether the user may add users to the company (POST /v1/users needs
// the admin scope): an admin of the global app, or a legacy is_admin of 1.
func (u User) CanAddUsers() bool {
	for _, a := range u.Access {
		if a.App == "global" && a.Admin {
			return true
		}
	}
	switch v := u.IsAdmin.(type) {
	case bool:
		return v
	case float64:
		return v == 1
	}
	return false
}

// AddUser adds a user to the company by email (v1 addUser, admin scope; 10 tokens). The new
// user gets Pipedrive's default access and is active.
func (c *Client) AddUser(ctx context.Context, email string) (User, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/api/v1/users",
		JSON: map[string]any{"email": strings.TrimSpace(email)}, NonIdempotent: true})
	if err != nil {
		return User{}, err
	}
	var out User
	return out, decodeData(resp, &out)
}

// Users returns every user of the company (v1; the endpoint takes no pagination).
func (c *Client) Users(ctx context.Context) ([]User, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/api/v1/users"})
	if err != nil {
		return nil, err
	}
	var out []User
	return out, decodeData(resp, &out)
}

// Me returns the user the token belongs to, with company id and domain. It is the cheapest
// way (2 tokens) to check a token.
func (c *Client) Me(ctx context.Context) (User, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/api/v1/users/me"})
	if err != nil {
		return User{}, err
	}
	var out User
	return out, decodeData(resp, &out)
}

// FindUserByEmail returns the user whose email equals email (case-insensitive); found is false
// when none does. It costs 40 tokens: prefer matching against Users when all are needed.
func (c *Client) FindUserByEmail(ctx context.Context, email string) (u User, found bool, err error) {
	email = strings.TrimSpace(email)
	q := url.Values{"term": {email}, "search_by_email": {"1"}}
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/api/v1/users/find", Query: q})
	if err != nil {
		return User{}, false, err
	}
	var users []User
	if err := decodeData(resp, &users); err != nil {
		return User{}, false, err
	}
	for _, u := range users {
		if strings.EqualFold(strings.TrimSpace(u.Email), email) {
			return u, true, nil
		}
	}
	return User{}, false, nil
}
