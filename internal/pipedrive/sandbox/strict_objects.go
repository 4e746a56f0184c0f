package sandbox

// checkContacts validates emails/phones/im items: value required, one primary at most.
func checkContacts(name string, v any) (any, *apiError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid(name, "array", v)
	}
	out := make([]any, 0, len(arr))
	primaries := 0
	for _, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, invalid(name+"[]", "object", e)
		}
		val, ok := m["value"].(string)
		if !ok {
			return nil, badRequest("Validation failed: %s[].value: Required string", name)
		}
		item := map[string]any{"value": val, "primary": false, "label": "work"}
		for k, x := range m {
			switch k {
			case "value":
			case "primary":
				b, ok := x.(bool)
				if !ok {
					return nil, invalid(name+"[].primary", "boolean", x)
				}
				item["primary"] = b
				if b {
					primaries++
				}
			case "label":
				s, ok := x.(string)
				if !ok {
					return nil, invalid(name+"[].label", "string", x)
				}
				item["label"] = s
			default:
				return nil, badRequest("Validation failed: %s[]: Unrecognized key %q", name, k)
			}
		}
		out = append(out, item)
	}
	if primaries > 1 {
		return nil, badRequest("Validation failed: %s: Only one item can be primary", name)
	}
	if primaries == 0 && len(out) > 0 {
		out[0].(map[string]any)["primary"] = true
	}
	return out, nil
}

// checkAddress validates an address object: value required, other parts strings or null.
func checkAddress(name string, v any) (any, *apiError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(name, "object", v)
	}
	if _, ok := m["value"].(string); !ok {
		return nil, badRequest("Validation failed: %s.value: Required string", name)
	}
	out := map[string]any{}
	for _, p := range addrParts {
		out[p] = nil
	}
	for k, x := range m {
		if !containsStr(addrParts, k) {
			return nil, badRequest("Validation failed: %s: Unrecognized key %q", name, k)
		}
		if _, ok := x.(string); !ok && x != nil {
			return nil, invalid(name+"."+k, "string", x)
		}
		out[k] = x
	}
	return out, nil
}
