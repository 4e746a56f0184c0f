package pipedrive

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

// NotesPath is the v1 notes collection.
const notesPath = "/api/v1/notes"

// CreateNote adds a note (v1). body needs "content" (HTML) and at least one of deal_id,
// person_id, org_id, lead_id, project_id; "add_time" is "YYYY-MM-DD HH:MM:SS" UTC. A lost
// answer gives *OutcomeUnknownError.
func (c *Client) CreateNote(ctx context.Context, body Entity) (Entity, error) {
	if body.String("content") == "" {
		return nil, errors.New("pipedrive: create note: content is required")
	}
	return c.write(ctx, http.MethodPost, notesPath, body)
}

// GetNote reads one note.
func (c *Client) GetNote(ctx context.Context, id int64) (Entity, error) {
	return c.write(ctx, http.MethodGet, notesPath+"/"+strconv.FormatInt(id, 10), nil)
}

// UpdateNote replaces the given fields of a note (v1 PUT).
func (c *Client) UpdateNote(ctx context.Context, id int64, body Entity) (Entity, error) {
	return c.write(ctx, http.MethodPut, notesPath+"/"+strconv.FormatInt(id, 10), body)
}

// DeleteNote deletes a note.
func (c *Client) DeleteNote(ctx context.Context, id int64) error {
	return c.remove(ctx, notesPath+"/"+strconv.FormatInt(id, 10))
}

// Notes walks notes matching opts.Filter (deal_id, person_id, org_id, user_id, start_date, …),
// 500 a page (v1 offset pagination).
func (c *Client) Notes(ctx context.Context, opts ListOptions, fn func([]Entity) error) error {
	return c.eachOffset(ctx, notesPath, opts.query(PageSize), entityPages(fn))
}
