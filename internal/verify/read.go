package verify

import (
	"context"
	"fmt"

	"ferry/internal/pipedrive"
)

// Collections the read-back lists, by id-map entity.
const (
	entOrg      = "organization"
	entPerson   = "person"
	entDeal     = "deal"
	entActivity = "activity"
	entNote     = "note"
	entFile     = "file"
)

// v2Kinds maps the v2 entities to their collections.
var v2Kinds = map[string]pipedrive.Kind{entOrg: pipedrive.Organizations, entPerson: pipedrive.Persons,
	entDeal: pipedrive.Deals, entActivity: pipedrive.Activities}

// dest is what Pipedrive holds, read through list endpoints: live records by entity and id.
type dest map[string]map[int64]pipedrive.Entity

// readDest lists every live record of the given entities: v2 lists and v1 notes 500 a
// page, v1 files 100 a page (that endpoint's maximum). Deleted records are left out (lists
// hide them; v1 items with active_flag false are dropped too).
func readDest(ctx context.Context, c *pipedrive.Client, entities []string, progress func(string, int)) (dest, error) {
	d := dest{}
	for _, ent := range entities {
		m := map[int64]pipedrive.Entity{}
		read := 0
		keep := func(page []pipedrive.Entity) error {
			for _, e := range page {
				if live(e) {
					m[e.ID()] = e
				}
			}
			if read += len(page); progress != nil {
				progress("read "+ent, read)
			}
			return nil
		}
		var err error
		switch ent {
		case entNote:
			err = c.Notes(ctx, pipedrive.ListOptions{}, keep)
		case entFile:
			err = c.Files(ctx, pipedrive.ListOptions{}, keep)
		default:
			k, ok := v2Kinds[ent]
			if !ok {
				return nil, fmt.Errorf("verify: no list for %q", ent)
			}
			err = c.List(ctx, k, pipedrive.ListOptions{}, keep)
		}
		if err != nil {
			return nil, fmt.Errorf("verify: list %ss: %w", ent, err)
		}
		d[ent] = m
	}
	return d, nil
}

// live reports whether a listed record is not deleted (v2 is_deleted, v1 active_flag).
func live(e pipedrive.Entity) bool {
	if d, ok := e["is_deleted"].(bool); ok && d {
		return false
	}
	if a, ok := e["active_flag"].(bool); ok && !a {
		return false
	}
	return e.ID() > 0
}
