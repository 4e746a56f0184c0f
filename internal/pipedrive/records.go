package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// Kind is a v2 record collection.
type Kind string

// The v2 collections ferry writes.
const (
	Persons       Kind = "persons"
	Organizations Kind = "organizations"
	Deals         Kind = "deals"
	Activities    Kind = "activities"
	Pipelines     Kind = "pipelines"
	Stages        Kind = "stages"
)

func (k Kind) path() string { return "/api/v2/" + string(k) }

func (k Kind) item(id int64) string { return k.path() + "/" + strconv.FormatInt(id, 10) }

// Create adds a record (v2 POST) and returns it as Pipedrive stored it. A lost answer gives
// *OutcomeUnknownError: look the record up before creating it again.
func (c *Client) Create(ctx context.Context, k Kind, body Entity) (Entity, error) {
	return c.write(ctx, http.MethodPost, k.path(), body)
}

// Get returns one record; a missing one gives an error wrapping ErrNotFound.
func (c *Client) Get(ctx context.Context, k Kind, id int64) (Entity, error) {
	return c.write(ctx, http.MethodGet, k.item(id), nil)
}

// Update patches a record with the given fields (v2 PATCH; retried, as it carries values).
func (c *Client) Update(ctx context.Context, k Kind, id int64, body Entity) (Entity, error) {
	return c.write(ctx, http.MethodPatch, k.item(id), body)
}

// Delete removes a record (soft delete for persons, organizations, deals and activities). A
// retried delete whose first attempt was applied answers 404 (ErrNotFound): treat it as done.
func (c *Client) Delete(ctx context.Context, k Kind, id int64) error {
	return c.remove(ctx, k.item(id))
}

// remove sends a DELETE; its data (v2 {id}, v1 notes true, …) is not needed.
func (c *Client) remove(ctx context.Context, path string) error {
	_, err := c.Do(ctx, Request{Method: http.MethodDelete, Path: path})
	return err
}

// List walks every record of k matching opts, 500 a page, calling fn per page; fn's error
// stops the walk and is returned.
func (c *Client) List(ctx context.Context, k Kind, opts ListOptions, fn func([]Entity) error) error {
	return c.eachCursor(ctx, k.path(), opts.query(PageSize), entityPages(fn))
}

// write sends one JSON call and decodes data as one Entity.
func (c *Client) write(ctx context.Context, method, path string, body Entity) (Entity, error) {
	req := Request{Method: method, Path: path}
	if body != nil {
		req.JSON = body
	}
	resp, err := c.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	out := Entity{}
	if err := decodeData(resp, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreatePerson adds a person. See Create.
func (c *Client) CreatePerson(ctx context.Context, p Entity) (Entity, error) {
	return c.Create(ctx, Persons, p)
}

// UpdatePerson patches a person. See Update.
func (c *Client) UpdatePerson(ctx context.Context, id int64, p Entity) (Entity, error) {
	return c.Update(ctx, Persons, id, p)
}

// GetPerson reads a person. See Get.
func (c *Client) GetPerson(ctx context.Context, id int64) (Entity, error) {
	return c.Get(ctx, Persons, id)
}

// DeletePerson deletes a person. See Delete.
func (c *Client) DeletePerson(ctx context.Context, id int64) error { return c.Delete(ctx, Persons, id) }

// ListPersons walks persons. See List.
func (c *Client) ListPersons(ctx context.Context, opts ListOptions, fn func([]Entity) error) error {
	return c.List(ctx, Persons, opts, fn)
}

// CreateOrganization adds an organization. See Create.
func (c *Client) CreateOrganization(ctx context.Context, o Entity) (Entity, error) {
	return c.Create(ctx, Organizations, o)
}

// CreateDeal adds a deal. See Create.
func (c *Client) CreateDeal(ctx context.Context, d Entity) (Entity, error) {
	return c.Create(ctx, Deals, d)
}

// CreateActivity adds an activity (set the person through participants; person_id is read-only
// in v2). See Create.
func (c *Client) CreateActivity(ctx context.Context, a Entity) (Entity, error) {
	return c.Create(ctx, Activities, a)
}

// Pipelines returns all pipelines.
func (c *Client) Pipelines(ctx context.Context) ([]Entity, error) {
	var all []Entity
	return all, c.List(ctx, Pipelines, ListOptions{}, collect(&all))
}

// CreatePipeline adds a pipeline named name (appended after the existing ones).
func (c *Client) CreatePipeline(ctx context.Context, name string) (Entity, error) {
	return c.Create(ctx, Pipelines, Entity{"name": name})
}

// Stages returns the stages of pipelineID, or of every pipeline when pipelineID is 0.
func (c *Client) Stages(ctx context.Context, pipelineID int64) ([]Entity, error) {
	var opts ListOptions
	if pipelineID != 0 {
		opts.Filter = map[string][]string{"pipeline_id": {strconv.FormatInt(pipelineID, 10)}}
	}
	var all []Entity
	return all, c.List(ctx, Stages, opts, collect(&all))
}

// CreateStage adds a stage named name to pipelineID; extra may carry deal_probability,
// is_deal_rot_enabled, days_to_rotten.
func (c *Client) CreateStage(ctx context.Context, pipelineID int64, name string, extra Entity) (Entity, error) {
	if pipelineID <= 0 || name == "" {
		return nil, fmt.Errorf("pipedrive: create stage: pipeline id (%d) and name (%q) are required", pipelineID, name)
	}
	body := Entity{"name": name, "pipeline_id": pipelineID}
	for k, v := range extra {
		body[k] = v
	}
	return c.Create(ctx, Stages, body)
}
