package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// DefaultMaxFileBytes is the largest attachment uploaded (Pipedrive documents no limit).
const DefaultMaxFileBytes = 100 << 20

// blockedTypes are content types Pipedrive is not asked to hold (executables).
var blockedTypes = map[string]bool{"application/x-msdownload": true, "application/x-msdos-program": true,
	"application/x-executable": true, "application/vnd.microsoft.portable-executable": true}

// fileAttempt reads an attachment from the harvest folder and checks it: too large or an
// unsupported type is skipped by rule, a path leaving the folder, a missing file or a
// checksum mismatch is unmappable; a parent not migrated holds it.
func (e *Engine) fileAttempt(p phaseSpec, rec source.Record, r *resolver) (attempt, error) {
	f := rec.Fields
	if blockedTypes[strings.ToLower(f["content_type"])] || strings.HasSuffix(strings.ToLower(f["file_name"]), ".exe") {
		return attempt{}, fmt.Errorf("%w: %w: unsupported type %s; the file stays at %s", ErrSkip, ErrCannotMove, f["content_type"], location(f))
	}
	if n, err := strconv.ParseInt(f["size_bytes"], 10, 64); err == nil && n > e.maxFileBytes {
		return attempt{}, fmt.Errorf("%w: %w: too large (%d bytes, limit %d); the file stays at %s", ErrSkip, ErrCannotMove, n, e.maxFileBytes, location(f))
	}
	data, err := e.readAttachment(f["path"])
	if err != nil {
		return attempt{}, fmt.Errorf("%w: %v (source %s)", ErrUnmappable, err, location(f))
	}
	sum := sha256.Sum256(data)
	if want := strings.ToLower(f["sha256"]); want != "" && want != hex.EncodeToString(sum[:]) {
		return attempt{}, fmt.Errorf("%w: %s: checksum differs from the one Klipy recorded", ErrUnmappable, f["path"])
	}
	up := pipedrive.FileUpload{Name: f["file_name"], Data: data, ContentType: f["content_type"]}
	if up.Name == "" {
		up.Name = filepath.Base(f["path"])
	}
	warns, err := fileLinks(r, &up, f)
	if err != nil {
		return attempt{}, err
	}
	return attempt{fp: hex.EncodeToString(sum[:16]), warns: warns,
		send: func(ctx context.Context) (pipedrive.Entity, error) { return e.client.UploadFile(ctx, up) },
		lookup: func(ctx context.Context, _ time.Time) (int64, error) {
			return e.lookupFile(ctx, p, up)
		},
	}, nil
}

func location(f map[string]string) string {
	if f["source_url"] != "" {
		return f["path"] + " (" + f["source_url"] + ")"
	}
	return f["path"]
}

// readAttachment reads a harvest-relative path that must stay inside the folder.
func (e *Engine) readAttachment(rel string) ([]byte, error) {
	if e.filesRoot == "" {
		return nil, errors.New("no harvest folder configured to read attachments from")
	}
	if rel == "" || filepath.IsAbs(rel) || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil, fmt.Errorf("path %q leaves the harvest folder", rel)
	}
	data, err := os.ReadFile(filepath.Join(e.filesRoot, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("file %s is missing from the harvest folder", rel)
	}
	return data, err
}

// fileLinks links the upload to its deal, person, organization and activity: by id, else
// by the person's email or the company's name or domain. A reference by email, name or
// domain that names no record is returned as a warning; a parent not migrated holds the
// attachment; an attachment linked to nothing is unmappable.
func fileLinks(r Resolver, up *pipedrive.FileUpload, f map[string]string) ([]string, error) {
	links := []struct {
		dst  *int64
		kind source.Kind
		id   string
	}{{&up.DealID, source.Deal, f["deal_id"]}, {&up.PersonID, source.Person, f["person_id"]},
		{&up.OrgID, source.Company, f["company_id"]}, {&up.ActivityID, source.Interaction, f["interaction_id"]}}
	for _, l := range links {
		if strings.TrimSpace(l.id) == "" {
			continue
		}
		id, err := r.LinkID(l.kind, strings.TrimSpace(l.id))
		if err != nil {
			return nil, err
		}
		*l.dst = id
	}
	keyed := []struct {
		dst       *int64
		kind      source.Kind
		by, field string
	}{{&up.PersonID, source.Person, ByEmail, "person_email"}, {&up.OrgID, source.Company, ByName, "company_name"},
		{&up.OrgID, source.Company, ByDomain, "company_domain"}}
	var warns []string
	for _, k := range keyed {
		v := strings.TrimSpace(f[k.field])
		if v == "" || *k.dst != 0 {
			continue
		}
		id, err := r.LinkBy(k.kind, k.by, v)
		switch {
		case errors.Is(err, ErrHeld):
			return nil, err
		case err != nil:
			warns = append(warns, fmt.Sprintf("attachment.%s: %v; moved without this link", k.field, err))
		default:
			*k.dst = id
		}
	}
	if up.DealID == 0 && up.PersonID == 0 && up.OrgID == 0 && up.ActivityID == 0 {
		return nil, fmt.Errorf("%w: an attachment needs a deal, person, organization or interaction%s", ErrUnmappable, unresolved(warns))
	}
	return warns, nil
}

// unresolved appends the unresolved references to a refusal.
func unresolved(warns []string) string {
	if len(warns) == 0 {
		return ""
	}
	return " (" + strings.Join(warns, "; ") + ")"
}

// lookupFile lists the files of the upload's parent (v1 /{entity}/{id}/files) and returns
// one with the same name and size that no other attachment's id-map row claims.
func (e *Engine) lookupFile(ctx context.Context, p phaseSpec, up pipedrive.FileUpload) (int64, error) {
	path := ""
	switch {
	case up.DealID != 0:
		path = "/api/v1/deals/" + strconv.FormatInt(up.DealID, 10) + "/files"
	case up.PersonID != 0:
		path = "/api/v1/persons/" + strconv.FormatInt(up.PersonID, 10) + "/files"
	case up.OrgID != 0:
		path = "/api/v1/organizations/" + strconv.FormatInt(up.OrgID, 10) + "/files"
	default:
		return 0, errors.New("look up file: only files of a deal, person or organization can be listed")
	}
	claimed := map[int64]bool{}
	err := e.store.EachMapping(ctx, p.kind, store.Done, func(m store.Mapping) error { claimed[m.DestID] = true; return nil })
	if err != nil {
		return 0, err
	}
	files, err := e.listV1(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("look up file %s: %w", up.Name, err)
	}
	return lowestID(files, func(f pipedrive.Entity) bool {
		return !claimed[f.ID()] && f.String("file_name") == up.Name && f.Int("file_size") == int64(len(up.Data))
	}), nil
}

// listV1 reads every page of a v1 offset-paginated list.
func (e *Engine) listV1(ctx context.Context, path string) ([]pipedrive.Entity, error) {
	var all []pipedrive.Entity
	start := 0
	for {
		resp, err := e.client.Do(ctx, pipedrive.Request{Method: http.MethodGet, Path: path,
			Query: url.Values{"start": {strconv.Itoa(start)}, "limit": {"100"}}})
		if err != nil {
			return nil, err
		}
		var page struct {
			Data           []pipedrive.Entity `json:"data"`
			AdditionalData struct {
				Pagination struct {
					More      bool `json:"more_items_in_collection"`
					NextStart int  `json:"next_start"`
				} `json:"pagination"`
			} `json:"additional_data"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			return nil, fmt.Errorf("decode %s: %w", path, err)
		}
		all = append(all, page.Data...)
		if !page.AdditionalData.Pagination.More || page.AdditionalData.Pagination.NextStart <= start {
			return all, nil
		}
		start = page.AdditionalData.Pagination.NextStart
	}
}
