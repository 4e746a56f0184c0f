// Package mapping holds ferry's field mapping: which Pipedrive field each Klipy field
// becomes, through which transforms. Propose builds the mapping from a data profile and the
// destination's existing fields; Write renders it as the commented, human-editable
// mapping.yaml; Parse reads it back strictly, naming the line of every problem; Lint checks
// it against the profile and the destination; Apply turns one source record into a
// Pipedrive request body; RunTests runs the mapping's own test cases through Apply.
//
// The proposal is deterministic and offline: the same profile and schema always give the
// same bytes.
package mapping

import (
	"fmt"

	"ferry/internal/source"
)

// Version is the mapping.yaml format version Write emits and Parse accepts.
const Version = 1

// DonePast is Object.Done's one value: an activity due before the run's clock is done.
const DonePast = "past"

// Pipedrive entities a Klipy kind can become.
const (
	EntityPerson       = "person"
	EntityOrganization = "organization"
	EntityDeal         = "deal"
	EntityActivity     = "activity"
	EntityNote         = "note"
	EntityFile         = "file"
	EntityUser         = "user" // owners: matched, never created (see decide)
)

// Mapping is the content of mapping.yaml.
type Mapping struct {
	Version       int      `yaml:"version"`
	DefaultRegion string   `yaml:"default_region"` // ISO region for national phone numbers
	Objects       []Object `yaml:"objects"`
	Tests         []Test   `yaml:"tests,omitempty"`
}

// Object maps one Klipy kind onto a Pipedrive entity.
type Object struct {
	Source       source.Kind `yaml:"source"`
	Target       string      `yaml:"target"`                  // one of the Entity constants
	ActivityType string      `yaml:"activity_type,omitempty"` // fixed type key (tasks: "task")
	// Done is how activities get their done flag when no field sets it: DonePast marks
	// those due before the run's clock done (a past interaction) and the others open (a
	// booking still to come); empty leaves the flag to Pipedrive (open).
	Done string `yaml:"done,omitempty"`
	// OnMissingParent says what happens to a record whose parent (organization, person,
	// deal, activity) was not migrated: "unlink" (the default: it moves without that link,
	// and the warning names the parent) or "hold" (it waits, listed as held).
	OnMissingParent string  `yaml:"on_missing_parent,omitempty"`
	Skip            string  `yaml:"skip,omitempty"` // why the kind's records are not created
	Fields          []Field `yaml:"fields,omitempty"`

	Reason string `yaml:"-"` // written as a comment by Write; not read back
	pos    pos
}

// The on_missing_parent policies.
const (
	Unlink = "unlink"
	Hold   = "hold"
)

// HoldsOnMissingParent reports whether records of kind wait for a missing parent (policy
// hold) instead of moving without the link (unlink, the default).
func (m Mapping) HoldsOnMissingParent(kind source.Kind) bool {
	o, ok := m.Object(kind)
	return ok && o.OnMissingParent == Hold
}

// Field maps one source field. Exactly one of Target, CustomField and Skip is set.
type Field struct {
	Source      string            `yaml:"source"`                 // canonical name or custom.<Header>
	Target      string            `yaml:"target,omitempty"`       // standard field of the entity
	CustomField string            `yaml:"custom_field,omitempty"` // Pipedrive custom field name
	Type        string            `yaml:"type,omitempty"`         // the custom field's Pipedrive type
	FieldCode   string            `yaml:"field_code,omitempty"`   // an existing field reused
	Options     []string          `yaml:"options,omitempty"`      // enum and set option labels
	Values      map[string]string `yaml:"values,omitempty"`       // source value → option label
	Transforms  []string          `yaml:"transforms,omitempty"`   // name or name:argument
	Skip        string            `yaml:"skip,omitempty"`         // why the field is not migrated
	// Open is a question the data could not answer (a date column's day/month order):
	// Lint reports it as an error, so confirmation waits until a person answers it by
	// editing the field and deleting the open line.
	Open string `yaml:"open,omitempty"`

	Confidence float64 `yaml:"-"` // 0..1; written as a comment by Write, not read back
	Reason     string  `yaml:"-"` // one line; written as a comment by Write, not read back
	pos        pos
}

// Test is one example the mapping must turn into the expected Pipedrive body.
type Test struct {
	Name   string            `yaml:"name"`
	Object source.Kind       `yaml:"object"`
	Input  map[string]string `yaml:"input"`  // canonical source fields
	Expect map[string]any    `yaml:"expect"` // the body Apply must produce with NameResolver
	pos    pos
}

// pos is where an item sits in the file it was parsed from (zero when built in memory).
type pos struct{ line, col int }

// Problem is one finding of Parse, Lint, Apply or RunTests.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"` // kind.field, e.g. "person.custom.Score"
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"` // advice; does not block confirmation
}

// Format renders the problem as "file:line:col: [warning: ]field: message".
func (p Problem) Format(file string) string {
	loc := file
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", file, p.Line)
		if p.Column > 0 {
			loc = fmt.Sprintf("%s:%d", loc, p.Column)
		}
	}
	msg := p.Message
	if p.Field != "" {
		msg = p.Field + ": " + msg
	}
	if p.Warning {
		msg = "warning: " + msg
	}
	return loc + ": " + msg
}

// Errors reports whether any problem is an error rather than a warning.
func Errors(ps []Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

// Object returns the object of kind and whether the mapping has it.
func (m Mapping) Object(kind source.Kind) (Object, bool) {
	for _, o := range m.Objects {
		if o.Source == kind {
			return o, true
		}
	}
	return Object{}, false
}

// Schema is what the destination already has: fields per entity (person, organization,
// deal), standard and custom, as GET /api/v2/{entity}Fields reports them.
type Schema struct {
	Fields map[string][]DestField `json:"fields" yaml:"fields"`
}

// DestField is one existing Pipedrive field.
type DestField struct {
	Name    string   `json:"name" yaml:"name"`
	Code    string   `json:"field_code" yaml:"field_code"`
	Type    string   `json:"type" yaml:"type"`
	Custom  bool     `json:"custom" yaml:"custom"`
	Options []Option `json:"options,omitempty" yaml:"options,omitempty"`
}

// Option is one option of an enum or set field.
type Option struct {
	ID    int    `json:"id" yaml:"id"`
	Label string `json:"label" yaml:"label"`
}

// byCode returns the entity's field with the given code.
func (s Schema) byCode(entity, code string) (DestField, bool) {
	for _, f := range s.Fields[entity] {
		if f.Code == code {
			return f, true
		}
	}
	return DestField{}, false
}

// customByName returns the entity's custom field whose name folds equal to name.
func (s Schema) customByName(entity, name string) (DestField, bool) {
	for _, f := range s.Fields[entity] {
		if f.Custom && FieldKey(f.Name) == FieldKey(name) {
			return f, true
		}
	}
	return DestField{}, false
}

// Options tune Propose.
type Options struct {
	// DefaultRegion is the workspace's region for national phone numbers ("US" when empty).
	DefaultRegion string
	// Hints are the column map's hints per kind and field (harvest.ColumnMap.Hints):
	// "epoch_ms" and "epoch_s" make a date field read Unix timestamps. Nil means none.
	Hints map[source.Kind]map[string]string
	// Headers are the harvest headers per kind and field, as written ("Size" for
	// employee_count): a standard field kept in a custom field takes its header's name.
	Headers map[source.Kind]map[string]string
}
