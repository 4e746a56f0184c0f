package estimate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"ferry/internal/migrate"
	"ferry/internal/source"
)

// blockedTypes mirrors the content types the engine does not upload (executables).
var blockedTypes = map[string]bool{"application/x-msdownload": true, "application/x-msdos-program": true,
	"application/x-executable": true, "application/vnd.microsoft.portable-executable": true}

// fileCheck decides an attachment as the engine's file phase does: unsupported type or too
// large is skipped, unreadable or a checksum mismatch is unmappable, a parent not migrated
// holds it, an attachment linked to nothing is unmappable.
func fileCheck(rec source.Record, r *simResolver, p Plan) error {
	f := rec.Fields
	if blockedTypes[strings.ToLower(f["content_type"])] || strings.HasSuffix(strings.ToLower(f["file_name"]), ".exe") {
		return fmt.Errorf("%w: %w: unsupported type %s", migrate.ErrSkip, migrate.ErrCannotMove, f["content_type"])
	}
	if n, err := strconv.ParseInt(f["size_bytes"], 10, 64); err == nil && n > p.MaxFileBytes {
		return fmt.Errorf("%w: %w: too large (%d bytes)", migrate.ErrSkip, migrate.ErrCannotMove, n)
	}
	if err := checkAttachment(p.FilesRoot, f["path"], f["sha256"]); err != nil {
		return fmt.Errorf("%w: %v", migrate.ErrUnmappable, err)
	}
	linked := false
	for _, l := range []struct {
		kind source.Kind
		id   string
	}{{source.Deal, f["deal_id"]}, {source.Person, f["person_id"]}, {source.Company, f["company_id"]}, {source.Interaction, f["interaction_id"]}} {
		if strings.TrimSpace(l.id) == "" {
			continue
		}
		if _, err := r.LinkID(l.kind, strings.TrimSpace(l.id)); err != nil {
			return err
		}
		linked = true
	}
	if !linked {
		return fmt.Errorf("%w: an attachment needs a deal, person, organization or interaction", migrate.ErrUnmappable)
	}
	return nil
}

// checkAttachment reads a harvest-relative file and compares its checksum.
func checkAttachment(root, rel, want string) error {
	if root == "" {
		return errors.New("no harvest folder configured")
	}
	if rel == "" || filepath.IsAbs(rel) || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return fmt.Errorf("path %q leaves the harvest folder", rel)
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if want = strings.ToLower(want); want != "" && want != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("%s: checksum differs", rel)
	}
	return nil
}
