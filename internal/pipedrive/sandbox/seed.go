package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// builtin describes a built-in field: v2 field_code, v1 key (when it differs), name, type.
type builtin struct{ code, v1key, name, typ string }

// fieldEntities are the entities with a fields API, mapped to their record collection.
var fieldEntities = map[string]string{
	"person": "persons", "organization": "organizations", "deal": "deals",
	"activity": "activities", "note": "notes",
}

// builtins lists each entity's built-in fields. The label field's v2 code is label_ids (the
// attribute it feeds) and its v1 key is label; see the package documentation.
var builtins = map[string][]builtin{
	"person": {
		{"name", "", "Name", "varchar"}, {"first_name", "", "First name", "varchar"},
		{"last_name", "", "Last name", "varchar"}, {"emails", "email", "Email", "varchar"},
		{"phones", "phone", "Phone", "phone"}, {"org_id", "", "Organization", "org"},
		{"owner_id", "", "Owner", "user"}, {"label_ids", "label", "Labels", "set"},
		{"visible_to", "", "Visible to", "visible_to"}, {"add_time", "", "Person created", "date"},
		{"update_time", "", "Update time", "date"},
	},
	"organization": {
		{"name", "", "Name", "varchar"}, {"address", "", "Address", "address"},
		{"owner_id", "", "Owner", "user"}, {"label_ids", "label", "Labels", "set"},
		{"visible_to", "", "Visible to", "visible_to"}, {"add_time", "", "Organization created", "date"},
		{"update_time", "", "Update time", "date"},
	},
	"deal": {
		{"title", "", "Title", "varchar"}, {"value", "", "Value", "monetary"},
		{"currency", "", "Currency", "varchar_options"}, {"person_id", "", "Contact person", "people"},
		{"org_id", "", "Organization", "org"}, {"owner_id", "user_id", "Owner", "user"},
		{"pipeline_id", "", "Pipeline", "int"}, {"stage_id", "", "Stage", "stage"},
		{"status", "", "Status", "status"}, {"label_ids", "label", "Labels", "set"},
		{"expected_close_date", "", "Expected close date", "date"}, {"probability", "", "Probability", "double"},
		{"won_time", "", "Won time", "date"}, {"lost_time", "", "Lost time", "date"},
		{"lost_reason", "", "Lost reason", "varchar"}, {"add_time", "", "Deal created", "date"},
		{"update_time", "", "Update time", "date"},
	},
	"activity": {
		{"subject", "", "Subject", "varchar"}, {"type", "", "Type", "varchar"},
		{"due_date", "", "Due date", "date"}, {"due_time", "", "Due time", "time"},
		{"duration", "", "Duration", "time"}, {"owner_id", "user_id", "Assigned to user", "user"},
		{"deal_id", "", "Deal", "deal"}, {"person_id", "", "Contact person", "people"},
		{"org_id", "", "Organization", "org"}, {"done", "", "Done", "boolean"},
		{"note", "", "Note", "text"}, {"busy", "busy_flag", "Free/busy", "boolean"},
		{"add_time", "", "Add time", "date"}, {"update_time", "", "Update time", "date"},
	},
	"lead": {
		{"title", "", "Title", "varchar"}, {"owner_id", "", "Owner", "user"},
		{"person_id", "", "Person", "people"}, {"organization_id", "", "Organization", "org"},
		{"value", "", "Value", "monetary"}, {"expected_close_date", "", "Expected close date", "date"},
		{"label_ids", "", "Labels", "set"}, {"add_time", "", "Lead created", "date"},
	},
	"note": {
		{"content", "", "Content", "text"}, {"deal_id", "", "Deal", "deal"},
		{"person_id", "", "Person", "people"}, {"org_id", "", "Organization", "org"},
		{"user_id", "", "User", "user"}, {"add_time", "", "Add time", "date"},
		{"pinned_to_deal_flag", "", "Pinned to deal", "boolean"},
	},
}

// defaultLabels are the label options a new company gets per entity.
var defaultLabels = map[string][][2]string{
	"person":       {{"Customer", "green"}, {"Hot lead", "red"}, {"Warm lead", "yellow"}, {"Cold lead", "blue"}},
	"organization": {{"Customer", "green"}, {"Hot lead", "red"}, {"Warm lead", "yellow"}, {"Cold lead", "blue"}},
	"deal":         {{"Hot", "red"}, {"Warm", "yellow"}, {"Cold", "blue"}},
}

// seed fills a new state with users, a default pipeline, fields, activity types and labels.
func (s *Server) seed() {
	st, now := s.st, s.now()
	st.Users = append(st.Users, &userRec{ID: st.nextID("users"), Name: "Sandbox Admin",
		Email: "admin@" + s.opts.CompanyDomain + ".example", Admin: !s.opts.NotAdmin, Created: now})
	for i := 2; i <= s.opts.Seats && len(s.opts.Users) == 0; i++ {
		st.Users = append(st.Users, &userRec{ID: st.nextID("users"), Name: fmt.Sprintf("Seat User %d", i),
			Email: fmt.Sprintf("user%d@%s.example", i, s.opts.CompanyDomain), Created: now})
	}
	for _, u := range s.opts.Users {
		st.Users = append(st.Users, &userRec{ID: st.nextID("users"), Name: u.Name, Email: u.Email, Inactive: u.Inactive, Created: now})
	}
	s.seedPipeline(now)
	for _, ent := range []string{"person", "organization", "deal", "activity", "note", "lead"} {
		for i, b := range builtins[ent] {
			f := &fieldDef{ID: st.nextID("fields"), Code: b.code, Name: b.name, Type: b.typ,
				OrderNr: i, AddVisible: true, AddTime: now, UpdateTime: now}
			if b.code == "label_ids" {
				for _, l := range defaultLabels[ent] {
					f.Options = append(f.Options, &option{ID: st.nextID("options"), Label: l[0], Color: l[1], AddTime: now, UpdateTime: now})
				}
			}
			st.Fields[ent] = append(st.Fields[ent], f)
		}
	}
	for i, t := range []string{"Call", "Meeting", "Task", "Deadline", "Email", "Lunch"} {
		st.ActivityTypes = append(st.ActivityTypes, &activityType{ID: st.nextID("activityTypes"), Name: t,
			KeyString: strings.ToLower(t), IconKey: strings.ToLower(t), Color: "FFFFFF", OrderNr: i + 1,
			Active: true, AddTime: now, UpdateTime: now})
	}
	for _, l := range [][2]string{{"Hot", "red"}, {"Cold", "blue"}, {"Warm", "yellow"}} {
		st.LeadLabels = append(st.LeadLabels, &leadLabel{ID: s.uuid(), Name: l[0], Color: l[1], AddTime: now, UpdateTime: now})
	}
}

// seedPipeline creates the default pipeline with Pipedrive's default stages.
func (s *Server) seedPipeline(now time.Time) {
	p := &record{AddTime: now, UpdateTime: now, Attrs: map[string]any{
		"name": "Pipeline", "order_nr": int64(0), "is_deal_probability_enabled": false}}
	s.st.insert("pipelines", p)
	for i, name := range []string{"Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"} {
		s.st.insert("stages", &record{AddTime: now, UpdateTime: now, Attrs: map[string]any{
			"name": name, "pipeline_id": p.ID, "order_nr": int64(i + 1), "deal_probability": int64(100),
			"is_deal_rot_enabled": false, "days_to_rotten": nil}})
	}
}

// fieldCode returns a fresh random 40-hex custom field code.
func (s *Server) fieldCode() string {
	const hex = "0123456789abcdef"
	b := make([]byte, 40)
	for i := range b {
		b[i] = hex[s.rng.IntN(16)]
	}
	return string(b)
}

// uuid returns a random version-4 UUID from the sandbox's generator.
func (s *Server) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(s.rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
