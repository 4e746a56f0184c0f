package source

// Standard lists the canonical field names of each kind, in template column order. Every
// channel maps what it reads onto these names; any other column of a harvest file is a custom
// field and is stored as CustomPrefix + its header. List-valued fields hold items joined by
// ListSep. Times are RFC 3339 in UTC unless the channel gave something else (then verbatim).
var Standard = map[Kind][]string{
	Owner: {"id", "name", "email"},
	Company: {"id", "name", "domain", "website", "industry", "employee_count", "city",
		"country", "linkedin_url", "owner", "tags", "created_at"},
	Person: {"id", "first_name", "last_name", "email", "phone", "title", "company_id",
		"company_name", "linkedin_url", "owner", "tags", "notes", "created_at", "updated_at"},
	Deal: {"id", "name", "value", "currency", "pipeline", "stage", "status", "person_id",
		"company_id", "owner", "expected_close_date", "created_at", "closed_at", "lost_reason",
		"tags", "stage_history"},
	Interaction: {"id", "type", "channel", "direction", "title", "summary", "interaction_date",
		"created_at", "person_ids", "company_ids", "deal_id", "created_by", "duration_minutes"},
	Note: {"id", "body", "person_id", "company_id", "deal_id", "author", "created_at",
		"ai_draft", "source_conversation"},
	Task: {"id", "title", "due_date", "done", "person_id", "deal_id", "owner", "created_at"},
	Attachment: {"id", "file_name", "path", "size_bytes", "sha256", "content_type",
		"person_id", "company_id", "deal_id", "interaction_id", "source_url", "created_at"},
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
