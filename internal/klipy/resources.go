package klipy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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
	return c.query(ctx, source.Person, "/people/query", queryBody{Cursor: cursor})
}

// QueryInteractions returns the page of interactions after cursor, optionally filtered, using
// POST /interactions/query. It needs scope interactions:read.
func (c *Client) QueryInteractions(ctx context.Context, cursor string, f *InteractionFilter) (Page, error) {
	if f != nil && *f == (InteractionFilter{}) {
		f = nil
	}
	return c.query(ctx, source.Interaction, "/interactions/query", queryBody{Cursor: cursor, Filter: f})
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

// query reads one page at the current page size. A 400 whose message is about the limit
// (Klipy documents a default of 20 and no maximum) lowers the page size, to the largest
// number the message allows below the current size or else to half, and asks again; the
// lower size holds for the rest of the client's life. A cursor Klipy no longer accepts gives
// an error wrapping ErrCursorExpired.
func (c *Client) query(ctx context.Context, kind source.Kind, path string, body queryBody) (Page, error) {
	var (
		env envelope
		g   Generation
		err error
	)
	for {
		body.Limit = c.PageSize()
		env, g, err = c.call(ctx, "POST", path, body)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
			break
		}
		if isCursorError(ae) && body.Cursor != "" {
			return Page{}, fmt.Errorf("%w: %w", ErrCursorExpired, err)
		}
		smaller, ok := limitFrom(ae.Message+" "+ae.Details, body.Limit)
		if !ok || !c.lowerPageSize(body.Limit, smaller) {
			break
		}
	}
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

// isCursorError reports whether a 400 refuses the cursor (Klipy documents no code for it;
// the sandbox answers invalid_cursor or cursor_expired).
func isCursorError(ae *APIError) bool {
	return strings.Contains(strings.ToLower(ae.Code), "cursor") ||
		strings.Contains(strings.ToLower(ae.Message), "cursor")
}

// maxPhrase finds a stated maximum: "1 to 50", "max 50", "maximum: 50", "at most 50", "<= 50".
var maxPhrase = regexp.MustCompile(`(?i)(?:\bto|\bmax(?:imum)?|at most|up to|<=?|not exceed|cannot exceed)\s*(?:is|of|:|=)?\s*(\d+)`)

// limitFrom reads, from a 400's text about the page limit, the page size to try next: a
// stated maximum below cur (e.g. "limit 100: allowed are 1 to 50 (default 20)" → 50), else
// the largest number in the text below cur, else cur/2. ok is false when the text is not
// about the limit or cur cannot shrink.
func limitFrom(text string, cur int) (int, bool) {
	low := strings.ToLower(text)
	if cur <= 1 || !(strings.Contains(low, "limit") || strings.Contains(low, "page size") || strings.Contains(low, "max")) {
		return 0, false
	}
	for _, m := range maxPhrase.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n < cur {
			return n, true
		}
	}
	best := 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r < '0' || r > '9' }) {
		if n, err := strconv.Atoi(f); err == nil && n >= 1 && n < cur && n > best {
			best = n
		}
	}
	if best == 0 {
		best = cur / 2
	}
	return best, true
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
