// Package decide proposes the decisions a person must confirm before any record moves: the
// stage map (Klipy pipelines and stages onto Pipedrive), the tag → label merge map, the
// activity type map and the owner queue. Proposals are built from a scan of the snapshot and
// a read of the destination's schema; they are written to decisions.yaml, edited by people
// or by `ferry decide`, and read back. Open reports what still needs an answer.
package decide

import (
	"fmt"
	"strings"
)

// Decisions is the content of decisions.yaml.
type Decisions struct {
	Pipelines     []PipelineMap  `yaml:"pipelines"`
	Labels        []LabelGroup   `yaml:"labels"`
	ActivityTypes []ActivityType `yaml:"activity_types"`
	Owners        []Owner        `yaml:"owners"`
	// AcceptedLosses are reasons a person accepted that records do not arrive (ferry decide
	// accept-loss): a record whose loss reason contains one counts as left out by decision.
	AcceptedLosses []AcceptedLoss `yaml:"accepted_losses,omitempty"`
	// Columns are harvest columns whose meaning ferry does not decide alone (two headers of
	// one file spelling one field): open until the user chooses; the next ferry extract
	// applies each answer to columns.yaml.
	Columns []ColumnChoice `yaml:"columns,omitempty"`
}

// ColumnOpen is the choice of a column decision nobody answered yet: it blocks lint and
// confirmation.
const ColumnOpen = "open"

// ColumnChoice is one ambiguous harvest column and the field the user says it means.
type ColumnChoice struct {
	File    string   `yaml:"file"`
	Header  string   `yaml:"header"`
	Why     string   `yaml:"why"`
	Options []string `yaml:"options"` // the field, custom.<Header>, skip
	// Choice is one of Options (or any custom.<Name>), or open.
	Choice string `yaml:"choice"`
}

// Answered reports whether the user chose a field for the column.
func (c ColumnChoice) Answered() bool {
	return c.Choice != ColumnOpen && strings.TrimSpace(c.Choice) != ""
}

// AcceptedLoss is one accepted loss reason.
type AcceptedLoss struct {
	Reason  string `yaml:"reason"`  // matched within a loss reason, ignoring case
	Records int    `yaml:"records"` // records it covered when it was accepted
}

// AcceptsLoss returns the accepted reason a loss reason falls under, if any.
func (d Decisions) AcceptsLoss(reason string) (string, bool) {
	low := strings.ToLower(reason)
	for _, a := range d.AcceptedLosses {
		if r := strings.TrimSpace(a.Reason); r != "" && strings.Contains(low, strings.ToLower(r)) {
			return a.Reason, true
		}
	}
	return "", false
}

// Pipeline actions.
const (
	ActionCreate   = "create"   // create the pipeline in Pipedrive with the stages verbatim
	ActionCollapse = "collapse" // map onto an existing Pipedrive pipeline's stages
)

// PipelineMap maps one Klipy pipeline onto a Pipedrive pipeline.
type PipelineMap struct {
	Klipy  string `yaml:"klipy"`
	Deals  int    `yaml:"deals"`
	Action string `yaml:"action"` // create or collapse
	Target string `yaml:"target"` // Pipedrive pipeline name (new or existing)
	// Order says how the stage order was found; stages are created in the order listed.
	Order  string     `yaml:"order,omitempty"`
	Stages []StageMap `yaml:"stages"`
	// ClosedToLast counts won and lost deals with no known open stage: they go to the
	// pipeline's last stage (Pipedrive keeps a closed deal in a stage).
	ClosedToLast int `yaml:"closed_to_last_stage,omitempty"`
}

// StageMap maps one Klipy stage onto a Pipedrive stage, or onto a deal status for closing
// stages (Pipedrive has no won/lost stages: a won deal keeps its last open stage).
type StageMap struct {
	Klipy  string `yaml:"klipy"`
	Deals  int    `yaml:"deals"`
	Target string `yaml:"target"`           // Pipedrive stage name; empty means open
	Status string `yaml:"status,omitempty"` // "won" or "lost" for closing stages
}

// LabelGroup merges tag spellings into one Pipedrive label.
type LabelGroup struct {
	Label    string   `yaml:"label"`
	Variants []string `yaml:"variants"`
	Uses     int      `yaml:"uses"`
	Exists   bool     `yaml:"exists_in_pipedrive"`
}

// ActivityType maps a Klipy interaction type (and direct-message channel) to a Pipedrive
// activity type key.
type ActivityType struct {
	Klipy   string `yaml:"klipy"` // "EMAIL", or "DIRECT_MESSAGE/LinkedIn"
	Count   int    `yaml:"count"`
	Target  string `yaml:"target"` // Pipedrive activity type key_string: call, meeting, task, email, ...
	Channel bool   `yaml:"channel_in_description,omitempty"`
}

// Owner resolutions.
const (
	OwnerMatched   = "matched"   // a Pipedrive user with the same email (or name) exists
	OwnerMap       = "map"       // records go to another existing user (Target)
	OwnerProvision = "provision" // the admin creates the user in Pipedrive before the run
	OwnerFallback  = "fallback"  // records go to the explicit fallback user (Target)
	OwnerOpen      = "open"      // nobody decided yet: blocks confirmation
)

// Owner is one Klipy owner and what becomes of the records they own.
type Owner struct {
	Klipy      string `yaml:"klipy"`        // name <email> as Klipy knows them
	ID         string `yaml:"id,omitempty"` // Klipy user id, when owners.csv gives it
	Email      string `yaml:"email,omitempty"`
	Records    int    `yaml:"records"`
	Resolution string `yaml:"resolution"`       // matched, map, provision, fallback, open
	Target     string `yaml:"target,omitempty"` // Pipedrive user email
	MatchedBy  string `yaml:"matched_by,omitempty"`
}

// Open lists every decision that still needs a person, as "path: reason" lines.
func (d Decisions) Open() []string {
	var open []string
	for i, p := range d.Pipelines {
		if p.Action != ActionCreate && p.Action != ActionCollapse {
			open = append(open, fmt.Sprintf("pipelines[%d] %q: action must be create or collapse", i, p.Klipy))
		}
		for j, s := range p.Stages {
			if s.Target == "" && s.Status == "" {
				open = append(open, fmt.Sprintf("pipelines[%d].stages[%d] %q: no target stage", i, j, s.Klipy))
			}
		}
	}
	for i, a := range d.ActivityTypes {
		if a.Target == "" {
			open = append(open, fmt.Sprintf("activity_types[%d] %q: no target activity type", i, a.Klipy))
		}
	}
	for i, c := range d.Columns {
		if !c.Answered() {
			open = append(open, fmt.Sprintf("columns[%d] %s %q: which field does this column mean? choose one of %s",
				i, c.File, c.Header, strings.Join(c.Options, ", ")))
		}
	}
	for i, o := range d.Owners {
		switch {
		case o.Resolution == OwnerOpen || o.Resolution == "":
			open = append(open, fmt.Sprintf("owners[%d] %s: no Pipedrive user; choose map, provision or fallback", i, o.Klipy))
		case (o.Resolution == OwnerMap || o.Resolution == OwnerFallback) && o.Target == "":
			open = append(open, fmt.Sprintf("owners[%d] %s: %s needs a target user email", i, o.Klipy, o.Resolution))
		}
	}
	return open
}
