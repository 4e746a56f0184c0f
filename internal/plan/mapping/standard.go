package mapping

import "ferry/internal/source"

// rule is the proposal for one standard Klipy field. A transform ending in ":*" takes its
// argument from the profile (the date layout, the number locale).
type rule struct {
	target     string
	custom     string // custom field name (then ctype is its type)
	ctype      string
	transforms []string
	skip       string
	reason     string
	header     string // the harvest header of the field, when the column map gives it
	// withTime replaces transforms when the profile finds times of day in the values (a
	// task's due date and time become due_date and due_time).
	withTime []string
}

const (
	klipyIDReason = "Klipy ID custom field: finds the record again after a lost response and in verification (DESIGN.md §2.3)"
	noCustom      = "Pipedrive %s records take no custom fields; the id map and a fingerprint identify them"
)

var ownerRule = rule{target: "owner_id", transforms: []string{TOwner}, reason: "owner resolved through the owner decisions (decisions.yaml)"}
var tagsRule = rule{target: "label_ids", transforms: []string{TLabels + ":*"}, reason: "tags become labels through the tag → label merge map (decisions.yaml)"}
var idRule = rule{custom: "Klipy ID", ctype: "varchar", reason: klipyIDReason}

// Rules of the reference fields exports name their records by (the harvest's person_email,
// person_emails, company_name, company_domain): each resolves through the snapshot and the
// id map after any id link of the same target; a value that names no record is a warning.
var (
	orgByName   = rule{target: "org_id", transforms: []string{TLinkName + ":" + EntityOrganization}, reason: "organization link by company name (case, accents and legal forms like GmbH or Inc. ignored) when no id link resolved"}
	orgByDomain = rule{target: "org_id", transforms: []string{TLinkDomain + ":" + EntityOrganization}, reason: "organization link by registrable domain (any URL form or subdomain) when no other link resolved"}
)

// personByEmail links the person an email names, into target.
func personByEmail(target, what string) rule {
	return rule{target: target, transforms: []string{TLinkEmail + ":" + EntityPerson},
		reason: what + " by email (any case, display name, mailto:) when no id link resolved; a merged duplicate links its survivor"}
}

// standardRules holds the proposal for every field of source.Standard.
var standardRules = map[source.Kind]map[string]rule{
	source.Person: {
		"company_domain": orgByDomain,
		"id":             idRule,
		"first_name":     {target: "name", transforms: []string{TTrim, TJoinName + ":first"}, reason: "v2 persons take one name: first and last are joined"},
		"last_name":      {target: "name", transforms: []string{TTrim, TJoinName + ":last"}, reason: "v2 persons take one name: first and last are joined"},
		"email":          {target: "emails", transforms: []string{TNormalizeEmail}, reason: "primary email, lower-cased and checked"},
		"phone":          {target: "phones", transforms: []string{TPhoneE164}, reason: "primary phone in E.164 (national numbers read with default_region)"},
		"title":          {custom: "Job Title", ctype: "varchar", reason: "job_title is only writable with Contact Sync; kept in a custom field"},
		"company_id":     {target: "org_id", transforms: []string{TLink + ":" + EntityOrganization}, reason: "organization link resolved through the id map"},
		"company_name":   {target: "org_id", transforms: []string{TLinkName + ":" + EntityOrganization}, reason: "fallback organization link by name when company_id is empty or unresolved"},
		"linkedin_url":   {custom: "LinkedIn", ctype: "varchar", transforms: []string{TNormalizeLinkedIn}, reason: "v2 persons have no LinkedIn field; canonical profile URL kept in a custom field"},
		"owner":          ownerRule,
		"tags":           tagsRule,
		"notes":          {custom: "Klipy notes", ctype: "text", reason: "persons' notes field is only writable with Contact Sync; kept in a text custom field"},
		"created_at":     {target: "add_time", transforms: []string{TParseDate + ":*"}, reason: "v2 POST /persons accepts add_time: original creation time kept"},
		"updated_at":     {skip: "Pipedrive sets update_time itself; no API version accepts it on create"},
	},
	source.Company: {
		"id":             idRule,
		"name":           {target: "name", transforms: []string{TTrim}, reason: "organization name"},
		"domain":         {custom: "Domain", ctype: "varchar", transforms: []string{TRegistrableDomain}, reason: "registrable domain (acme.com), the organization dedupe key"},
		"website":        {target: "website", transforms: []string{TTrim}, reason: "organization website"},
		"industry":       {custom: "Industry", ctype: "enum", transforms: []string{TMapEnum}, reason: "the built-in industry field takes option ids the company defines; kept as an enum custom field"},
		"employee_count": {target: "employee_count", transforms: []string{TParseNumber + ":*"}, reason: "number of employees"},
		"city":           {target: "address", transforms: []string{TJoinAddress}, reason: "city and country joined into address.value"},
		"country":        {target: "address", transforms: []string{TJoinAddress}, reason: "city and country joined into address.value"},
		"linkedin_url":   {target: "linkedin", transforms: []string{TTrim}, reason: "organization LinkedIn page"},
		"owner":          ownerRule,
		"tags":           tagsRule,
		"created_at":     {target: "add_time", transforms: []string{TParseDate + ":*"}, reason: "v2 POST /organizations accepts add_time: original creation time kept"},
	},
	source.Deal: {
		"person_email":        personByEmail("person_id", "person link"),
		"company_name":        orgByName,
		"company_domain":      orgByDomain,
		"id":                  idRule,
		"name":                {target: "title", transforms: []string{TTrim}, reason: "deal title"},
		"value":               {target: "value", transforms: []string{TParseNumber + ":*"}, reason: "deal value"},
		"currency":            {target: "currency", transforms: []string{TTrim}, reason: "3-letter currency code"},
		"pipeline":            {target: "pipeline_id", transforms: []string{TPipeline}, reason: "pipeline resolved through the stage map (decisions.yaml)"},
		"stage":               {target: "stage_id", transforms: []string{TStage}, reason: "stage resolved through the stage map (decisions.yaml)"},
		"status":              {target: "status", transforms: []string{TDealStatus}, reason: "open, won or lost"},
		"person_id":           {target: "person_id", transforms: []string{TLink + ":" + EntityPerson}, reason: "person link resolved through the id map"},
		"company_id":          {target: "org_id", transforms: []string{TLink + ":" + EntityOrganization}, reason: "organization link resolved through the id map"},
		"owner":               ownerRule,
		"expected_close_date": {target: "expected_close_date", transforms: []string{TParseDate + ":*"}, reason: "expected close date (YYYY-MM-DD)"},
		"created_at":          {custom: "Klipy created at", ctype: "date", transforms: []string{TParseDate + ":*"}, reason: "v2 POST /deals has no add_time (not in the v2 request body): original creation date kept in a custom date field"},
		"closed_at":           {target: "close_time", transforms: []string{TParseDate + ":*"}, reason: "sent as close_time plus won_time or lost_time by status; dropped for open deals (API rule)"},
		"lost_reason":         {target: "lost_reason", transforms: []string{TTrim}, reason: "sent only for lost deals (API rule)"},
		"tags":                tagsRule,
		"stage_history":       {custom: "Klipy stage history", ctype: "text", reason: "Pipedrive cannot backdate stage changes; the history is kept as text"},
	},
	source.Interaction: {
		"person_emails":    personByEmail("participants", "participants"),
		"company_name":     orgByName,
		"company_domain":   orgByDomain,
		"id":               {skip: "Pipedrive activities take no custom fields; the id map and a fingerprint identify them"},
		"type":             {target: "type", transforms: []string{TActivityType}, reason: "activity type from the activity type map (decisions.yaml)"},
		"channel":          {target: "type", transforms: []string{TActivityType}, reason: "with type, picks the activity type from the activity type map (DIRECT_MESSAGE/LinkedIn → task)"},
		"direction":        {target: "note", transforms: []string{TAppend + ":Direction"}, reason: "no activity field for it; appended to the note"},
		"title":            {target: "subject", transforms: []string{TTrim}, reason: "activity subject"},
		"summary":          {target: "note", transforms: []string{TSanitizeHTML}, reason: "activity note (HTML, sanitised)"},
		"interaction_date": {target: "due_date", transforms: []string{TSplitDateTime + ":*"}, reason: "original interaction date kept as due_date and due_time (UTC)"},
		"created_at":       {skip: "no API version accepts an activity add_time; interaction_date is kept as due_date/due_time"},
		"person_ids":       {target: "participants", transforms: []string{TLink + ":" + EntityPerson}, reason: "participants (person_id is read-only in v2); the first is primary"},
		"company_ids":      {target: "org_id", transforms: []string{TLink + ":" + EntityOrganization}, reason: "organization link (the first company)"},
		"deal_id":          {target: "deal_id", transforms: []string{TLink + ":" + EntityDeal}, reason: "deal link resolved through the id map"},
		"created_by":       {target: "owner_id", transforms: []string{TOwner}, reason: "the Klipy user who logged it, through the owner decisions"},
		"duration_minutes": {target: "duration", transforms: []string{TDuration + ":*"}, reason: "minutes as HH:MM"},
	},
	source.Note: {
		"person_email":        personByEmail("person_id", "person link"),
		"company_name":        orgByName,
		"company_domain":      orgByDomain,
		"id":                  {skip: "Pipedrive notes take no custom fields; the id map and a fingerprint identify them"},
		"body":                {target: "content", transforms: []string{TSanitizeHTML}, reason: "note content (HTML, sanitised)"},
		"person_id":           {target: "person_id", transforms: []string{TLink + ":" + EntityPerson}, reason: "person link resolved through the id map"},
		"company_id":          {target: "org_id", transforms: []string{TLink + ":" + EntityOrganization}, reason: "organization link resolved through the id map"},
		"deal_id":             {target: "deal_id", transforms: []string{TLink + ":" + EntityDeal}, reason: "deal link resolved through the id map"},
		"author":              {target: "user_id", transforms: []string{TOwner}, reason: "author through the owner decisions (only an admin token may set it)"},
		"created_at":          {target: "add_time", transforms: []string{TParseDate + ":*"}, reason: "v1 POST /notes accepts add_time (YYYY-MM-DD HH:MM:SS UTC)"},
		"ai_draft":            {target: "content", transforms: []string{TAIDraft}, reason: "an AI follow-up draft is marked as one in the body (DESIGN.md §4); other notes get no line"},
		"source_conversation": {target: "content", transforms: []string{TConversation}, reason: "the conversation the draft answers, kept in the body: an interaction id becomes its type, subject and time (DESIGN.md §4)"},
	},
	source.Task: {
		"person_email":   personByEmail("participants", "the person as primary participant"),
		"company_name":   orgByName,
		"company_domain": orgByDomain,
		"id":             {skip: "Pipedrive activities take no custom fields; the id map and a fingerprint identify them"},
		"title":          {target: "subject", transforms: []string{TTrim}, reason: "to-do subject"},
		"due_date": {target: "due_date", transforms: []string{TParseDate + ":*"}, withTime: []string{TSplitDateTime + ":*"},
			reason: "due date (YYYY-MM-DD), and due_time (UTC) when the values have a time of day"},
		"done":       {target: "done", transforms: []string{TBoolean}, reason: "done flag"},
		"person_id":  {target: "participants", transforms: []string{TLink + ":" + EntityPerson}, reason: "the person as primary participant"},
		"deal_id":    {target: "deal_id", transforms: []string{TLink + ":" + EntityDeal}, reason: "deal link resolved through the id map"},
		"owner":      ownerRule,
		"created_at": {skip: "no API version accepts an activity add_time"},
	},
	source.Attachment: {
		"person_email":   personByEmail("person_id", "person link"),
		"company_name":   orgByName,
		"company_domain": orgByDomain,
		"id":             {skip: "Pipedrive files take no custom fields; matched by checksum after upload"},
		"file_name":      {target: "file_name", transforms: []string{TTrim}, reason: "upload file name"},
		"path":           {target: "file", transforms: []string{TFilePath}, reason: "the harvested file, uploaded with POST /v1/files"},
		"size_bytes":     {skip: "checked against the upload limit before upload, not sent"},
		"sha256":         {skip: "verified after upload, not sent"},
		"content_type":   {skip: "Pipedrive detects the type from the upload"},
		"person_id":      {target: "person_id", transforms: []string{TLink + ":" + EntityPerson}, reason: "person link resolved through the id map"},
		"company_id":     {target: "org_id", transforms: []string{TLink + ":" + EntityOrganization}, reason: "organization link resolved through the id map"},
		"deal_id":        {target: "deal_id", transforms: []string{TLink + ":" + EntityDeal}, reason: "deal link resolved through the id map"},
		"interaction_id": {target: "activity_id", transforms: []string{TLink + ":" + EntityActivity}, reason: "activity link resolved through the id map"},
		"source_url":     {skip: "listed in the report for files that cannot be uploaded"},
		"created_at":     {skip: "Pipedrive files take no add_time"},
	},
}
