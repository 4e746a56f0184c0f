package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// FieldEntity names whose fields: "person", "organization", "deal" (writable) or "activity"
// (read-only in v2).
type FieldEntity string

// The entities with field APIs.
const (
	PersonFields       FieldEntity = "person"
	OrganizationFields FieldEntity = "organization"
	DealFields         FieldEntity = "deal"
	ActivityFields     FieldEntity = "activity"
)

func (f FieldEntity) v2() string { return "/api/v2/" + string(f) + "Fields" }
func (f FieldEntity) v1() string { return "/api/v1/" + string(f) + "Fields" }

// Field is a v2 field definition; custom fields are addressed by their 40-hex Code.
type Field struct {
	Name     string   `json:"field_name"`
	Code     string   `json:"field_code"`
	Type     string   `json:"field_type"`
	IsCustom bool     `json:"is_custom_field"`
	Options  []Option `json:"options,omitempty"`
}

// Option is an enum/set option or a label.
type Option struct {
	ID    int64  `json:"id,omitempty"`
	Label string `json:"label"`
	Color string `json:"color,omitempty"`
}

// Fields returns every field of entity (v2, 500 a page).
func (c *Client) Fields(ctx context.Context, entity FieldEntity) ([]Field, error) {
	var all []Field
	err := c.eachCursor(ctx, entity.v2(), url.Values{"limit": {strconv.Itoa(PageSize)}}, func(resp *Response) error {
		var page []Field
		if err := decodeData(resp, &page); err != nil {
			return err
		}
		all = append(all, page...)
		return nil
	})
	return all, err
}

// NewField describes a custom field to create. Options are required for enum and set.
type NewField struct {
	Name    string
	Type    string   // varchar, varchar_auto, text, double, monetary, date, daterange, time, timerange, set, enum, user, org, people, phone, address
	Options []string // labels, for enum and set
	Extra   Entity   // ui_visibility, important_fields, required_fields, description
}

// CreateField creates a custom field (v2) and returns it with its field_code.
func (c *Client) CreateField(ctx context.Context, entity FieldEntity, f NewField) (Field, error) {
	if entity == ActivityFields {
		return Field{}, errors.New("pipedrive: create field: activity fields cannot be created through the API; allowed are person, organization, deal")
	}
	if f.Name == "" || f.Type == "" {
		return Field{}, fmt.Errorf("pipedrive: create %s field: name (%q) and type (%q) are required", entity, f.Name, f.Type)
	}
	body := Entity{"field_name": f.Name, "field_type": f.Type}
	for k, v := range f.Extra {
		body[k] = v
	}
	if len(f.Options) > 0 {
		body["options"] = labels(f.Options)
	}
	var out Field
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, Path: entity.v2(), JSON: body})
	if err != nil {
		return Field{}, err
	}
	return out, decodeData(resp, &out)
}

// AddFieldOptions adds options to a custom enum/set field (v2, all or nothing) and returns the
// new options with their ids.
func (c *Client) AddFieldOptions(ctx context.Context, entity FieldEntity, fieldCode string, newLabels []string) ([]Option, error) {
	if fieldCode == "" || len(newLabels) == 0 {
		return nil, errors.New("pipedrive: add field options: field code and at least one label are required")
	}
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, Path: entity.v2() + "/" + url.PathEscape(fieldCode) + "/options", JSON: labels(newLabels)})
	if err != nil {
		return nil, err
	}
	var out []Option
	return out, decodeData(resp, &out)
}

func labels(ls []string) []map[string]string {
	out := make([]map[string]string, len(ls))
	for i, l := range ls {
		out[i] = map[string]string{"label": l}
	}
	return out
}

// V1Field is a v1 field definition (integer id, key); used for the built-in label field.
type V1Field struct {
	ID        int64    `json:"id"`
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	FieldType string   `json:"field_type"`
	Options   []Option `json:"options"`
}

// LabelField returns the built-in label field (key "label") of entity, read through v1.
func (c *Client) LabelField(ctx context.Context, entity FieldEntity) (V1Field, error) {
	var found *V1Field
	err := c.eachOffset(ctx, entity.v1(), url.Values{"limit": {strconv.Itoa(PageSize)}}, func(resp *Response) error {
		var page []V1Field
		if err := decodeData(resp, &page); err != nil {
			return err
		}
		for i := range page {
			if page[i].Key == "label" {
				found = &page[i]
			}
		}
		return nil
	})
	if err != nil {
		return V1Field{}, err
	}
	if found == nil {
		return V1Field{}, fmt.Errorf("pipedrive: %s fields have no built-in label field (key \"label\"): %w", entity, ErrNotFound)
	}
	return *found, nil
}

// AddLabelOptions adds labels (Label and optional Color, no ID) to entity's built-in label
// field with v1 PUT /{entity}Fields/{id} and the full options list (existing ones keep their
// ids), and returns the field's options afterwards. Because new options carry no id, a lost
// answer is not re-sent (*OutcomeUnknownError): read LabelField again before retrying.
func (c *Client) AddLabelOptions(ctx context.Context, entity FieldEntity, add []Option) ([]Option, error) {
	f, err := c.LabelField(ctx, entity)
	if err != nil {
		return nil, err
	}
	opts := append([]Option(nil), f.Options...)
	for _, o := range add {
		if o.Label == "" {
			return nil, errors.New("pipedrive: add label options: every new label needs a text")
		}
		opts = append(opts, Option{Label: o.Label, Color: o.Color})
	}
	resp, err := c.Do(ctx, Request{Method: http.MethodPut, Path: entity.v1() + "/" + strconv.FormatInt(f.ID, 10),
		JSON: map[string]any{"options": opts}, NonIdempotent: true})
	if err != nil {
		return nil, err
	}
	var out V1Field
	if err := decodeData(resp, &out); err != nil {
		return nil, err
	}
	return out.Options, nil
}
