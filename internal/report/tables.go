package report

import (
	"strconv"
	"strings"
	"time"
)

// Table is one table of the report: written as <Name>.csv and shown in report.md.
type Table struct {
	Name   string // file base name, e.g. "reconciliation"
	Title  string
	Header []string
	Rows   [][]string
}

// Tables returns every table of the report in report order.
func Tables(r *Report) []Table {
	return []Table{
		snapshotTable(r), runsTable(r), spendTable(r), reconciliationTable(r), pipelinesTable(r), fieldsTable(r),
		schemaTable(r), clustersTable(r), variantsTable(r), destinationTable(r), appliedTable(r),
		ownersTable(r), notMigratedTable(r),
	}
}

func itoa(n int) string       { return strconv.Itoa(n) }
func i64(n int64) string      { return strconv.FormatInt(n, 10) }
func list(xs []string) string { return strings.Join(xs, "; ") }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func snapshotTable(r *Report) Table {
	t := Table{Name: "snapshot", Title: "Source snapshot", Header: []string{"kind", "records", "quarantined"}}
	for _, k := range r.Snapshot {
		t.Rows = append(t.Rows, []string{string(k.Kind), itoa(k.Records), itoa(k.Quarantined)})
	}
	return t
}

func runsTable(r *Report) Table {
	t := Table{Name: "runs", Title: "Runs", Header: []string{"run", "kind", "status", "started", "finished", "writes"}}
	for _, run := range r.Runs {
		started := run.StartedAt
		t.Rows = append(t.Rows, []string{i64(run.ID), run.Kind, run.Status, stamp(&started),
			stamp(run.FinishedAt), itoa(run.Writes)})
	}
	return t
}

func spendTable(r *Report) Table {
	t := Table{Name: "api_spend", Title: "Pipedrive API budget spent", Header: []string{"day", "endpoint", "calls", "tokens"}}
	for _, s := range r.Spend {
		t.Rows = append(t.Rows, []string{s.Day, s.Endpoint, i64(s.Calls), i64(s.Tokens)})
	}
	return t
}

func reconciliationTable(r *Report) Table {
	t := Table{Name: "reconciliation", Title: "Reconciliation per phase", Header: []string{"kind", "entity",
		"status", "run", "source", "created", "merged", "skipped_by_rule", "quarantined", "failed", "held", "open"}}
	for _, p := range r.Reconciliation {
		row := []string{string(p.Kind), p.Entity, p.Status, "", itoa(p.Source), "", "", "", "", "", "", ""}
		if p.Status != StatusNoRun {
			copy(row[3:], []string{i64(p.RunID), itoa(p.Source), itoa(p.Created), itoa(p.Merged),
				itoa(p.SkippedByRule), itoa(p.Quarantined), itoa(p.Failed), itoa(p.Held), itoa(p.Open)})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func pipelinesTable(r *Report) Table {
	t := Table{Name: "pipelines", Title: "Pipelines and stages", Header: []string{"klipy_pipeline", "deals",
		"action", "pipedrive_pipeline", "klipy_stage", "stage_deals", "pipedrive_stage", "status"}}
	for _, s := range r.Pipelines.Stages {
		t.Rows = append(t.Rows, []string{s.KlipyPipeline, itoa(s.PipelineDeals), s.Action, s.PipedrivePipeline,
			s.KlipyStage, itoa(s.StageDeals), s.PipedriveStage, s.Status})
	}
	return t
}

func fieldsTable(r *Report) Table {
	t := Table{Name: "fields", Title: "Field mapping", Header: []string{"object", "entity", "klipy_field",
		"pipedrive_field", "custom", "type", "field_code", "transforms"}}
	for _, f := range r.Fields.Rows {
		t.Rows = append(t.Rows, []string{string(f.Object), f.Entity, f.KlipyField, f.PipedriveField,
			yesNo(f.Custom), f.Type, f.FieldCode, list(f.Transforms)})
	}
	return t
}

func schemaTable(r *Report) Table {
	t := Table{Name: "schema_created", Title: "Schema created in Pipedrive", Header: []string{"seq", "run",
		"what", "detail", "pipedrive_id", "name", "label", "undone"}}
	for _, s := range r.SchemaCreated {
		t.Rows = append(t.Rows, []string{i64(s.Seq), i64(s.RunID), s.What, s.Detail, s.DestID, s.Name, s.Label, yesNo(s.Undone)})
	}
	return t
}

func clustersTable(r *Report) Table {
	t := Table{Name: "dedupe_clusters", Title: "Duplicate clusters", Header: []string{"kind", "survivor",
		"members", "joined_by", "merged_fields"}}
	for _, c := range r.Dedupe.Clusters {
		t.Rows = append(t.Rows, []string{string(c.Kind), c.Survivor, list(c.Members), list(c.JoinedBy), list(c.MergedFields)})
	}
	return t
}

func variantsTable(r *Report) Table {
	t := Table{Name: "name_variants", Title: "Name variants to review", Header: []string{"survivor", "class", "names"}}
	for _, v := range r.Dedupe.NameVariants {
		t.Rows = append(t.Rows, []string{v.Survivor, v.Class, list(v.Names)})
	}
	return t
}

func destinationTable(r *Report) Table {
	t := Table{Name: "destination_matches", Title: "Merges into existing Pipedrive records", Header: []string{
		"kind", "survivor", "members", "pipedrive_id", "candidates", "on", "key", "policy"}}
	for _, m := range r.Dedupe.DestinationMatches {
		var cands []string
		for _, c := range m.Candidates {
			cands = append(cands, i64(c))
		}
		dest := ""
		if m.DestID != 0 {
			dest = i64(m.DestID)
		}
		t.Rows = append(t.Rows, []string{string(m.Kind), m.Survivor, list(m.Members), dest, list(cands), m.On, m.Key, m.Policy})
	}
	return t
}

func appliedTable(r *Report) Table {
	t := Table{Name: "merges_applied", Title: "Merges applied by a run", Header: []string{"kind", "record",
		"entity", "pipedrive_id", "reason", "run"}}
	for _, m := range r.Dedupe.Applied {
		t.Rows = append(t.Rows, []string{string(m.Kind), m.SourceID, m.Entity, i64(m.DestID), m.Reason, i64(m.RunID)})
	}
	return t
}

func ownersTable(r *Report) Table {
	t := Table{Name: "owners", Title: "Owner decisions", Header: []string{"klipy_owner", "email", "records",
		"resolution", "pipedrive_user", "matched_by"}}
	for _, o := range r.Owners.Rows {
		t.Rows = append(t.Rows, []string{o.Klipy, o.Email, itoa(o.Records), o.Resolution, o.Target, o.MatchedBy})
	}
	return t
}

func notMigratedTable(r *Report) Table {
	t := Table{Name: "not_migrated", Title: "Not migrated", Header: []string{"category", "object", "item",
		"location", "reason"}}
	for _, n := range r.NotMigrated {
		t.Rows = append(t.Rows, []string{n.Category, string(n.Object), n.Item, n.Location, n.Reason})
	}
	return t
}
