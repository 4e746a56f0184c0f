package harvest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"ferry/internal/source"
)

// attachmentPath is the path of an attachment row relative to the harvest folder, with '/'
// separators: the path column, else files/<file_name>; and the column it came from.
func attachmentPath(fields map[string]string) (rel, col string) {
	if p := strings.TrimSpace(fields["path"]); p != "" {
		return p, "path"
	}
	return source.FilesDir + "/" + strings.TrimSpace(fields["file_name"]), "file_name"
}

// checkAttachment verifies that an attachment row names a regular file inside the harvest
// folder (root, absolute with symlinks resolved) and, when sha256 is given, that the
// file's content has that digest. Backslashes count as separators (Windows-made sheets).
func checkAttachment(root string, fields map[string]string) (col, reason string) {
	rel, col := attachmentPath(fields)
	slashed := strings.ReplaceAll(rel, `\`, "/")
	if strings.HasPrefix(slashed, "/") || filepath.IsAbs(rel) || filepath.VolumeName(rel) != "" || hasDriveLetter(slashed) {
		return col, fmt.Sprintf("attachment path %q is absolute; give it relative to the harvest folder, e.g. files/report.pdf", rel)
	}
	clean := path.Clean(slashed)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return col, fmt.Sprintf("attachment path %q leaves the harvest folder; keep attachments under files/", rel)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(clean)))
	if isNotExist(err) {
		return col, fmt.Sprintf("attachment file %s not found in the harvest folder", clean)
	}
	if err != nil {
		return col, fmt.Sprintf("attachment file %s: %v", clean, err)
	}
	if inside, err := filepath.Rel(root, real); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
		return col, fmt.Sprintf("attachment path %q resolves through a symlink to %s, outside the harvest folder", rel, real)
	}
	fi, err := os.Stat(real)
	if err != nil || !fi.Mode().IsRegular() {
		return col, fmt.Sprintf("attachment path %q is not a regular file", rel)
	}
	want := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(fields["sha256"]), "sha256:"))
	if want == "" {
		return "", ""
	}
	got, err := fileSHA256(real)
	if err != nil {
		return col, fmt.Sprintf("attachment file %s: %v", clean, err)
	}
	if got != want {
		return "sha256", fmt.Sprintf("sha256 mismatch: %s has %s, the row says %s", clean, got, want)
	}
	return "", ""
}

// hasDriveLetter reports a Windows drive path such as "C:/x" (absolute on Windows, and
// never meant relative to the harvest folder).
func hasDriveLetter(p string) bool {
	return len(p) >= 2 && p[1] == ':' && ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z'))
}

// fileSHA256 returns the lowercase hex SHA-256 of a file, read streaming.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
