package plan

import (
	"fmt"
	"io"
	"time"

	"ferry/internal/plan/dedupe"
	"ferry/internal/plan/mapping"
)

// WriteReport writes the plan report in Markdown: what will be created, merged and skipped,
// and what waits for a decision, short enough to review in five minutes.
func (p *Plan) WriteReport(w io.Writer) error {
	r := &reportWriter{w: w, names: p.Names}
	r.f("# ferry plan\n\n")
	r.f("Built %s in %s. ", time.Now().UTC().Format("2006-01-02 15:04 MST"), p.Took.Round(time.Millisecond))
	if p.Options.DestinationRead {
		r.f("Pipedrive's users, pipelines, fields and existing persons and organizations were read.\n\n")
	} else {
		r.f("**Pipedrive was not read** (no PIPEDRIVE_API_TOKEN): the plan assumes an empty company; run ferry plan again with the token before confirming.\n\n")
	}
	r.writeSummary(p)
	r.writeCounts(p.Counts, p.Quarantined)
	r.writeDiscovered(p.Discovered)
	r.writeLosses(p)
	r.writeDedupe(p.Dedupe)
	r.writeDecisions(p.Decisions)
	r.writeMapping(p.Mapping)
	r.writeValues(p.Mapping, p.Profile)
	return r.err
}

// writeSummary is the five-line answer: what happens to each object.
func (r *reportWriter) writeSummary(p *Plan) {
	s := p.Dedupe.Stats
	merged := 0
	for _, m := range p.Dedupe.DestinationMatches {
		if m.DestID != 0 {
			merged++
		}
	}
	r.f("## In short\n\n")
	r.f("- **People**: %d Klipy records are %d distinct people (%d duplicate clusters); %d merge into existing Pipedrive persons or organizations.\n",
		s.People, s.DistinctPeople, s.PersonClusters, merged)
	r.f("- **Companies**: %d Klipy records are %d organizations (%d clusters of domain variants).\n",
		s.Companies, s.DistinctCompanies, s.CompanyClusters)
	if n := len(p.Discovered); n > 0 {
		r.f("- **Organizations discovered from references**: %d (named by people, deals or activities but in no companies file; created by name, listed below).\n", n)
	}
	r.f("- **Deals** %d, **interactions → activities** %d, **notes** %d, **to-dos → tasks** %d, **attachments → files** %d.\n",
		p.Counts["deal"], p.Counts["interaction"], p.Counts["note"], p.Counts["task"], p.Counts["attachment"])
	r.f("- **Not migrated**: %d fields (listed below with why); %d rows were quarantined on extract.\n",
		countSkipped(p.Mapping), total(p.Quarantined))
	if p.LossesPredicted {
		all, accepted := LostRecords(p.Losses)
		r.f("- **Would not arrive**: %d records (quarantined, held or refused; %d of them accepted as losses), by object and reason below.\n", all, accepted)
	}
	r.f("- **Decisions waiting**: %d.\n\n", len(p.Decisions.Open()))
}

func (r *reportWriter) writeDedupe(d *dedupe.Result) {
	r.f("## Duplicates\n\n")
	r.f("%d person clusters and %d company clusters; each keeps a survivor and fills blanks from the others (details: `dedupe.json`).\n\n",
		len(d.PersonClusters), len(d.CompanyClusters))
	var rows [][]string
	for i, c := range d.PersonClusters {
		if i == reportClusters {
			break
		}
		on := ""
		if len(c.Links) > 0 {
			on = c.Links[0].On + " " + c.Links[0].Key
		}
		rows = append(rows, []string{r.name(c.Kind, c.Survivor), fmt.Sprint(len(c.Members)), on})
	}
	if len(rows) > 0 {
		r.f("First person clusters:\n\n")
		r.table([]string{"survivor", "records", "joined on"}, rows)
	}
	if n := len(d.NameVariants); n > 0 {
		r.f("**%d clusters spell the name differently**: review them in `dedupe.json` (name_variants).\n\n", n)
	}
	if n := len(d.DestinationMatches); n > 0 {
		r.f("**%d records match existing Pipedrive records** and are merged into them (policy: %s).\n\n",
			n, d.DestinationMatches[0].Policy)
	}
}

func (r *reportWriter) writeMapping(m mapping.Mapping) {
	r.f("## Mapping (`mapping.yaml`)\n\n")
	for _, o := range m.Objects {
		if o.Skip != "" {
			r.f("- **%s**: not migrated: %s\n", o.Source, o.Skip)
			continue
		}
		std, custom, skipped := 0, 0, 0
		for _, f := range o.Fields {
			switch {
			case f.Skip != "":
				skipped++
			case f.CustomField != "":
				custom++
			default:
				std++
			}
		}
		r.f("- **%s → %s**: %d standard fields, %d custom fields, %d not migrated\n", o.Source, o.Target, std, custom, skipped)
	}
	r.f("\n### Not migrated\n\n")
	var rows [][]string
	for _, o := range m.Objects {
		for _, f := range o.Fields {
			if f.Skip != "" {
				rows = append(rows, []string{string(o.Source), f.Source, f.Skip})
			}
		}
	}
	r.table([]string{"object", "field", "why"}, rows)
}

func countSkipped(m mapping.Mapping) int {
	n := 0
	for _, o := range m.Objects {
		for _, f := range o.Fields {
			if f.Skip != "" {
				n++
			}
		}
	}
	return n
}

func total[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// writeDiscovered lists the organizations extract made from references, with how to change
// that: they are a choice the reviewer should see, not a silent addition.
func (r *reportWriter) writeDiscovered(names []string) {
	if len(names) == 0 {
		return
	}
	r.f("## Organizations discovered from references\n\n")
	r.f("%d company name(s) are named by people, deals, activities, notes or tasks but have no row in the companies file. "+
		"Each becomes an organization with that name, and the records naming it are linked to it. To give one a domain or "+
		"other fields, add its row to companies.csv; to create none, set the referring column's field to custom.<Name> "+
		"or skip in columns.yaml; then run ferry extract and ferry plan again.\n\n", len(names))
	rows := make([][]string, len(names))
	for i, n := range names {
		rows[i] = []string{n}
	}
	r.table([]string{"organization"}, rows)
}
