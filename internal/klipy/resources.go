package klipy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"ferry/internal/source"
)

// Page is one page of a query.
type Page struct {
	Records []source.Record
	Next    string // cursor of the next page; "" on the last page
}

// InteractionFilter narrows an interactions query (NOTES.md §1: filter{companyId, contactId}).
type InteractionFilter struct {
	CompanyID string `json:"companyId,omitempty"`
	ContactID string `json:"contactId,omitempty"`
}

// queryBody is the body of POST /…/query.
type queryBody struct {
	Cursor string             `json:"cursor,omitempty"`
	Limit  int                `json:"limit,omitempty"`
	Filter *InteractionFilter `json:"filter,omitempty"`
}

// QueryPeople returns the page of people after cursor ("" for the first page), using
// POST /people/query. It needs scope people:read.
func (c *Client) QueryPeople(ctx context.Context, cursor string) (Page, error) {
	return c.query(ctx, source.Person, "/people/query", queryBody{Cursor: cursor, Limit: c.cfg.PageSize})
}

// QueryInteractions returns the page of interactions after cursor, optionally filtered, using
// POST /interactions/query. It needs scope interactions:read.
func (c *Client) QueryInteractions(ctx context.Context, cursor string, f *InteractionFilter) (Page, error) {
	if f != nil && *f == (InteractionFilter{}) {
		f = nil
	}
	return c.query(ctx, source.Interaction, "/interactions/query", queryBody{Cursor: cursor, Limit: c.cfg.PageSize, Filter: f})
}

// GetPerson returns one person (GET /people/{id}); a missing one gives an error wrapping ErrNotFound.
func (c *Client) GetPerson(ctx context.Context, id string) (source.Record, error) {
	return c.get(ctx, source.Person, "/people/", id)
}

// GetCompany returns one company (GET /companies/{id}), the only way to read companies.
// It needs scope companies:read; a missing one gives an error wrapping ErrNotFound.
func (c *Client) GetCompany(ctx context.Context, id string) (source.Record, error) {
	return c.get(ctx, source.Company, "/companies/", id)
}

// GetInteraction returns one interaction (GET /interactions/{id}).
func (c *Client) GetInteraction(ctx context.Context, id string) (source.Record, error) {
	return c.get(ctx, source.Interaction, "/interactions/", id)
}

func (c *Client) query(ctx context.Context, kind source.Kind, path string, body queryBody) (Page, error) {
	env, g, err := c.call(ctx, "POST", path, body)
	if err != nil {
		return Page{}, err
	}
	l, err := decodeList(g, env, resourceOf(path))
	if err != nil {
		return Page{}, fmt.Errorf("klipy POST %s: %w", path, err)
	}
	if !l.Paged && body.Limit > 0 && len(l.Items) >= body.Limit {
		return Page{}, fmt.Errorf("klipy POST %s: %w: a full page (%d of limit %d) came back without paging fields the client knows "+
			"(page_info/pageInfo {has_more, next_cursor} at the top, in meta or in data, or next_cursor/has_more in data); "+
			"seen: %s; stopping rather than taking this as the last page", path, ErrProtocol, len(l.Items), body.Limit, strings.Join(l.Seen, ", "))
	}
	if l.HasMore && l.Next == body.Cursor {
		return Page{}, fmt.Errorf("klipy POST %s: %w: next cursor repeats the current one", path, ErrProtocol)
	}
	p := Page{Records: make([]source.Record, 0, len(l.Items))}
	if l.HasMore {
		p.Next = l.Next
	}
	for _, raw := range l.Items {
		r, err := decodeObject(kind, raw, path)
		if err != nil {
			return Page{}, c.redact(err)
		}
		p.Records = append(p.Records, r)
	}
	return p, nil
}

// resourceOf names the resource of a query path: "/people/query" → "people".
func resourceOf(path string) string {
	r, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return r
}

func (c *Client) get(ctx context.Context, kind source.Kind, prefix, id string) (source.Record, error) {
	if id == "" {
		return source.Record{}, fmt.Errorf("klipy GET %s{id}: empty %s id", prefix, kind)
	}
	path := prefix + url.PathEscape(id)
	env, _, err := c.call(ctx, "GET", path, nil)
	if err != nil {
		return source.Record{}, err
	}
	r, err := decodeObject(kind, json.RawMessage(env.Data), prefix+"{id}")
	if err != nil {
		return r, c.redact(err)
	}
	return r, nil
}
