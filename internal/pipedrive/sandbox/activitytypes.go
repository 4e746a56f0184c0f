package sandbox

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

var (
	iconKeys = []string{"task", "email", "meeting", "deadline", "call", "lunch", "calendar", "downarrow",
		"document", "smartphone", "camera", "scissors", "cogs", "bubble", "uparrow", "checkbox", "signpost",
		"shuffle", "addressbook", "linegraph", "picture", "car", "world", "search", "clip", "sound",
		"brush", "key", "padlock", "pricetag", "suitcase", "finish", "plane", "loop", "wifi", "truck",
		"cart", "bulb", "bell", "presentation"}
	hexColorRe = regexp.MustCompile(`^[0-9A-Fa-f]{6}$`)
	nonKeyRe   = regexp.MustCompile(`[^a-z0-9]+`)
)

// activityTypeExists reports whether key names an active activity type.
func (s *Server) activityTypeExists(key string) bool {
	for _, t := range s.st.ActivityTypes {
		if t.KeyString == key && t.Active {
			return true
		}
	}
	return false
}

// activityTypeName returns the display name of the type with key.
func (s *Server) activityTypeName(key string) string {
	for _, t := range s.st.ActivityTypes {
		if t.KeyString == key {
			return t.Name
		}
	}
	return key
}

func renderActivityType(t *activityType) map[string]any {
	return map[string]any{"id": t.ID, "name": t.Name, "key_string": t.KeyString, "icon_key": t.IconKey,
		"color": t.Color, "order_nr": t.OrderNr, "active_flag": t.Active, "is_custom_flag": t.Custom,
		"add_time": fmtV1(t.AddTime), "update_time": fmtV1(t.UpdateTime)}
}

// activityTypesList serves GET /api/v1/activityTypes (no pagination).
func (s *Server) activityTypesList(w http.ResponseWriter, _ *http.Request) *apiError {
	out := []map[string]any{}
	for _, t := range s.st.ActivityTypes {
		out = append(out, renderActivityType(t))
	}
	writeData(w, out)
	return nil
}

// activityTypeCreate serves POST /api/v1/activityTypes; key_string derives from the name.
func (s *Server) activityTypeCreate(w http.ResponseWriter, r *http.Request) *apiError {
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	name, _ := body["name"].(string)
	icon, _ := body["icon_key"].(string)
	if strings.TrimSpace(name) == "" || !containsStr(iconKeys, icon) {
		return v1Bad("name and a valid icon_key must be given")
	}
	now := s.now()
	key := strings.Trim(nonKeyRe.ReplaceAllString(strings.ToLower(name), "_"), "_")
	for base, i := key, 2; s.activityTypeExistsAny(key); i++ {
		key = base + strconv.Itoa(i)
	}
	t := &activityType{ID: s.st.nextID("activityTypes"), Name: name, KeyString: key, IconKey: icon,
		OrderNr: len(s.st.ActivityTypes) + 1, Active: true, Custom: true, AddTime: now, UpdateTime: now}
	if c, ok := body["color"].(string); ok {
		if !hexColorRe.MatchString(c) {
			return v1Bad("color must be a 6-character hex code")
		}
		t.Color = c
	}
	s.st.ActivityTypes = append(s.st.ActivityTypes, t)
	writeData(w, renderActivityType(t))
	return nil
}

func (s *Server) activityTypeExistsAny(key string) bool {
	for _, t := range s.st.ActivityTypes {
		if t.KeyString == key {
			return true
		}
	}
	return false
}

// activityTypeByPath finds the activity type named by the {id} path value.
func (s *Server) activityTypeByPath(r *http.Request) (*activityType, *apiError) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	for _, t := range s.st.ActivityTypes {
		if t.ID == id && t.Active {
			return t, nil
		}
	}
	return nil, notFound()
}

// activityTypeUpdate serves PUT /api/v1/activityTypes/{id}; key_string never changes.
func (s *Server) activityTypeUpdate(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := s.activityTypeByPath(r)
	if err != nil {
		return err
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	if n, ok := body["name"].(string); ok && n != "" {
		t.Name = n
	}
	if ic, ok := body["icon_key"].(string); ok {
		if !containsStr(iconKeys, ic) {
			return v1Bad("icon_key is not valid")
		}
		t.IconKey = ic
	}
	if c, ok := body["color"].(string); ok && hexColorRe.MatchString(c) {
		t.Color = c
	}
	if o, ok := v1Int(body["order_nr"]); ok {
		t.OrderNr = int(o)
	}
	t.UpdateTime = s.now()
	writeData(w, renderActivityType(t))
	return nil
}

// activityTypeDelete serves DELETE /api/v1/activityTypes/{id}: marks it inactive.
func (s *Server) activityTypeDelete(w http.ResponseWriter, r *http.Request) *apiError {
	t, err := s.activityTypeByPath(r)
	if err != nil {
		return err
	}
	t.Active = false
	t.UpdateTime = s.now()
	writeData(w, renderActivityType(t))
	return nil
}
