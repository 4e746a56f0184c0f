package pipedrive

import (
	"context"
	"errors"
	"net/http"
)

// ActivityTypes returns every activity type (v1; no pagination). Activities refer to a type by
// its key_string.
func (c *Client) ActivityTypes(ctx context.Context) ([]Entity, error) {
	return c.readList(ctx, "/api/v1/activityTypes")
}

// CreateActivityType adds an activity type: name and icon_key are required, color (6 hex)
// optional; Pipedrive derives key_string from the name.
func (c *Client) CreateActivityType(ctx context.Context, name, iconKey, color string) (Entity, error) {
	if name == "" || iconKey == "" {
		return nil, errors.New("pipedrive: create activity type: name and icon_key are required")
	}
	body := Entity{"name": name, "icon_key": iconKey}
	if color != "" {
		body["color"] = color
	}
	return c.write(ctx, http.MethodPost, "/api/v1/activityTypes", body)
}

// LeadLabels returns the lead labels (UUID ids; separate from person/org/deal labels).
func (c *Client) LeadLabels(ctx context.Context) ([]Entity, error) {
	return c.readList(ctx, "/api/v1/leadLabels")
}

// CreateLeadLabel adds a lead label; color is one of blue, brown, dark-gray, gray, green,
// orange, pink, purple, red, yellow.
func (c *Client) CreateLeadLabel(ctx context.Context, name, color string) (Entity, error) {
	if name == "" || color == "" {
		return nil, errors.New("pipedrive: create lead label: name and color are required")
	}
	return c.write(ctx, http.MethodPost, "/api/v1/leadLabels", Entity{"name": name, "color": color})
}

func (c *Client) readList(ctx context.Context, path string) ([]Entity, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return nil, err
	}
	var out []Entity
	return out, decodeData(resp, &out)
}
