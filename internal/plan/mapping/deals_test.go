package mapping

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// dealMapping is the proposal's deal fields that place a deal.
func dealMapping() Mapping {
	f := func(src, target string, ts ...string) Field {
		return Field{Source: src, Target: target, Transforms: ts}
	}
	return Mapping{Version: Version, DefaultRegion: "US", Objects: []Object{{Source: source.Deal, Target: EntityDeal, Fields: []Field{
		f("name", "title", TTrim), f("pipeline", "pipeline_id", TPipeline), f("stage", "stage_id", TStage),
		f("status", "status", TDealStatus), f("closed_at", "close_time", TParseDate+":2006-01-02T15:04:05Z07:00"),
		f("lost_reason", "lost_reason", TTrim),
		{Source: "stage_history", CustomField: "Klipy stage history", Type: "text"},
	}}}}
}

// TestApplyPlacesDeals: won and lost deals keep the stage they were last in with their
// status and close time; a closing stage gives the status, the last open stage of the
// history and the close time of the last move; a closed deal with no stage goes to the
// pipeline's last stage; a pipeline the stage map cannot place costs a warning, not the deal,
// unless the deal names a stage.
func TestApplyPlacesDeals(t *testing.T) {
	m := dealMapping()
	if ps := validate(m); len(ps) > 0 {
		t.Fatalf("mapping invalid: %v", ps)
	}
	hist := "Klipy stage history"
	cases := []struct {
		name   string
		in     map[string]string
		refs   Resolver
		want   map[string]any
		errors bool
		warns  int
	}{
		{name: "won in its last open stage", in: map[string]string{"name": "D", "pipeline": "Sales", "stage": "Negotiation",
			"status": "won", "closed_at": "2024-03-05T14:30:00Z", "lost_reason": "n/a"},
			want: map[string]any{"title": "D", "stage_id": "stage:Sales/Negotiation", "status": "won",
				"close_time": "2024-03-05T14:30:00Z", "won_time": "2024-03-05T14:30:00Z"}},
		{name: "lost with its reason", in: map[string]string{"name": "D", "pipeline": "Sales", "stage": "Demo",
			"status": "lost", "closed_at": "2024-02-19T11:00:00Z", "lost_reason": "Budget cut"},
			want: map[string]any{"title": "D", "stage_id": "stage:Sales/Demo", "status": "lost",
				"close_time": "2024-02-19T11:00:00Z", "lost_time": "2024-02-19T11:00:00Z", "lost_reason": "Budget cut"}},
		{name: "Klipy's Closed Won stage", in: map[string]string{"name": "D", "pipeline": "Main", "stage": "Closed Won",
			"stage_history": "Opportunity@2024-01-01T10:00:00Z;Discovery@2024-01-05T10:00:00Z;Closed Won@2024-02-01T12:00:00Z"},
			want: map[string]any{"title": "D", "stage_id": "stage:Main/Discovery", "status": "won",
				"close_time": "2024-02-01T12:00:00Z", "won_time": "2024-02-01T12:00:00Z",
				"custom_fields": map[string]any{hist: "Opportunity@2024-01-01T10:00:00Z;Discovery@2024-01-05T10:00:00Z;Closed Won@2024-02-01T12:00:00Z"}}},
		{name: "won with no stage", in: map[string]string{"name": "D", "pipeline": "Sales", "status": "won", "closed_at": "2023-11-30T09:00:00Z"},
			want: map[string]any{"title": "D", "stage_id": "stage:Sales/(last)", "status": "won",
				"close_time": "2023-11-30T09:00:00Z", "won_time": "2023-11-30T09:00:00Z"}},
		{name: "open with no stage", in: map[string]string{"name": "D", "pipeline": "Sales", "status": "open", "closed_at": "2023-11-30T09:00:00Z"},
			want: map[string]any{"title": "D", "stage_id": "stage:Sales/(first)", "status": "open"}},
		{name: "no stage map for a stageless pipeline", refs: noStages{}, in: map[string]string{"name": "D", "pipeline": "Vertrieb", "status": "won"},
			want: map[string]any{"title": "D", "status": "won"}, warns: 1},
		{name: "a named stage the map lacks", refs: noStages{}, in: map[string]string{"name": "D", "pipeline": "Vertrieb", "stage": "Angebot"},
			want: map[string]any{"title": "D"}, errors: true, warns: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refs := c.refs
			if refs == nil {
				refs = NameResolver{}
			}
			body, ps := Apply(m, source.Deal, source.Record{Kind: source.Deal, ID: "d", Fields: c.in}, refs)
			if diff := cmp.Diff(c.want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if Errors(ps) != c.errors || len(ps) != c.warns {
				t.Errorf("problems %+v: want %d, errors %v", ps, c.warns, c.errors)
			}
		})
	}
}

// noStages is a stage map that places nothing.
type noStages struct{ NameResolver }

func (noStages) DealStage(pipeline, stage string, _ []string, _ bool) (any, string, error) {
	return nil, "", errors.New("pipeline " + pipeline + " stage " + stage + " is not in the stage map")
}
