package report

import (
	"ferry/internal/rollback"
	"ferry/internal/verify"

	"time"

	"ferry/internal/source"
)

// Section statuses used when a section's source does not exist yet.
const (
	StatusNoRun       = "no run yet"
	StatusNotVerified = "not verified yet"
	StatusNoneYet     = "none yet"
	StatusNotPlanned  = "not planned yet"
)

// Report is every deliverable of one workspace. Lists are in a deterministic order.
type Report struct {
	GeneratedAt    time.Time      `json:"generated_at"`
	Workspace      string         `json:"workspace"` // the workspace directory's base name
	Snapshot       []KindCount    `json:"snapshot"`
	Runs           []Run          `json:"runs"`
	Spend          []Spend        `json:"api_spend"`
	Reconciliation []Phase        `json:"reconciliation"`
	Verification   Verification   `json:"verification"`
	Pipelines      Pipelines      `json:"pipelines"`
	Fields         FieldMapping   `json:"fields"`
	SchemaCreated  []SchemaItem   `json:"schema_created"`
	Dedupe         Dedupe         `json:"dedupe"`
	Owners         Owners         `json:"owners"`
	NotMigrated    []NotMigrated  `json:"not_migrated"`
	Delta          CutoverSummary `json:"delta"`
	Rollback       CutoverSummary `json:"rollback"`
}

// KindCount is the snapshot size of one Klipy kind and its quarantined rows.
type KindCount struct {
	Kind        source.Kind `json:"kind"`
	Records     int         `json:"records"`
	Quarantined int         `json:"quarantined"`
}

// Spend is the Pipedrive API budget spent on one day through one endpoint.
type Spend struct {
	Day      string `json:"day"`
	Endpoint string `json:"endpoint"`
	Calls    int64  `json:"calls"`
	Tokens   int64  `json:"tokens"`
}

// Run is one execution of a mutating command (run, sample, delta, rollback).
type Run struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Writes     int        `json:"writes"` // journal entries of the run
}

// Phase is the accounting of one Klipy kind: Source = Created + Merged + SkippedByRule +
// Quarantined + Failed + Held once the engine has run the phase (Status "balanced" or
// "unbalanced"); before that Status is StatusNoRun and only Source (the snapshot plus
// quarantined rows) is known.
type Phase struct {
	Kind          source.Kind `json:"kind"`
	Entity        string      `json:"entity,omitempty"`
	Status        string      `json:"status"`
	RunID         int64       `json:"run_id,omitempty"`
	Source        int         `json:"source"`
	Created       int         `json:"created"`
	Merged        int         `json:"merged"`
	SkippedByRule int         `json:"skipped_by_rule"`
	Quarantined   int         `json:"quarantined"`
	Failed        int         `json:"failed"`
	Held          int         `json:"held"`
	Open          int         `json:"open"`
	Unaccounted   []string    `json:"unaccounted,omitempty"`
}

// Phase statuses after a run.
const (
	PhaseBalanced   = "balanced"
	PhaseUnbalanced = "unbalanced"
)

// Verification is the read-back summary ferry verify stored last.
type Verification struct {
	Status string `json:"status"` // StatusNotVerified, "passed" or "mismatches"
	Note   string `json:"note"`
	// Result is the stored verification (counts per kind, the first mismatches), when any.
	Result *verify.Result `json:"result,omitempty"`
}

// Pipelines is the pipeline and stage inventory.
type Pipelines struct {
	From   string     `json:"from"` // "confirmed", "proposed (decisions.yaml, not confirmed)" or StatusNotPlanned
	Stages []StageRow `json:"stages"`
}

// StageRow is one Klipy stage and where its deals go.
type StageRow struct {
	KlipyPipeline     string `json:"klipy_pipeline"`
	PipelineDeals     int    `json:"pipeline_deals"`
	Action            string `json:"action"`
	PipedrivePipeline string `json:"pipedrive_pipeline"`
	KlipyStage        string `json:"klipy_stage"`
	StageDeals        int    `json:"stage_deals"`
	PipedriveStage    string `json:"pipedrive_stage"`
	Status            string `json:"status,omitempty"` // won or lost for closing stages
}

// FieldMapping is the field mapping table from mapping.yaml.
type FieldMapping struct {
	From string     `json:"from"` // workspace.MappingFile or StatusNotPlanned
	Rows []FieldRow `json:"rows"`
}

// FieldRow is one mapped Klipy field.
type FieldRow struct {
	Object         source.Kind `json:"object"`
	Entity         string      `json:"entity"`
	KlipyField     string      `json:"klipy_field"`
	PipedriveField string      `json:"pipedrive_field"`
	Custom         bool        `json:"custom"`
	Type           string      `json:"type,omitempty"`
	FieldCode      string      `json:"field_code,omitempty"`
	Transforms     []string    `json:"transforms,omitempty"`
}

// SchemaItem is one pipeline, stage, field, option or label the engine created in Pipedrive,
// as its journal holds it.
type SchemaItem struct {
	Seq    int64  `json:"seq"`
	RunID  int64  `json:"run_id"`
	What   string `json:"what"`   // pipeline, stage, field, field_option, label_option
	Detail string `json:"detail"` // e.g. the field entity
	DestID string `json:"dest_id"`
	Name   string `json:"name,omitempty"` // when the journal's undo data names the item
	Label  string `json:"label,omitempty"`
	Undone bool   `json:"undone"`
}

// Dedupe is what ferry plan merged and what a run applied.
type Dedupe struct {
	From               string            `json:"from"` // workspace.DedupeFile or StatusNotPlanned
	Clusters           []ClusterRow      `json:"clusters"`
	NameVariants       []NameVariantRow  `json:"name_variants"`
	DestinationMatches []DestinationRow  `json:"destination_matches"`
	Applied            []AppliedMergeRow `json:"applied"`
}

// ClusterRow is one dedupe cluster.
type ClusterRow struct {
	Kind         source.Kind `json:"kind"`
	Survivor     string      `json:"survivor"`
	Members      []string    `json:"members"`
	JoinedBy     []string    `json:"joined_by"`     // "a~b on email=x@y.z"
	MergedFields []string    `json:"merged_fields"` // fields the merge takes from other members
}

// NameVariantRow is a person cluster whose members spell the name differently.
type NameVariantRow struct {
	Survivor string   `json:"survivor"`
	Class    string   `json:"class"`
	Names    []string `json:"names"` // each member by name, email and Klipy id
}

// DestinationRow is a merge into a record Pipedrive already holds.
type DestinationRow struct {
	Kind       source.Kind `json:"kind"`
	Survivor   string      `json:"survivor"`
	Members    []string    `json:"members"`
	DestID     int64       `json:"dest_id"`
	Candidates []int64     `json:"candidates,omitempty"`
	On         string      `json:"on"`
	Key        string      `json:"key"`
	Policy     string      `json:"policy"`
}

// AppliedMergeRow is an id-map row in state merged: a source record that a run merged.
type AppliedMergeRow struct {
	Kind     source.Kind `json:"kind"`
	SourceID string      `json:"source_id"` // the record by name, email and Klipy id
	Entity   string      `json:"entity"`
	DestID   int64       `json:"dest_id"`
	Reason   string      `json:"reason"`
	RunID    int64       `json:"run_id"`
}

// Owners is the owner decisions.
type Owners struct {
	From string     `json:"from"`
	Rows []OwnerRow `json:"rows"`
}

// OwnerRow is one Klipy owner and what becomes of their records.
type OwnerRow struct {
	Klipy      string `json:"klipy"`
	Email      string `json:"email,omitempty"`
	Records    int    `json:"records"`
	Resolution string `json:"resolution"`
	Target     string `json:"target,omitempty"`
	MatchedBy  string `json:"matched_by,omitempty"`
}

// Not-migrated categories.
const (
	NotObject      = "object not migrated"
	NotField       = "field skipped in mapping"
	NotQuarantined = "quarantined row"
	NotAttachment  = "attachment that cannot move"
	NotKlipy       = "not extractable from Klipy"
	NotRun         = "not migrated in run"
	NotAccepted    = "loss accepted as a decision"
)

// NotMigrated is one thing that does not arrive in Pipedrive, with the reason.
type NotMigrated struct {
	Category string      `json:"category"`
	Object   source.Kind `json:"object,omitempty"`
	Item     string      `json:"item"`
	Location string      `json:"location,omitempty"` // file:line[:column] for quarantined rows
	Reason   string      `json:"reason"`
}

// CutoverSummary summarises the delta or rollback runs.
type CutoverSummary struct {
	Status string `json:"status"` // StatusNoneYet, or "ran"
	Runs   []Run  `json:"runs"`
	Undone int    `json:"undone,omitempty"` // rollback: journal entries undone
	Writes int    `json:"writes,omitempty"` // journal entries in total
	// Proof is the last rollback's proof: every item it touched compared with the state
	// before the migration.
	Proof *rollback.Proof `json:"proof,omitempty"`
}
