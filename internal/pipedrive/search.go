package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// SearchOptions is a search of persons, organizations or deals (v2 /{kind}/search).
type SearchOptions struct {
	Term       string     // at least 2 characters, or 1 with ExactMatch
	Fields     []string   // e.g. "email", "name", "custom_fields"
	ExactMatch bool       // case-insensitive exact match
	Filter     url.Values // organization_id, person_id, status, …
	MaxPages   int        // pages to read at most (20 tokens each); default 1
}

// SearchHit is one search result.
type SearchHit struct {
	ResultScore float64
	Item        Entity
}

// Search runs a v2 search of k (persons, organizations or deals). Searches are paced at 10
// per 2 s. Use it for reconciliation, not for lookups the id map can answer.
func (c *Client) Search(ctx context.Context, k Kind, opts SearchOptions) ([]SearchHit, error) {
	switch k {
	case Persons, Organizations, Deals:
	default:
		return nil, fmt.Errorf("pipedrive: search: %q cannot be searched; allowed are persons, organizations, deals", k)
	}
	if err := checkTerm(opts.Term, opts.ExactMatch); err != nil {
		return nil, err
	}
	q := copyValues(opts.Filter)
	q.Set("term", opts.Term)
	if len(opts.Fields) > 0 {
		q.Set("fields", strings.Join(opts.Fields, ","))
	}
	if opts.ExactMatch {
		q.Set("exact_match", "true")
	}
	q.Set("limit", strconv.Itoa(PageSize))
	return c.searchPages(ctx, k.path()+"/search", q, opts.MaxPages)
}

// SearchPersons searches persons. See Search.
func (c *Client) SearchPersons(ctx context.Context, opts SearchOptions) ([]SearchHit, error) {
	return c.Search(ctx, Persons, opts)
}

// ItemSearchOptions is a search across item types (v2 itemSearch; at most 100 a page).
type ItemSearchOptions struct {
	Term       string
	ItemTypes  []string // deal, person, organization, product, lead, file, mail_attachment, project
	Fields     []string
	ExactMatch bool
	MaxPages   int
}

// ItemSearch searches across item types.
func (c *Client) ItemSearch(ctx context.Context, opts ItemSearchOptions) ([]SearchHit, error) {
	if err := checkTerm(opts.Term, opts.ExactMatch); err != nil {
		return nil, err
	}
	q := url.Values{"term": {opts.Term}, "limit": {"100"}}
	if len(opts.ItemTypes) > 0 {
		q.Set("item_types", strings.Join(opts.ItemTypes, ","))
	}
	if len(opts.Fields) > 0 {
		q.Set("fields", strings.Join(opts.Fields, ","))
	}
	if opts.ExactMatch {
		q.Set("exact_match", "true")
	}
	return c.searchPages(ctx, "/api/v2/itemSearch", q, opts.MaxPages)
}

// FieldSearch finds records by the value of one field (v2 itemSearch/field): the fit for an
// external id kept in a varchar custom field. Matching is case-sensitive.
type FieldSearch struct {
	EntityType string // deal, lead, person, organization, product, project
	Field      string // field key (field_code for custom fields)
	Term       string
	Match      string // exact (default), beginning, middle
}

// SearchByField returns the items (id and name) whose field matches.
func (c *Client) SearchByField(ctx context.Context, s FieldSearch) ([]Entity, error) {
	if s.EntityType == "" || s.Field == "" {
		return nil, errors.New("pipedrive: search by field: entity type and field are required")
	}
	match := s.Match
	if match == "" {
		match = "exact"
	}
	if err := checkTerm(s.Term, match == "exact"); err != nil {
		return nil, err
	}
	q := url.Values{"term": {s.Term}, "entity_type": {s.EntityType}, "field": {s.Field}, "match": {match}, "limit": {strconv.Itoa(PageSize)}}
	var all []Entity
	err := c.eachCursor(ctx, "/api/v2/itemSearch/field", q, entityPages(collect(&all)))
	return all, err
}

func checkTerm(term string, exact bool) error {
	n := len([]rune(strings.TrimSpace(term)))
	if n >= 2 || (exact && n == 1) {
		return nil
	}
	return fmt.Errorf("pipedrive: search term %q too short: at least 2 characters, or 1 with an exact match", term)
}

func copyValues(v url.Values) url.Values {
	q := url.Values{}
	for k, vs := range v {
		q[k] = append([]string(nil), vs...)
	}
	return q
}

// searchPages reads up to maxPages pages (default 1) of a search answering {items: [...]}.
func (c *Client) searchPages(ctx context.Context, path string, q url.Values, maxPages int) ([]SearchHit, error) {
	if maxPages <= 0 {
		maxPages = 1
	}
	var hits []SearchHit
	pages := 0
	errStop := errors.New("stop")
	err := c.eachCursor(ctx, path, q, func(resp *Response) error {
		var data struct {
			Items []struct {
				ResultScore float64 `json:"result_score"`
				Item        Entity  `json:"item"`
			} `json:"items"`
		}
		if err := decodeData(resp, &data); err != nil {
			return err
		}
		for _, it := range data.Items {
			hits = append(hits, SearchHit{ResultScore: it.ResultScore, Item: it.Item})
		}
		if pages++; pages >= maxPages {
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return hits, err
}
