package decide

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteParseRoundTrip(t *testing.T) {
	d := Decisions{
		Pipelines: []PipelineMap{{Klipy: "Sales", Deals: 3, Action: ActionCreate, Target: "Sales",
			Stages: []StageMap{{Klipy: "Prospecting", Deals: 2, Target: "Prospecting"}, {Klipy: "Closed Won", Deals: 1, Status: "won"}}}},
		Labels:        []LabelGroup{{Label: "VIP", Variants: []string{"V.I.P.", "VIP", "vip "}, Uses: 9}},
		ActivityTypes: []ActivityType{{Klipy: "DIRECT_MESSAGE/LinkedIn", Count: 4, Target: "task", Channel: true}},
		Owners:        []Owner{{Klipy: "Ann <ann@x.com>", Email: "ann@x.com", Records: 5, Resolution: OwnerOpen}},
		Columns: []ColumnChoice{{File: "people.csv", Header: "E-Mail Address", Why: "two headers spell email",
			Options: []string{"email", "custom.E-Mail Address", "skip"}, Choice: ColumnOpen}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	got, err := Parse("decisions.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("Parse of written file: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(buf.String(), "# ferry decisions") {
		t.Error("written file lacks its explanatory header")
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"bad resolution", "owners:\n  - klipy: Ann\n    records: 1\n    resolution: maybe\n", `decisions.yaml:4: owners[0].resolution "maybe"`},
		{"bad status", "pipelines:\n  - klipy: S\n    stages:\n      - klipy: W\n        status: finished\n", `decisions.yaml:5: pipelines[0].stages[0].status "finished"`},
		{"unknown key", "owners:\n  - klipy: Ann\n    resolutoin: open\n", "line 3"},
		{"bad column choice", "columns:\n  - file: people.csv\n    header: Email\n    options: [email, custom.Email, skip]\n    choice: phone\n",
			`decisions.yaml:5: columns[0].choice "phone" for people.csv "Email": allowed values are email, custom.Email, skip, custom.<Name> or open`},
		{"wrong type", "owners:\n  - klipy: Ann\n    records: many\n", "line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("decisions.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestOpenColumnDecisions: a column decision is open until its choice is set.
func TestOpenColumnDecisions(t *testing.T) {
	d := Decisions{Columns: []ColumnChoice{
		{File: "people.csv", Header: "Email", Options: []string{"email", "custom.Email", "skip"}, Choice: ColumnOpen},
		{File: "people.csv", Header: "E-Mail Address", Options: []string{"email", "custom.E-Mail Address", "skip"}, Choice: "email"},
		{File: "people.csv", Header: "Mail 2", Options: []string{"email"}, Choice: " "},
	}}
	open := d.Open()
	if len(open) != 2 || !strings.Contains(open[0], `columns[0] people.csv "Email": which field`) ||
		!strings.Contains(open[0], "email, custom.Email, skip") || !strings.Contains(open[1], "columns[2]") {
		t.Errorf("open decisions %q, want columns[0] and columns[2]", open)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("columns: [{file: a, header: b, options: [email], choice: email}, {}]"))
	var buf bytes.Buffer
	Write(&buf, Decisions{Owners: []Owner{{Klipy: "A", Resolution: OwnerOpen}}})
	f.Add(buf.Bytes())
	f.Add([]byte("owners: [{resolution: x}]"))
	f.Add([]byte("pipelines: {a: 1}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Write(&out, d); err != nil {
			t.Fatalf("accepted decisions do not re-encode: %v", err)
		}
		again, err := Parse("f.yaml", out.Bytes())
		if err != nil {
			t.Fatalf("re-encoded decisions do not parse: %v", err)
		}
		if diff := cmp.Diff(d, again); diff != "" {
			t.Errorf("round trip changed the decisions (-first +second):\n%s", diff)
		}
	})
}
