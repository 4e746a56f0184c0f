package mapping

import (
	"sort"
	"strings"
	"unicode"

	"ferry/internal/source"
)

// vkind is the kind of value a target accepts.
type vkind int

const (
	kString vkind = iota
	kDate
	kTime
	kNumber
	kInt
	kBool
	kLink
	kParticipants
	kOwner
	kLabels
	kEmails
	kPhones
	kAddress
	kStage
	kStatus
	kEnumID
	kActivityType
	kDuration
	kFile
	kMoney
	kEnum
	kSet
	kPhone
)

var vkindName = map[vkind]string{kString: "text", kDate: "date", kTime: "date-time",
	kNumber: "number", kInt: "integer", kBool: "true/false", kLink: "record link",
	kParticipants: "participants", kOwner: "user", kLabels: "labels", kEmails: "email list",
	kPhones: "phone list", kAddress: "address", kStage: "stage", kStatus: "deal status",
	kEnumID: "option", kActivityType: "activity type", kDuration: "duration",
	kFile: "file", kMoney: "monetary", kEnum: "enum", kSet: "set", kPhone: "phone"}

// target describes a standard field of a Pipedrive entity.
type target struct {
	kind   vkind
	layout string // date and time targets: the layout the API takes
}

const (
	rfc3339 = "2006-01-02T15:04:05Z"
	v1Time  = "2006-01-02 15:04:05"
	isoDate = "2006-01-02"
)

// standardTargets lists the request-body fields of each entity that a mapping may target
// (v2 persons, organizations, deals, activities; v1 notes and files).
var standardTargets = map[string]map[string]target{
	EntityPerson: {"name": {kind: kString}, "emails": {kind: kEmails}, "phones": {kind: kPhones},
		"org_id": {kind: kLink}, "owner_id": {kind: kOwner}, "add_time": {kTime, rfc3339},
		"label_ids": {kind: kLabels}, "job_title": {kind: kString}, "notes": {kind: kString},
		"birthday": {kDate, isoDate}},
	EntityOrganization: {"name": {kind: kString}, "address": {kind: kAddress},
		"website": {kind: kString}, "linkedin": {kind: kString}, "industry": {kind: kEnumID},
		"employee_count": {kind: kInt}, "annual_revenue": {kind: kInt}, "owner_id": {kind: kOwner},
		"add_time": {kTime, rfc3339}, "label_ids": {kind: kLabels}},
	EntityDeal: {"title": {kind: kString}, "value": {kind: kNumber}, "currency": {kind: kString},
		"status": {kind: kStatus}, "stage_id": {kind: kStage}, "pipeline_id": {kind: kStage},
		"person_id": {kind: kLink}, "org_id": {kind: kLink}, "owner_id": {kind: kOwner},
		"expected_close_date": {kDate, isoDate}, "close_time": {kTime, rfc3339},
		"won_time": {kTime, rfc3339}, "lost_time": {kTime, rfc3339},
		"lost_reason": {kind: kString}, "probability": {kind: kNumber}, "label_ids": {kind: kLabels}},
	EntityActivity: {"subject": {kind: kString}, "type": {kind: kActivityType},
		"due_date": {kDate, isoDate}, "due_time": {kind: kString}, "duration": {kind: kDuration},
		"note": {kind: kString}, "done": {kind: kBool}, "participants": {kind: kParticipants},
		"org_id": {kind: kLink}, "deal_id": {kind: kLink}, "owner_id": {kind: kOwner},
		"public_description": {kind: kString}, "location": {kind: kAddress}},
	EntityNote: {"content": {kind: kString}, "person_id": {kind: kLink}, "org_id": {kind: kLink},
		"deal_id": {kind: kLink}, "user_id": {kind: kOwner}, "add_time": {kTime, v1Time}},
	EntityFile: {"file": {kind: kFile}, "file_name": {kind: kString}, "person_id": {kind: kLink},
		"org_id": {kind: kLink}, "deal_id": {kind: kLink}, "activity_id": {kind: kLink}},
}

// required lists the targets each entity cannot be created without.
var required = map[string][]string{
	EntityPerson: {"name"}, EntityOrganization: {"name"}, EntityDeal: {"title"},
	EntityActivity: {"subject", "type"}, EntityNote: {"content"}, EntityFile: {"file"},
}

// customTypes maps the creatable Pipedrive custom field types to the value they take.
var customTypes = map[string]target{"varchar": {kind: kString}, "varchar_auto": {kind: kString},
	"text": {kind: kString}, "double": {kind: kNumber}, "monetary": {kind: kMoney},
	"date": {kDate, isoDate}, "enum": {kind: kEnum}, "set": {kind: kSet}, "phone": {kind: kPhone}}

// customEntities are the entities that take custom fields.
var customEntities = map[string]bool{EntityPerson: true, EntityOrganization: true, EntityDeal: true}

// entities lists every entity a kind may target.
var entities = []string{EntityPerson, EntityOrganization, EntityDeal, EntityActivity,
	EntityNote, EntityFile, EntityUser}

// sortedKeys returns the keys of a target table, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fold reduces a header or name to lower-case letters and digits.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// kindEntity is the default object map (DESIGN.md §4).
var kindEntity = map[source.Kind]string{source.Person: EntityPerson,
	source.Company: EntityOrganization, source.Deal: EntityDeal,
	source.Interaction: EntityActivity, source.Note: EntityNote, source.Task: EntityActivity,
	source.Attachment: EntityFile, source.Owner: EntityUser}
