package pipedrive

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// PageSize is the page size used for lists: token cost does not depend on it, so always 500,
// the maximum of v1 and v2 lists.
const PageSize = 500

// ListOptions filters a list. Filter holds the endpoint's query filters (owner_id,
// updated_since, sort_by, pipeline_id, deal_id, …); PageSize 0 means the endpoint's maximum.
type ListOptions struct {
	Filter   url.Values
	PageSize int
}

func (o ListOptions) query(maxPage int) url.Values {
	q := url.Values{}
	for k, v := range o.Filter {
		q[k] = append([]string(nil), v...)
	}
	size := o.PageSize
	if size <= 0 || size > maxPage {
		size = maxPage
	}
	q.Set("limit", strconv.Itoa(size))
	return q
}

// eachCursor walks a v2 cursor-paginated list, calling fn with each page's data.
func (c *Client) eachCursor(ctx context.Context, path string, q url.Values, fn func(*Response) error) error {
	for {
		resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: path, Query: q})
		if err != nil {
			return err
		}
		if err := fn(resp); err != nil {
			return err
		}
		var p page
		if err := json.Unmarshal(resp.Body, &p); err != nil {
			return fmt.Errorf("pipedrive: %s: decode pagination: %w", resp.Template, err)
		}
		next := p.AdditionalData.NextCursor
		if next == nil || *next == "" {
			return nil
		}
		q.Set("cursor", *next)
	}
}

// eachOffset walks a v1 offset-paginated list (start/limit, more_items_in_collection).
func (c *Client) eachOffset(ctx context.Context, path string, q url.Values, fn func(*Response) error) error {
	for {
		resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: path, Query: q})
		if err != nil {
			return err
		}
		if err := fn(resp); err != nil {
			return err
		}
		var p page
		if err := json.Unmarshal(resp.Body, &p); err != nil {
			return fmt.Errorf("pipedrive: %s: decode pagination: %w", resp.Template, err)
		}
		pg := p.AdditionalData.Pagination
		if pg == nil || !pg.More {
			return nil
		}
		start, _ := strconv.ParseInt(q.Get("start"), 10, 64)
		if pg.NextStart <= start {
			return fmt.Errorf("pipedrive: %s: pagination did not advance (next_start %d after start %d)", resp.Template, pg.NextStart, start)
		}
		q.Set("start", strconv.FormatInt(pg.NextStart, 10))
	}
}

// entityPages adapts fn to a pager callback that decodes each page into entities.
func entityPages(fn func([]Entity) error) func(*Response) error {
	return func(resp *Response) error {
		var page []Entity
		if err := decodeData(resp, &page); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		return fn(page)
	}
}

// collect returns a page callback that appends to *all.
func collect(all *[]Entity) func([]Entity) error {
	return func(p []Entity) error {
		*all = append(*all, p...)
		return nil
	}
}
