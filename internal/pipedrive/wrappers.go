package pipedrive

import "context"

// GetOrganization reads an organization. See Get.
func (c *Client) GetOrganization(ctx context.Context, id int64) (Entity, error) {
	return c.Get(ctx, Organizations, id)
}

// UpdateOrganization patches an organization. See Update.
func (c *Client) UpdateOrganization(ctx context.Context, id int64, o Entity) (Entity, error) {
	return c.Update(ctx, Organizations, id, o)
}

// DeleteOrganization deletes an organization. See Delete.
func (c *Client) DeleteOrganization(ctx context.Context, id int64) error {
	return c.Delete(ctx, Organizations, id)
}

// ListOrganizations walks organizations. See List.
func (c *Client) ListOrganizations(ctx context.Context, opts ListOptions, fn func([]Entity) error) error {
	return c.List(ctx, Organizations, opts, fn)
}

// SearchOrganizations searches organizations. See Search.
func (c *Client) SearchOrganizations(ctx context.Context, opts SearchOptions) ([]SearchHit, error) {
	return c.Search(ctx, Organizations, opts)
}

// GetDeal reads a deal. See Get.
func (c *Client) GetDeal(ctx context.Context, id int64) (Entity, error) { return c.Get(ctx, Deals, id) }

// UpdateDeal patches a deal. See Update.
func (c *Client) UpdateDeal(ctx context.Context, id int64, d Entity) (Entity, error) {
	return c.Update(ctx, Deals, id, d)
}

// DeleteDeal deletes a deal. See Delete.
func (c *Client) DeleteDeal(ctx context.Context, id int64) error { return c.Delete(ctx, Deals, id) }

// ListDeals walks deals (archived deals are not included; Pipedrive lists them separately).
// See List.
func (c *Client) ListDeals(ctx context.Context, opts ListOptions, fn func([]Entity) error) error {
	return c.List(ctx, Deals, opts, fn)
}

// SearchDeals searches deals. See Search.
func (c *Client) SearchDeals(ctx context.Context, opts SearchOptions) ([]SearchHit, error) {
	return c.Search(ctx, Deals, opts)
}

// GetActivity reads an activity. See Get.
func (c *Client) GetActivity(ctx context.Context, id int64) (Entity, error) {
	return c.Get(ctx, Activities, id)
}

// UpdateActivity patches an activity. See Update.
func (c *Client) UpdateActivity(ctx context.Context, id int64, a Entity) (Entity, error) {
	return c.Update(ctx, Activities, id, a)
}

// DeleteActivity deletes an activity. See Delete.
func (c *Client) DeleteActivity(ctx context.Context, id int64) error {
	return c.Delete(ctx, Activities, id)
}

// ListActivities walks activities (filters: deal_id, person_id, org_id, owner_id, done, …).
// See List.
func (c *Client) ListActivities(ctx context.Context, opts ListOptions, fn func([]Entity) error) error {
	return c.List(ctx, Activities, opts, fn)
}
