package migrate

import (
	"fmt"
	"strconv"
	"strings"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// custom sets the configured custom fields of kind that rec has values for.
func (m BasicMapper) custom(kind source.Kind, rec source.Record, refs Resolver, body pipedrive.Entity) error {
	for _, c := range m.Custom {
		raw := strings.TrimSpace(rec.Fields[c.Source])
		if c.Kind != kind || raw == "" {
			continue
		}
		code, ok := refs.FieldCode(c.Spec.Entity, c.Spec.Name)
		if !ok {
			return fmt.Errorf("custom field %q of %s is not set up", c.Spec.Name, c.Spec.Entity)
		}
		v, err := customValue(c.Spec, raw, refs)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrUnmappable, c.Source, err)
		}
		body.SetCustom(code, v)
	}
	return nil
}

func customValue(spec FieldSpec, raw string, refs Resolver) (any, error) {
	switch spec.Type {
	case "varchar":
		if len([]rune(raw)) > 255 {
			return nil, fmt.Errorf("%d characters, varchar holds 255", len([]rune(raw)))
		}
		return raw, nil
	case "text":
		return raw, nil
	case "double":
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", raw)
		}
		return n, nil
	case "enum":
		id, ok := refs.OptionID(spec.Entity, spec.Name, raw)
		if !ok {
			return nil, fmt.Errorf("%q is not an option of %s", raw, spec.Name)
		}
		return id, nil
	}
	return nil, fmt.Errorf("type %s is not supported by the basic mapper", spec.Type)
}
