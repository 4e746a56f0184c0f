package pipedrive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// filesPageSize is the maximum page of GET /v1/files (the spec says maximum 100).
const filesPageSize = 100

// FileUpload is one file to attach. At least one link id should be set; there is no note_id.
type FileUpload struct {
	Name        string // file name shown in Pipedrive
	Data        []byte // content, sent byte for byte
	ContentType string // default application/octet-stream
	DealID      int64
	PersonID    int64
	OrgID       int64
	ActivityID  int64
	ProductID   int64
	ProjectID   int64
	LeadID      string // UUID
}

// UploadFile sends f as multipart/form-data to v1 POST /files and returns the file record. A
// lost answer gives *OutcomeUnknownError.
func (c *Client) UploadFile(ctx context.Context, f FileUpload) (Entity, error) {
	body, ctype, err := f.multipart()
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/api/v1/files", Body: body, ContentType: ctype})
	if err != nil {
		return nil, err
	}
	out := Entity{}
	return out, decodeData(resp, &out)
}

// multipart renders the upload body: the link ids as form fields, then the file part.
func (f FileUpload) multipart() ([]byte, string, error) {
	if f.Name == "" {
		return nil, "", errors.New("pipedrive: upload file: a file name is required")
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	ids := []struct {
		name string
		v    int64
	}{{"deal_id", f.DealID}, {"person_id", f.PersonID}, {"org_id", f.OrgID}, {"activity_id", f.ActivityID}, {"product_id", f.ProductID}, {"project_id", f.ProjectID}}
	for _, id := range ids {
		if id.v != 0 {
			if err := w.WriteField(id.name, strconv.FormatInt(id.v, 10)); err != nil {
				return nil, "", fmt.Errorf("pipedrive: upload file: write %s: %w", id.name, err)
			}
		}
	}
	if f.LeadID != "" {
		if err := w.WriteField("lead_id", f.LeadID); err != nil {
			return nil, "", fmt.Errorf("pipedrive: upload file: write lead_id: %w", err)
		}
	}
	ctype := f.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+escapeQuotes(f.Name)+`"`)
	h.Set("Content-Type", ctype)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(f.Data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, "", fmt.Errorf("pipedrive: upload file %q: build multipart body: %w", f.Name, err)
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", " ", "\n", " ")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// Files walks file records matching opts.Filter, 100 a page (the endpoint's maximum).
func (c *Client) Files(ctx context.Context, opts ListOptions, fn func([]Entity) error) error {
	return c.eachOffset(ctx, "/api/v1/files", opts.query(filesPageSize), entityPages(fn))
}

// DownloadFile returns the content of file id (20 tokens), e.g. to verify a checksum.
func (c *Client) DownloadFile(ctx context.Context, id int64) ([]byte, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/api/v1/files/" + strconv.FormatInt(id, 10) + "/download"})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// DeleteFile deletes a file record.
func (c *Client) DeleteFile(ctx context.Context, id int64) error {
	return c.remove(ctx, "/api/v1/files/"+strconv.FormatInt(id, 10))
}
