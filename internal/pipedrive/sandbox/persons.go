package sandbox

import "strings"

var visibleTo = []int64{1, 3, 5, 7}

// personKind is /api/v2/persons. The spec body lists name; the migration guide also allows
// first_name + last_name, which the sandbox accepts and joins into name.
var personKind = &kind{
	coll: "persons", fieldEnt: "person",
	attrs: map[string]attrSpec{
		"name":             {kind: kString},
		"first_name":       {kind: kString, nullable: true},
		"last_name":        {kind: kString, nullable: true},
		"owner_id":         {kind: kInt, ref: "users"},
		"org_id":           {kind: kInt, ref: "organizations", nullable: true},
		"add_time":         {kind: kTime, create: true},
		"emails":           {kind: kContacts},
		"phones":           {kind: kContacts},
		"im":               {kind: kContacts},
		"visible_to":       {kind: kInt, ints: visibleTo},
		"label_ids":        {kind: kIntList},
		"postal_address":   {kind: kAddress, nullable: true},
		"notes":            {kind: kString, nullable: true, max: 10000}, // "maximum 10 000 characters" (openapi-v2.yaml)
		"birthday":         {kind: kDate, nullable: true},
		"job_title":        {kind: kString, nullable: true},
		"marketing_status": {kind: kString, enum: []string{"no_consent", "unsubscribed", "subscribed", "archived"}},
	},
	filters:  []string{"owner_id", "org_id"},
	defaults: entityDefaults,
	rules:    personRules,
}

// entityDefaults gives a new person/org/deal the token owner, company visibility and
// empty lists.
func entityDefaults(_ *Server, rec *record) {
	rec.Attrs["owner_id"] = int64(1)
	rec.Attrs["visible_to"] = int64(3)
	rec.Attrs["label_ids"] = []int64{}
}

// personRules derives name from first/last name and requires a name on create.
func personRules(_ *Server, rec *record, body map[string]any, create bool) *apiError {
	if _, ok := body["name"]; !ok && (body["first_name"] != nil || body["last_name"] != nil) {
		first, _ := rec.Attrs["first_name"].(string)
		last, _ := rec.Attrs["last_name"].(string)
		rec.Attrs["name"] = strings.TrimSpace(first + " " + last)
	}
	if name, _ := rec.Attrs["name"].(string); strings.TrimSpace(name) == "" {
		return badRequest("Validation failed: name: Required")
	}
	if create {
		for _, key := range []string{"emails", "phones"} {
			if rec.Attrs[key] == nil {
				rec.Attrs[key] = []any{}
			}
		}
	}
	return nil
}

// orgKind is /api/v2/organizations.
var orgKind = &kind{
	coll: "organizations", fieldEnt: "organization",
	attrs: map[string]attrSpec{
		"name":           {kind: kString},
		"owner_id":       {kind: kInt, ref: "users"},
		"add_time":       {kind: kTime, create: true},
		"visible_to":     {kind: kInt, ints: visibleTo},
		"label_ids":      {kind: kIntList},
		"address":        {kind: kAddress, nullable: true},
		"website":        {kind: kString, nullable: true},
		"linkedin":       {kind: kString, nullable: true},
		"industry":       {kind: kInt, nullable: true},
		"annual_revenue": {kind: kInt, nullable: true},
		"employee_count": {kind: kInt, nullable: true},
	},
	required: []string{"name"},
	filters:  []string{"owner_id"},
	defaults: entityDefaults,
	nullOut:  []string{"website", "linkedin", "industry", "annual_revenue", "employee_count"},
}
