package klipy

import (
	"context"
	"errors"
)

// Access says whether the key may read one resource.
type Access struct {
	Resource string // "people", "companies", "interactions"
	Scope    string // the scope reading it needs
	OK       bool
	Err      error // why not, when OK is false
}

// probeCompanyID is asked for when no real company id is at hand: a 404 for it shows the key
// may read companies (a key without the scope gets 403 first).
const probeCompanyID = "ferry-probe-nonexistent"

// Probe authenticates and tries one read of each resource (four requests), so ferry probe can
// say which objects the API supplies with this key. A key without the ALL scope, which may not
// call /authenticate, is identified by a scoped read instead (see Identify). Its error is
// Identify's; per-resource failures (403 for a missing scope, or anything else) are in the
// Access list.
func (c *Client) Probe(ctx context.Context) (Auth, []Access, error) {
	a, _, err := c.Identify(ctx)
	if err != nil {
		return a, nil, err
	}
	var companyID string
	note := func(p Page) {
		for _, r := range p.Records {
			if ids := companyRefs(r); companyID == "" && len(ids) > 0 {
				companyID = ids[0]
			}
		}
	}
	people, err := c.QueryPeople(ctx, "")
	note(people)
	acc := []Access{access("people", ScopePeopleRead, err)}
	inter, err := c.QueryInteractions(ctx, "", nil)
	note(inter)
	acc = append(acc, access("interactions", ScopeInteractionsRead, err))
	if companyID == "" {
		companyID = probeCompanyID
	}
	_, err = c.GetCompany(ctx, companyID)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return a, append(acc, access("companies", ScopeCompaniesRead, err)), nil
}

func access(resource, scope string, err error) Access {
	return Access{Resource: resource, Scope: scope, OK: err == nil, Err: err}
}
