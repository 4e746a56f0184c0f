package extract

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

func rec(ch source.Channel, origin string, kv ...string) source.Record {
	f := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return source.Record{Kind: source.Person, ID: "p1", Channel: ch, Origin: origin, Fields: f}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name string
		in   []source.Record
		want source.Record
	}{
		{
			name: "api wins over harvest, harvest fills blanks",
			in: []source.Record{
				rec(source.API, "/people/query", "email", "jane@acme.com", "title", ""),
				rec(source.Harvest, "people.csv:4", "email", "old@acme.com", "title", "CTO", "tags", "VIP"),
			},
			want: source.Record{Kind: source.Person, ID: "p1", Channel: source.API,
				Origin: "harvest:people.csv:4 + api:/people/query",
				Fields: map[string]string{"email": "jane@acme.com", "title": "CTO", "tags": "VIP"}},
		},
		{
			name: "webhook wins over harvest for deals whatever the order",
			in: []source.Record{
				rec(source.Webhook, "", "stage", "Proposal"),
				rec(source.Harvest, "deals.csv:9", "stage", "Discovery", "value", "100"),
			},
			want: source.Record{Kind: source.Person, ID: "p1", Channel: source.Webhook,
				Origin: "harvest:deals.csv:9 + webhook",
				Fields: map[string]string{"stage": "Proposal", "value": "100"}},
		},
		{
			name: "single channel is kept as is",
			in:   []source.Record{rec(source.Harvest, "people.csv:2", "email", " jane@acme.com ")},
			want: source.Record{Kind: source.Person, ID: "p1", Channel: source.Harvest,
				Origin: "harvest:people.csv:2", Fields: map[string]string{"email": " jane@acme.com "}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Merge(tt.in)); diff != "" {
				t.Errorf("Merge (-want +got):\n%s", diff)
			}
			rev := append([]source.Record(nil), tt.in...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			if diff := cmp.Diff(tt.want, Merge(rev)); diff != "" {
				t.Errorf("Merge of reversed input differs (-want +got):\n%s", diff)
			}
		})
	}
}
