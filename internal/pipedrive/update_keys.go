package pipedrive

// createOnly lists, per v2 collection, the body keys Pipedrive's v2 document allows on
// create (POST) but not on update (PATCH): a PATCH carrying one is refused with 400
// "Unrecognized key". Test TestCreateOnlyKeysMatchSpec derives the same table from
// openapi-v2.yaml.
var createOnly = map[Kind][]string{
	Persons:       {"add_time"},
	Organizations: {"add_time"},
}

// CreateOnly returns the body keys k accepts on create but not on update.
func CreateOnly(k Kind) []string { return append([]string(nil), createOnly[k]...) }

// ForUpdate returns a copy of a create body of k without the keys a PATCH may not carry, so
// that a body mapped for create can update an existing record.
func ForUpdate(k Kind, body Entity) Entity {
	out := make(Entity, len(body))
	for key, v := range body {
		out[key] = v
	}
	for _, key := range createOnly[k] {
		delete(out, key)
	}
	return out
}
