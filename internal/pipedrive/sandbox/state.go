package sandbox

import (
	"fmt"
	"time"
)

// record is one stored entity (person, organization, deal, activity, pipeline, stage, note
// or file). Attrs hold built-in attributes as JSON-shaped values; Custom holds custom field
// values by field code.
type record struct {
	ID         int64          `json:"id"`
	AddTime    time.Time      `json:"add_time"`
	UpdateTime time.Time      `json:"update_time"`
	Deleted    bool           `json:"deleted"`
	Attrs      map[string]any `json:"attrs"`
	Custom     map[string]any `json:"custom,omitempty"`
	Data       []byte         `json:"data,omitempty"` // file bytes
	// IndexedAt is when search starts finding a created record (Options.SearchLag after
	// its creation); zero: at once.
	IndexedAt time.Time `json:"indexed_at,omitempty"`
}

// option is one option of an enum or set field.
type option struct {
	ID         int64     `json:"id"`
	Label      string    `json:"label"`
	Color      string    `json:"color,omitempty"`
	AddTime    time.Time `json:"add_time"`
	UpdateTime time.Time `json:"update_time"`
}

// fieldDef is one field of an entity: built-in (readable code) or custom (40-hex code).
type fieldDef struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Type       string    `json:"type"`
	Custom     bool      `json:"custom"`
	Options    []*option `json:"options,omitempty"`
	Deleted    bool      `json:"deleted"`
	OrderNr    int       `json:"order_nr"`
	AddVisible bool      `json:"add_visible"`
	AddTime    time.Time `json:"add_time"`
	UpdateTime time.Time `json:"update_time"`
}

// userRec is a company user.
type userRec struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Admin    bool      `json:"admin"`
	Inactive bool      `json:"inactive,omitempty"`
	Created  time.Time `json:"created"`
}

// activityType is a v1 activity type.
type activityType struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	KeyString  string    `json:"key_string"`
	IconKey    string    `json:"icon_key"`
	Color      string    `json:"color"`
	OrderNr    int       `json:"order_nr"`
	Active     bool      `json:"active"`
	Custom     bool      `json:"custom"`
	AddTime    time.Time `json:"add_time"`
	UpdateTime time.Time `json:"update_time"`
}

// leadLabel is a v1 lead label (UUID id).
type leadLabel struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Color      string    `json:"color"`
	AddTime    time.Time `json:"add_time"`
	UpdateTime time.Time `json:"update_time"`
}

// state is everything the sandbox stores; it is what --data persists.
type state struct {
	NextID        map[string]int64             `json:"next_id"`
	Records       map[string]map[int64]*record `json:"records"`
	Order         map[string][]int64           `json:"order"`
	Fields        map[string][]*fieldDef       `json:"fields"`
	Users         []*userRec                   `json:"users"`
	ActivityTypes []*activityType              `json:"activity_types"`
	LeadLabels    []*leadLabel                 `json:"lead_labels"`
	Participants  []*link                      `json:"participants,omitempty"`
	Followers     []*link                      `json:"followers,omitempty"`
	Leads         []*leadRec                   `json:"leads,omitempty"`
}

// collections are the record collections.
var collections = []string{"persons", "organizations", "deals", "activities", "pipelines", "stages", "notes", "files"}

func newState() *state {
	st := &state{
		NextID:  map[string]int64{},
		Records: map[string]map[int64]*record{},
		Order:   map[string][]int64{},
		Fields:  map[string][]*fieldDef{},
	}
	for _, c := range collections {
		st.Records[c] = map[int64]*record{}
	}
	return st
}

// nextID allocates the next integer id of a sequence.
func (st *state) nextID(seq string) int64 {
	st.NextID[seq]++
	return st.NextID[seq]
}

// insert stores a new record in collection c with a fresh id.
func (st *state) insert(c string, rec *record) {
	rec.ID = st.nextID(c)
	st.Records[c][rec.ID] = rec
	st.Order[c] = append(st.Order[c], rec.ID)
}

// remove hard-deletes a record.
func (st *state) remove(c string, id int64) {
	delete(st.Records[c], id)
	ids := st.Order[c]
	for i, x := range ids {
		if x == id {
			st.Order[c] = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
}

// get returns a record (deleted or not).
func (st *state) get(c string, id int64) (*record, bool) {
	rec, ok := st.Records[c][id]
	return rec, ok
}

// live returns a record that exists and is not deleted.
func (st *state) live(c string, id int64) (*record, bool) {
	rec, ok := st.Records[c][id]
	if !ok || rec.Deleted {
		return nil, false
	}
	return rec, true
}

// all returns the records of c in id order.
func (st *state) all(c string) []*record {
	out := make([]*record, 0, len(st.Order[c]))
	for _, id := range st.Order[c] {
		out = append(out, st.Records[c][id])
	}
	return out
}

// user returns a user by id.
func (st *state) user(id int64) (*userRec, bool) {
	for _, u := range st.Users {
		if u.ID == id {
			return u, true
		}
	}
	return nil, false
}

// refExists reports whether an integer reference names a live record or user.
func (st *state) refExists(ref string, id int64) bool {
	if ref == "users" {
		_, ok := st.user(id)
		return ok
	}
	_, ok := st.live(ref, id)
	return ok
}

// refName names a referenced collection in error messages.
func refName(ref string) string {
	switch ref {
	case "users":
		return "User"
	case "organizations":
		return "Organization"
	case "persons":
		return "Person"
	case "deals":
		return "Deal"
	case "pipelines":
		return "Pipeline"
	case "stages":
		return "Stage"
	case "activities":
		return "Activity"
	}
	return fmt.Sprintf("Entity %s", ref)
}
