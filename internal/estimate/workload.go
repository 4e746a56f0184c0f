package estimate

import (
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// Workload is what a migration will do in Pipedrive, before any price: the schema items it
// creates and, per phase, what becomes of the source records.
type Workload struct {
	From        string         `json:"from"` // "workspace" or "counts"
	Schema      SchemaWork     `json:"schema"`
	Phases      []PhaseWork    `json:"phases"`
	Mapping     MappingFacts   `json:"mapping"`
	Assumptions []string       `json:"assumptions,omitempty"`
	Source      map[string]int `json:"source"` // snapshot records per Klipy kind (owners included)
}

// SchemaWork is what schema setup creates.
type SchemaWork struct {
	Fields    map[pipedrive.FieldEntity]int `json:"fields"`     // custom fields created per entity
	LabelPuts int                           `json:"label_puts"` // entities whose label field gains options
	Pipelines int                           `json:"pipelines"`  // pipelines created
	Stages    int                           `json:"stages"`     // stages created
}

// FieldCount returns the number of custom fields created over all entities.
func (s SchemaWork) FieldCount() int {
	n := 0
	for _, c := range s.Fields {
		n += c
	}
	return n
}

// PhaseWork is the predicted outcome of one record phase:
// Source = Create + MergeInto + Merged + Skipped + Quarantined + Held.
type PhaseWork struct {
	Kind        source.Kind `json:"kind"`
	Source      int         `json:"source"`
	Create      int         `json:"create"`     // one create request each
	MergeInto   int         `json:"merge_into"` // survivors written into existing records: read + PATCH
	Merged      int         `json:"merged"`     // duplicates of a survivor: no request
	Skipped     int         `json:"skipped"`
	Quarantined int         `json:"quarantined"`
	Held        int         `json:"held"`
	FromExtract int         `json:"from_extract"` // rows extraction quarantined (in Source and Quarantined)
	// Losses counts the records that would not arrive (quarantined, held, cannot move) by
	// reason class (migrate.ReasonClass), as the run's error files will name them.
	Losses map[string]int `json:"losses,omitempty"`
	// Lost names the first LostShown records of each reason class of Losses.
	Lost map[string][]LostRecord `json:"lost,omitempty"`
}

// LostShown is how many records of each predicted loss reason a Workload names.
const LostShown = 20

// LostRecord is one record a dry run predicts would not arrive.
type LostRecord struct {
	ID     string `json:"id,omitempty"` // Klipy id; empty for a row extraction quarantined
	Name   string `json:"name"`         // source.Named, or file:line for an extraction row
	Reason string `json:"reason"`       // the record's own reason (its class is the map key)
}

// loss counts one predicted loss under its reason class and names the record.
func (p *PhaseWork) loss(reason string, rec LostRecord) {
	if p.Losses == nil {
		p.Losses, p.Lost = map[string]int{}, map[string][]LostRecord{}
	}
	class := migrate.ReasonClass(reason)
	p.Losses[class]++
	if len(p.Lost[class]) < LostShown {
		rec.Reason = reason
		p.Lost[class] = append(p.Lost[class], rec)
	}
}

// Migrated returns the records that end up in Pipedrive (created or merged into existing).
func (p PhaseWork) Migrated() int { return p.Create + p.MergeInto }

// MappingFacts are what the grade reads about the mapping and decisions.
type MappingFacts struct {
	Known          bool     `json:"known"` // false when estimated from counts alone
	Objects        int      `json:"objects"`
	SkippedObjects []string `json:"skipped_objects,omitempty"`
	Fields         int      `json:"fields"`
	SkippedFields  int      `json:"skipped_fields"`
	CustomFields   int      `json:"custom_fields"`
	Collapsed      int      `json:"collapsed_pipelines"` // pipelines collapsed onto existing ones
	OpenDecisions  int      `json:"open_decisions"`
	OwnersToAct    int      `json:"owners_to_provision_or_fall_back"`
	LabelGroups    int      `json:"label_groups"`
	TagVariants    int      `json:"tag_variants"` // spellings merged into label groups
}

// Counts are record counts given by hand (a prospect without a workspace).
type Counts struct {
	People, Companies, Deals, Interactions, Tasks, Notes, Files, CustomFields int
	// Pipelines and Stages default to Klipy's single pipeline with DefaultStages stages.
	Pipelines, Stages int
	// Tags says whether the records carry tags (labels are then added on all three entities).
	Tags bool
}

// verifyAssumption says what the verification lists cannot know offline.
const verifyAssumption = "verification lists only the migrated records: every 500 other records Pipedrive holds add a page per collection"

// DefaultStages is the stage count assumed for a Klipy pipeline when counts do not say.
const DefaultStages = 6

// FromCounts builds the workload of counts: every record created once (no duplicates,
// nothing quarantined), every custom field created, Klipy's pipeline created verbatim.
func FromCounts(c Counts) Workload {
	w := Workload{From: "counts", Source: map[string]int{}}
	for _, p := range []struct {
		kind source.Kind
		n    int
	}{{source.Company, c.Companies}, {source.Person, c.People}, {source.Deal, c.Deals},
		{source.Interaction, c.Interactions}, {source.Task, c.Tasks}, {source.Note, c.Notes},
		{source.Attachment, c.Files}} {
		w.Phases = append(w.Phases, PhaseWork{Kind: p.kind, Source: p.n, Create: p.n})
		w.Source[string(p.kind)] = p.n
	}
	w.Schema.Fields = map[pipedrive.FieldEntity]int{pipedrive.PersonFields: c.CustomFields}
	for _, ent := range []pipedrive.FieldEntity{pipedrive.OrganizationFields, pipedrive.PersonFields, pipedrive.DealFields} {
		w.Schema.Fields[ent]++ // Klipy ID
	}
	w.Schema.Fields[pipedrive.DealFields]++ // Klipy created at
	w.Schema.Pipelines, w.Schema.Stages = c.Pipelines, c.Stages
	if c.Pipelines == 0 && c.Deals > 0 {
		w.Schema.Pipelines, w.Schema.Stages = 1, DefaultStages
		w.Assumptions = append(w.Assumptions, "one Klipy pipeline with 6 stages, created verbatim")
	}
	if c.Tags {
		w.Schema.LabelPuts = 3
	}
	w.Mapping = MappingFacts{CustomFields: c.CustomFields}
	w.Assumptions = append(w.Assumptions, "no duplicates merged, nothing quarantined: every record is created once",
		"custom fields are created (none exists in Pipedrive yet)", verifyAssumption)
	return w
}
