package source

// Standard lists the canonical field names of each kind, in template column order. Every
// channel maps what it reads onto these names; any other column of a harvest file is a custom
// field and is stored as CustomPrefix + its header. List-valued fields hold items joined by
// ListSep. Times are RFC 3339 in UTC unless the channel gave something else (then verbatim).
var Standard = map[Kind][]string{
	Owner: {"id", "name", "email", "first_name", "last_name", "active"},
	Company: {"id", "name", "domain", "website", "industry", "employee_count", "city",
		"country", "linkedin_url", "owner", "tags", "created_at"},
	Person: {"id", "first_name", "last_name", "email", "phone", "title", "company_id",
		"company_name", "linkedin_url", "owner", "tags", "notes", "created_at", "updated_at",
		"country"},
	Deal: {"id", "name", "value", "currency", "pipeline", "stage", "status", "person_id",
		"company_id", "owner", "expected_close_date", "created_at", "closed_at", "lost_reason",
		"tags", "stage_history", "person_email", "company_name", "company_domain"},
	Interaction: {"id", "type", "channel", "direction", "title", "summary", "interaction_date",
		"created_at", "person_ids", "company_ids", "deal_id", "created_by", "duration_minutes",
		"person_emails", "company_name", "company_domain"},
	Note: {"id", "body", "person_id", "company_id", "deal_id", "author", "created_at",
		"ai_draft", "source_conversation", "person_email", "company_name", "company_domain"},
	Task: {"id", "title", "due_date", "done", "person_id", "deal_id", "owner", "created_at",
		"person_email", "company_name", "company_domain"},
	Attachment: {"id", "file_name", "path", "size_bytes", "sha256", "content_type",
		"person_id", "company_id", "deal_id", "interaction_id", "source_url", "created_at",
		"person_email"},
}

// References lists the reference fields a harvest record may name its linked records by
// instead of (or besides) their Klipy ids (brief "Shared contracts"): person_email (one
// email, any common form: "Name" <x@y>, mailto:, any case), person_emails (emails joined by
// ListSep), company_name (as written; matched ignoring case, accents and legal suffixes) and
// company_domain (any URL or domain form). Owners are named in owner, created_by and author
// by Klipy owner id, email or name. The planner resolves them; the id fields (person_id,
// person_ids, company_id, company_ids, deal_id) keep their meaning and win when both are set.
var References = map[string]Kind{
	"person_email":   Person,
	"person_emails":  Person,
	"company_name":   Company,
	"company_domain": Company,
}

// harvestOnly marks the fields of Standard that only a hand-assembled export carries: the
// reference fields above, a person's country (it feeds phone parsing) and an owner's split
// name and active flag. Klipy's API and ferry's generator never fill them.
var harvestOnly = map[Kind]map[string]bool{
	Owner:       {"first_name": true, "last_name": true, "active": true},
	Person:      {"country": true},
	Deal:        {"person_email": true, "company_name": true, "company_domain": true},
	Interaction: {"person_emails": true, "company_name": true, "company_domain": true},
	Note:        {"person_email": true, "company_name": true, "company_domain": true},
	Task:        {"person_email": true, "company_name": true, "company_domain": true},
	Attachment:  {"person_email": true},
}

// HarvestOnly reports whether field of kind is one of the Standard fields only a harvest
// export carries (see References); profiles list them only when a record has them.
func HarvestOnly(kind Kind, field string) bool { return harvestOnly[kind][field] }

// Core returns Standard[kind] without the harvest-only fields: the columns of ferry's own
// templates and generator, in order.
func Core(kind Kind) []string {
	out := make([]string, 0, len(Standard[kind]))
	for _, f := range Standard[kind] {
		if !harvestOnly[kind][f] {
			out = append(out, f)
		}
	}
	return out
}

// HarvestFile is the harvest folder file of each kind.
var HarvestFile = map[Kind]string{
	Owner:       "owners.csv",
	Company:     "companies.csv",
	Person:      "people.csv",
	Deal:        "deals.csv",
	Interaction: "interactions.csv",
	Note:        "notes.csv",
	Task:        "tasks.csv",
	Attachment:  "attachments.csv",
}

// FilesDir is the harvest subfolder holding attachment contents; attachments.csv paths are
// relative to the harvest folder and may not leave it.
const FilesDir = "files"

// Interaction types Klipy's API documents.
const (
	TypeEmail            = "EMAIL"
	TypeMeeting          = "MEETING"
	TypeDirectMessage    = "DIRECT_MESSAGE"
	TypeMemo             = "MEMO"
	TypeBookingCreated   = "BOOKING_CREATED"
	TypeBookingCancelled = "BOOKING_CANCELLED"
	TypeManual           = "MANUAL"
	TypeAPIEvent         = "API_EVENT"
	TypeVoiceNote        = "VOICE_NOTE"
)

// InteractionTypes lists every documented Klipy interaction type.
var InteractionTypes = []string{TypeEmail, TypeMeeting, TypeDirectMessage, TypeMemo,
	TypeBookingCreated, TypeBookingCancelled, TypeManual, TypeAPIEvent, TypeVoiceNote}
