package sandbox

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
)

var (
	fileIntLinks = map[string]string{"deal_id": "deals", "person_id": "persons", "org_id": "organizations",
		"activity_id": "activities", "product_id": "", "project_id": ""}
	fileNames = map[string]string{"deal_id": "deal_name", "person_id": "person_name", "org_id": "org_name"}
)

const maxUpload = 64 << 20

// fileCreate serves POST /api/v1/files: multipart with a required "file" part and optional
// link ids; any other part (such as note_id) is rejected like Pipedrive does.
func (s *Server) fileCreate(w http.ResponseWriter, r *http.Request) *apiError {
	mr, err := r.MultipartReader()
	if err != nil {
		return v1Bad("No files were provided with the request.")
	}
	now := s.now()
	rec := &record{AddTime: now, UpdateTime: now, Attrs: map[string]any{"user_id": int64(1)}}
	gotFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return v1Bad("Invalid multipart body")
		}
		if err := s.filePart(rec, part, &gotFile); err != nil {
			return err
		}
	}
	if !gotFile {
		return v1Bad("No files were provided with the request.")
	}
	s.st.insert("files", rec)
	writeData(w, s.renderFile(r.Host, rec))
	return nil
}

// filePart consumes one multipart part into rec.
func (s *Server) filePart(rec *record, part *multipart.Part, gotFile *bool) *apiError {
	defer part.Close()
	name := part.FormName()
	if name == "file" {
		data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
		if err != nil || len(data) > maxUpload {
			return v1Bad("File is too large or could not be read.")
		}
		fn := part.FileName()
		if fn == "" {
			return v1Bad("Invalid input: file - Expected a file.")
		}
		rec.Data = data
		rec.Attrs["file_name"] = fn
		rec.Attrs["name"] = fn
		rec.Attrs["file_size"] = int64(len(data))
		rec.Attrs["file_type"] = strings.TrimPrefix(strings.ToLower(path.Ext(fn)), ".")
		*gotFile = true
		return nil
	}
	raw, _ := io.ReadAll(io.LimitReader(part, 1024))
	val := strings.TrimSpace(string(raw))
	if name == "lead_id" {
		rec.Attrs["lead_id"] = val
		return nil
	}
	coll, known := fileIntLinks[name]
	if !known {
		return v1Bad(fmt.Sprintf("Invalid input: %s - This field was not expected.", name))
	}
	id, err := strconv.ParseInt(val, 10, 64)
	if err != nil {
		return v1Bad(fmt.Sprintf("Invalid input: %s - Expected an integer.", name))
	}
	if coll != "" && !s.st.refExists(coll, id) {
		return v1Bad(refName(coll) + " not found.")
	}
	rec.Attrs[name] = id
	return nil
}

// renderFile returns the v1 file object; url points at the download endpoint.
func (s *Server) renderFile(host string, rec *record) map[string]any {
	out := map[string]any{"id": rec.ID, "add_time": fmtV1(rec.AddTime), "update_time": fmtV1(rec.UpdateTime),
		"active_flag": !rec.Deleted, "inline_flag": false, "remote_location": "s3", "description": "",
		"url": fmt.Sprintf("http://%s/api/v1/files/%d/download", host, rec.ID)}
	for k, v := range rec.Attrs {
		out[k] = v
	}
	for key, nameKey := range fileNames {
		if rel, ok := s.st.get(fileIntLinks[key], mustInt(rec.Attrs[key])); ok {
			n := rel.Attrs["name"]
			if key == "deal_id" {
				n = rel.Attrs["title"]
			}
			out[nameKey] = n
		}
	}
	return out
}

// fileByPath returns the live file named by {id}.
func (s *Server) fileByPath(r *http.Request) (*record, *apiError) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	rec, ok := s.st.live("files", id)
	if !ok {
		return nil, notFound()
	}
	return rec, nil
}

// fileGet serves GET /api/v1/files/{id}.
func (s *Server) fileGet(w http.ResponseWriter, r *http.Request) *apiError {
	rec, err := s.fileByPath(r)
	if err != nil {
		return err
	}
	writeData(w, s.renderFile(r.Host, rec))
	return nil
}

// fileUpdate serves PUT /api/v1/files/{id} (name and description).
func (s *Server) fileUpdate(w http.ResponseWriter, r *http.Request) *apiError {
	rec, err := s.fileByPath(r)
	if err != nil {
		return err
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	for _, k := range []string{"name", "description"} {
		if v, ok := body[k].(string); ok {
			rec.Attrs[k] = v
		}
	}
	rec.UpdateTime = s.now()
	writeData(w, s.renderFile(r.Host, rec))
	return nil
}

// fileDelete serves DELETE /api/v1/files/{id}: a soft delete, hidden afterwards.
func (s *Server) fileDelete(w http.ResponseWriter, r *http.Request) *apiError {
	rec, err := s.fileByPath(r)
	if err != nil {
		return err
	}
	rec.Deleted = true
	rec.UpdateTime = s.now()
	writeData(w, map[string]any{"id": rec.ID})
	return nil
}

// fileDownload serves GET /api/v1/files/{id}/download: the bytes as uploaded.
func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request) *apiError {
	rec, err := s.fileByPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", rec.Attrs["file_name"]))
	w.Header().Set("Content-Length", strconv.Itoa(len(rec.Data)))
	_, _ = w.Write(rec.Data)
	return nil
}

// filesList serves GET /api/v1/files (limit at most 100, as the v1 spec says).
func (s *Server) filesList(w http.ResponseWriter, r *http.Request) *apiError {
	return s.writeFiles(w, r, func(*record) bool { return true })
}

// entityFiles serves GET /api/v1/{deals|persons|organizations}/{id}/files.
func (s *Server) entityFiles(coll string) apiHandler {
	key := map[string]string{"deals": "deal_id", "persons": "person_id", "organizations": "org_id"}[coll]
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if _, ok := s.st.get(coll, id); !ok {
			return notFound()
		}
		return s.writeFiles(w, r, func(rec *record) bool { return mustInt(rec.Attrs[key]) == id })
	}
}

func (s *Server) writeFiles(w http.ResponseWriter, r *http.Request, keep func(*record) bool) *apiError {
	p, err := parseV1Page(r, 100)
	if err != nil {
		return err
	}
	var recs []*record
	for _, rec := range s.st.all("files") {
		if !rec.Deleted && keep(rec) {
			recs = append(recs, rec)
		}
	}
	page := v1Slice(recs, p)
	data := make([]map[string]any, len(page))
	for i, rec := range page {
		data[i] = s.renderFile(r.Host, rec)
	}
	writeV1List(w, data, p, len(recs))
	return nil
}
