package sandbox

import "net/http"

var leadColors = []string{"blue", "brown", "dark-gray", "gray", "green", "orange", "pink", "purple", "red", "yellow"}

func renderLeadLabel(l *leadLabel) map[string]any {
	return map[string]any{"id": l.ID, "name": l.Name, "color": l.Color,
		"add_time": fmtV2(l.AddTime), "update_time": fmtV2(l.UpdateTime)}
}

// leadLabelsList serves GET /api/v1/leadLabels.
func (s *Server) leadLabelsList(w http.ResponseWriter, _ *http.Request) *apiError {
	out := []map[string]any{}
	for _, l := range s.st.LeadLabels {
		out = append(out, renderLeadLabel(l))
	}
	writeData(w, out)
	return nil
}

// leadLabelCreate serves POST /api/v1/leadLabels: name and color are required.
func (s *Server) leadLabelCreate(w http.ResponseWriter, r *http.Request) *apiError {
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	name, _ := body["name"].(string)
	color, _ := body["color"].(string)
	if name == "" || !containsStr(leadColors, color) {
		return v1Bad("name and a valid color must be given")
	}
	now := s.now()
	l := &leadLabel{ID: s.uuid(), Name: name, Color: color, AddTime: now, UpdateTime: now}
	s.st.LeadLabels = append(s.st.LeadLabels, l)
	writeData(w, renderLeadLabel(l))
	return nil
}

func (s *Server) leadLabelIndex(r *http.Request) int {
	for i, l := range s.st.LeadLabels {
		if l.ID == r.PathValue("id") {
			return i
		}
	}
	return -1
}

// leadLabelUpdate serves PATCH /api/v1/leadLabels/{id}.
func (s *Server) leadLabelUpdate(w http.ResponseWriter, r *http.Request) *apiError {
	i := s.leadLabelIndex(r)
	if i < 0 {
		return notFound()
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	l := s.st.LeadLabels[i]
	if n, ok := body["name"].(string); ok && n != "" {
		l.Name = n
	}
	if c, ok := body["color"].(string); ok {
		if !containsStr(leadColors, c) {
			return v1Bad("color is not valid")
		}
		l.Color = c
	}
	l.UpdateTime = s.now()
	writeData(w, renderLeadLabel(l))
	return nil
}

// leadLabelDelete serves DELETE /api/v1/leadLabels/{id}.
func (s *Server) leadLabelDelete(w http.ResponseWriter, r *http.Request) *apiError {
	i := s.leadLabelIndex(r)
	if i < 0 {
		return notFound()
	}
	id := s.st.LeadLabels[i].ID
	s.st.LeadLabels = append(s.st.LeadLabels[:i], s.st.LeadLabels[i+1:]...)
	writeData(w, map[string]any{"id": id})
	return nil
}
