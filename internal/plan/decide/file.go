package decide

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileName is the decisions file ferry plan writes in the workspace.
const FileName = "decisions.yaml"

const fileHeader = `# ferry decisions: what a person confirms before any record moves.
# Edit this file (or use ferry decide), then run ferry confirm. Any later edit invalidates
# the confirmation lock and ferry run refuses until you confirm again.
#
# pipelines: action create (make the pipeline with these stages) or collapse (use the
#   existing Pipedrive pipeline named in target); each stage's target is a stage name in the
#   target pipeline; closing stages carry status won/lost instead. Stages are created in the
#   order listed (order: how ferry found it); a won or lost deal keeps the last open stage it
#   was in, else goes to the pipeline's last stage (closed_to_last_stage counts those).
# labels: tag spellings merged into one Pipedrive label (variants -> label).
# activity_types: Klipy interaction type -> Pipedrive activity type key (call, meeting,
#   task, email, deadline, lunch or one of your own).
# owners: resolution matched | map (target: another user's email) | provision (create the
#   user in Pipedrive before the run) | fallback (target: the fallback user's email) | open.
# columns: harvest columns whose meaning ferry does not decide alone (two headers of one file
#   spell one field); choice: one of options (the field, custom.<Header> to keep it as a custom
#   field, skip to leave it out) instead of open. The next ferry extract applies each answer
#   to columns.yaml and reads the harvest again; lint and confirm refuse while one is open.
# accepted_losses: reasons accepted for records that will not arrive (ferry decide accept-loss);
#   a record whose reason contains one is left out by decision, and the report lists it.
`

// Write writes d as commented YAML.
func Write(w io.Writer, d Decisions) error {
	var buf bytes.Buffer
	buf.WriteString(fileHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("encode decisions: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Parse reads a decisions file strictly; errors name the file and line.
func Parse(name string, data []byte) (Decisions, error) {
	var d Decisions
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		return Decisions{}, fmt.Errorf("%s: %w", name, err)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return Decisions{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := validate(name, d, &node); err != nil {
		return Decisions{}, err
	}
	return normalized(d), nil
}

// normalized gives every list of d a non-nil value, as Write renders an absent list and an
// empty one alike ("[]"): a file read, written and read again is the same.
func normalized(d Decisions) Decisions {
	if d.Pipelines == nil {
		d.Pipelines = []PipelineMap{}
	}
	for i := range d.Pipelines {
		if d.Pipelines[i].Stages == nil {
			d.Pipelines[i].Stages = []StageMap{}
		}
	}
	if d.Labels == nil {
		d.Labels = []LabelGroup{}
	}
	for i := range d.Labels {
		if d.Labels[i].Variants == nil {
			d.Labels[i].Variants = []string{}
		}
	}
	if d.ActivityTypes == nil {
		d.ActivityTypes = []ActivityType{}
	}
	if d.Owners == nil {
		d.Owners = []Owner{}
	}
	if len(d.Columns) == 0 {
		d.Columns = nil // written as absent: read back the same
	}
	for i := range d.Columns {
		if d.Columns[i].Options == nil {
			d.Columns[i].Options = []string{}
		}
	}
	return d
}

// validate checks enumerated values, naming the line of each bad one.
func validate(name string, d Decisions, root *yaml.Node) error {
	var errs []error
	for i, p := range d.Pipelines {
		for j, s := range p.Stages {
			if s.Status != "" && s.Status != "won" && s.Status != "lost" {
				errs = append(errs, fmt.Errorf("%s:%d: pipelines[%d].stages[%d].status %q: allowed values are won, lost",
					name, lineOf(root, "pipelines", i, "stages", j, "status"), i, j, s.Status))
			}
		}
	}
	for i, c := range d.Columns {
		if c.Answered() && !slices.Contains(c.Options, c.Choice) && !strings.HasPrefix(c.Choice, "custom.") {
			errs = append(errs, fmt.Errorf("%s:%d: columns[%d].choice %q for %s %q: allowed values are %s, custom.<Name> or open",
				name, lineOf(root, "columns", i, "choice"), i, c.Choice, c.File, c.Header, strings.Join(c.Options, ", ")))
		}
	}
	for i, o := range d.Owners {
		switch o.Resolution {
		case OwnerMatched, OwnerMap, OwnerProvision, OwnerFallback, OwnerOpen:
		default:
			errs = append(errs, fmt.Errorf("%s:%d: owners[%d].resolution %q: allowed values are matched, map, provision, fallback, open",
				name, lineOf(root, "owners", i, "resolution"), i, o.Resolution))
		}
	}
	return errors.Join(errs...)
}

// lineOf walks a path of mapping keys and sequence indexes and returns the line of the value
// (0 when the path does not exist).
func lineOf(n *yaml.Node, path ...any) int {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, step := range path {
		switch s := step.(type) {
		case string:
			next := (*yaml.Node)(nil)
			for k := 0; n.Kind == yaml.MappingNode && k+1 < len(n.Content); k += 2 {
				if n.Content[k].Value == s {
					next = n.Content[k+1]
				}
			}
			if next == nil {
				return 0
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || s >= len(n.Content) {
				return 0
			}
			n = n.Content[s]
		}
	}
	return n.Line
}
