package plan

import (
	"path/filepath"

	"ferry/internal/plan/decide"
	"ferry/internal/source"
)

// Loss is a group of records that a dry run of the plan over the whole snapshot predicts
// would not arrive in Pipedrive (quarantined, held, refused, cannot move), for one object
// and one reason class.
type Loss struct {
	Object     source.Kind `json:"object"`
	Reason     string      `json:"reason"`
	Records    int         `json:"records"`
	AcceptedBy string      `json:"accepted_by,omitempty"` // the accepted loss reason (decisions.yaml accepted_losses) covering it
	Named      []string    `json:"named,omitempty"`       // the first records, by name and Klipy id (source.Named) or file:line
}

// lossNamedShown is how many records of each loss the plan report names.
const lossNamedShown = 10

// writeLosses writes the predicted losses by object and reason, each naming its first
// records, then the accepted loss reasons; each part says "None" when empty.
func (r *reportWriter) writeLosses(p *Plan) {
	r.f("## Records that would not arrive\n\n")
	if !p.LossesPredicted {
		r.f("Not predicted: the plan files could not be dry-run (`ferry decide list` and `ferry confirm` predict them).\n\n")
	} else if len(p.Losses) == 0 {
		r.f("None: a dry run of `mapping.yaml` over the whole snapshot moves every record.\n\n")
	} else {
		all, _ := LostRecords(p.Losses)
		r.f("A dry run of `mapping.yaml` and `decisions.yaml` over the whole snapshot (nothing sent) predicts that %d records would not arrive, by object and reason below, as planned (`ferry decide list` shows the prediction after later decisions). `ferry confirm` refuses until each reason is fixed or accepted (`ferry decide accept-loss REASON`).\n\n", all)
		var object source.Kind
		for _, l := range p.Losses {
			if l.Object != object {
				object = l.Object
				r.f("### %s\n\n", object)
			}
			r.f("**%d record(s)**: %s", l.Records, l.Reason)
			if l.AcceptedBy != "" {
				r.f(" (loss accepted: “%s”)", l.AcceptedBy)
			}
			r.raw("\n\n")
			for _, n := range l.Named[:min(len(l.Named), lossNamedShown)] {
				r.f("- %s\n", n)
			}
			if more := l.Records - min(len(l.Named), lossNamedShown); more > 0 {
				r.f("- … and %d more\n", more)
			}
			r.raw("\n")
		}
	}
	r.writeAccepted(p.Decisions.AcceptedLosses)
}

// writeAccepted lists the loss reasons decisions.yaml accepts.
func (r *reportWriter) writeAccepted(acc []decide.AcceptedLoss) {
	r.f("### Accepted losses (`decisions.yaml` accepted_losses)\n\n")
	if len(acc) == 0 {
		r.f("None.\n\n")
		return
	}
	for _, a := range acc {
		r.f("- “%s”: %d record(s) when accepted\n", a.Reason, a.Records)
	}
	r.raw("\n")
}

// WriteReportFile writes plan-report.md alone into dir (after Losses are predicted).
func (p *Plan) WriteReportFile(dir string) error {
	return writeAtomic(filepath.Join(dir, ReportFile), p.WriteReport)
}

// LostRecords counts the records of the predicted losses, and those accepted.
func LostRecords(ls []Loss) (all, accepted int) {
	for _, l := range ls {
		all += l.Records
		if l.AcceptedBy != "" {
			accepted += l.Records
		}
	}
	return all, accepted
}
