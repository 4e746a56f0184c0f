package mapping

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// valueFiles are the hand-written CSV snippets of testdata/values and the kind of their rows.
var valueFiles = map[string]source.Kind{"companies-bands.csv": source.Company, "people-eu.csv": source.Person,
	"deals-eu.csv": source.Deal, "interactions-epoch.tsv": source.Interaction, "tasks-de.csv": source.Task}

// proposeValueFiles profiles the hand-written snippets and proposes their mapping.
func proposeValueFiles(t *testing.T, files map[string]source.Kind) (Mapping, map[string][]source.Record) {
	t.Helper()
	pr := profile.NewProfiler()
	recs := map[string][]source.Record{}
	for name, kind := range files {
		for _, r := range readCSVCustom(t, filepath.Join("testdata", "values", name), kind) {
			pr.Add(r)
			recs[name] = append(recs[name], r)
		}
	}
	return Propose(pr.Profile(), Schema{}, Options{DefaultRegion: "US"}), recs
}

// TestProposeValueClasses checks the proposal for each class of value on hand-written
// columns: the target or custom type, the transforms with their arguments, an open question.
func TestProposeValueClasses(t *testing.T) {
	m, _ := proposeValueFiles(t, valueFiles)
	tests := []struct {
		kind       source.Kind
		field      string
		target     string // standard target, or "custom:TYPE"
		transforms []string
		open       bool
	}{
		{source.Company, "custom.Size", "custom:enum", []string{TMapEnum}, false},                            // bands: options, never a number
		{source.Company, "employee_count", "custom:varchar", []string{TTrim}, false},                         // 120, 35, 50-100: not numbers
		{source.Company, "custom.Revenue", "annual_revenue", []string{TParseMoney + ":us"}, false},           // $1,200,000.00
		{source.Company, "custom.Portal", "custom:varchar", []string{TTrim}, false},                          // URL with a query string
		{source.Company, "custom.Founded", "custom:double", []string{TParseNumber + ":us"}, false},           // plain numbers
		{source.Person, "custom.Renewal Date", "custom:date", []string{TParseDate + ":2006-01-02"}, false},   // one "someday" listed, not text
		{source.Person, "custom.Preferred Language", "custom:enum", []string{TMapEnum}, false},               // three values
		{source.Person, "custom.Langue", "custom:enum", []string{TMapEnum}, false},                           // French header
		{source.Person, "custom.Newsletter", "custom:enum", []string{TBoolean}, false},                       // Ja/Nein
		{source.Person, "custom.Score", "custom:double", []string{TParseNumber + ":eu"}, false},              // 45%, 12,5 %: comma decimals
		{source.Person, "custom.Interests", "custom:set", []string{TListToSet + ":|"}, false},                // Golf|Tennis
		{source.Person, "custom.Birthday", "custom:date", []string{TParseDate + ":02/01/2006"}, false},       // a 31/01 makes it day-first
		{source.Person, "custom.Last Contact", "custom:date", []string{TParseDate + ":01/02/2006"}, true},    // no day above 12: asked
		{source.Person, "phone", "phones", []string{TPhoneE164 + ":@custom.Land"}, false},                    // Land DE/AT/FR/NL
		{source.Deal, "value", "value", []string{TParseMoney + ":eu"}, false},                                // 18.750,00 €
		{source.Deal, "closed_at", "close_time", []string{TParseDate + ":02.01.2006"}, false},                // 14.03.2024
		{source.Deal, "created_at", "custom:date", []string{TParseDate + ":02.01.2006 15:04"}, false},        // 31.01.2024 09:15
		{source.Deal, "custom.Forecast Probability", "custom:double", []string{TParseNumber + ":us"}, false}, // 45%, one n/a listed
		{source.Deal, "custom.Products", "custom:set", []string{TListToSet}, false},                          // CRM;Analytics
		{source.Interaction, "interaction_date", "due_date", []string{TSplitDateTime + ":unixms"}, false},    // epoch milliseconds
		{source.Interaction, "duration_minutes", "duration", []string{TDuration + ":h:mm"}, false},           // 1:30
		{source.Task, "due_date", "due_date", []string{TParseDate + ":02.01.2006"}, false},                   // 08.03.2024
		{source.Task, "done", "done", []string{TBoolean}, false},                                             // Ja/Nein
	}
	for _, tt := range tests {
		f := proposedField(t, m, tt.kind, tt.field)
		target := f.Target
		if f.CustomField != "" {
			target = "custom:" + f.Type
		}
		if target != tt.target || !cmp.Equal(f.Transforms[:min(len(f.Transforms), len(tt.transforms))], tt.transforms) ||
			(f.Open != "") != tt.open {
			t.Errorf("%s.%s: %s %v open %q (%s); want %s %v open %v", tt.kind, tt.field, target, f.Transforms,
				f.Open, f.Reason, tt.target, tt.transforms, tt.open)
		}
	}
}

// TestProposeUnixSeconds reads ten-digit timestamps of a date field as Unix seconds.
func TestProposeUnixSeconds(t *testing.T) {
	m, _ := proposeValueFiles(t, map[string]source.Kind{"tasks-unix.csv": source.Task})
	f := proposedField(t, m, source.Task, "due_date")
	if want := []string{TParseDate + ":unix"}; !cmp.Equal(f.Transforms, want) {
		t.Errorf("due_date transforms %v, want %v (%s)", f.Transforms, want, f.Reason)
	}
}

// TestApplyValueClasses runs the proposed mapping over the hand-written rows and checks the
// bodies: every value form read, misfits left out with a warning and the record kept.
func TestApplyValueClasses(t *testing.T) {
	m, recs := proposeValueFiles(t, valueFiles)
	body := func(file string, row int) (map[string]any, []Problem) {
		r := recs[file][row]
		b, ps := Apply(m, r.Kind, r, NameResolver{})
		if b == nil {
			t.Fatalf("%s row %d: no body (%v)", file, row, ps)
		}
		return b, ps
	}
	custom := func(b map[string]any, name string) any {
		cf, _ := b["custom_fields"].(map[string]any)
		return cf[name]
	}
	phone := func(b map[string]any) any {
		ps, _ := b["phones"].([]any)
		if len(ps) == 0 {
			return nil
		}
		return ps[0].(map[string]any)["value"]
	}

	b, ps := body("people-eu.csv", 0)
	expectValue(t, "phone with Land DE", phone(b), "+49301234567")
	expectValue(t, "Newsletter Ja", custom(b, "Newsletter"), "Newsletter=Yes")
	expectValue(t, "Score 45%", custom(b, "Score"), 45.0)
	expectValue(t, "Interests Golf|Tennis", custom(b, "Interests"), []any{"Interests=Golf", "Interests=Tennis"})
	expectValue(t, "Birthday 31/01/1980", custom(b, "Birthday"), "1980-01-31")
	checkNoErrors(t, "people row 2", ps)

	b, ps = body("people-eu.csv", 1)
	expectValue(t, "Score 12,5 %", custom(b, "Score"), 12.5)
	checkNoErrors(t, "people row 3", ps)

	b, ps = body("people-eu.csv", 2) // Renewal Date "someday", Land AT
	expectValue(t, "Renewal someday left out", custom(b, "Renewal Date"), nil)
	expectValue(t, "phone with Land AT", phone(b), "+4315123456")
	expectValue(t, "email kept", b["emails"].([]any)[0].(map[string]any)["value"], "thomas@elbtal.example")
	if !hasWarning(ps, "person.custom.Renewal Date", "someday") {
		t.Errorf("no warning naming the left-out Renewal Date: %v", ps)
	}
	checkNoErrors(t, "people row 4", ps)

	b, _ = body("people-eu.csv", 4)
	expectValue(t, "phone with Land FR", phone(b), "+33472123456")
	b, _ = body("people-eu.csv", 6) // no Land: default_region US cannot read it, but +34 can
	expectValue(t, "international phone without Land", phone(b), "+34912345678")
	b, ps = body("people-eu.csv", 7) // unparseable phone kept as written
	expectValue(t, "phone kept as written", phone(b), "not a number")
	checkNoErrors(t, "people row 9", ps)

	b, ps = body("deals-eu.csv", 0)
	expectValue(t, "deal value 18.750,00 €", b["value"], 18750.0)
	expectValue(t, "deal currency from €", b["currency"], "EUR")
	expectValue(t, "won_time from 14.03.2024", b["won_time"], "2024-03-14T00:00:00Z")
	expectValue(t, "created 31.01.2024 09:15", custom(b, "Klipy created at"), "2024-01-31")
	expectValue(t, "Products CRM;Analytics", custom(b, "Products"), []any{"Products=CRM", "Products=Analytics"})
	checkNoErrors(t, "deals row 2", ps)
	b, _ = body("deals-eu.csv", 2)
	expectValue(t, "deal value 45.000,- €", b["value"], 45000.0)
	b, _ = body("deals-eu.csv", 3)
	expectValue(t, "deal value 1 234,56 €", b["value"], 1234.56)
	expectValue(t, "Forecast n/a left out", custom(b, "Forecast Probability"), nil)

	b, ps = body("interactions-epoch.tsv", 0)
	expectValue(t, "epoch ms due_date", b["due_date"], "2024-02-05")
	expectValue(t, "epoch ms due_time", b["due_time"], "08:30")
	expectValue(t, "duration 1:30", b["duration"], "01:30")
	checkNoErrors(t, "interactions row 2", ps)

	b, _ = body("tasks-de.csv", 0)
	expectValue(t, "done Nein", b["done"], false)
	expectValue(t, "due 08.03.2024", b["due_date"], "2024-03-08")
	b, _ = body("tasks-de.csv", 3)
	expectValue(t, "done JA", b["done"], true)

	b, ps = body("companies-bands.csv", 3) // employee_count 50-100
	expectValue(t, "Size 201-500", custom(b, "Size"), "Size=201-500")
	expectValue(t, "employee count band kept as text", custom(b, "Employee count"), "50-100")
	checkNoErrors(t, "companies row 5", ps)
}

func expectValue(t *testing.T, what string, got, want any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

// checkNoErrors fails on any problem that would quarantine the record.
func checkNoErrors(t *testing.T, what string, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if !p.Warning {
			t.Errorf("%s: error %s: %s", what, p.Field, p.Message)
		}
	}
}

func hasWarning(ps []Problem, field, value string) bool {
	for _, p := range ps {
		if p.Warning && p.Field == field && strings.Contains(p.Message, value) && strings.Contains(p.Message, "left out") {
			return true
		}
	}
	return false
}

// TestDayMonthQuestionBlocks checks that a date column no value of which tells day from
// month is written with an open question that survives mapping.yaml and that Lint reports
// as an error (so confirmation waits), and that answering it (deleting the line) clears it.
func TestDayMonthQuestionBlocks(t *testing.T) {
	pr := profile.NewProfiler()
	for _, r := range readCSVCustom(t, filepath.Join("testdata", "values", "people-eu.csv"), source.Person) {
		pr.Add(r)
	}
	p := pr.Profile()
	m := Propose(p, Schema{}, Options{DefaultRegion: "DE"})
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "open: ") {
		t.Fatalf("mapping.yaml has no open: line:\n%s", buf.String())
	}
	parsed, err := Parse("mapping.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ps := Lint(parsed, p, Schema{})
	var found *Problem
	for i, pr := range ps {
		if !pr.Warning && pr.Field == "person.custom.Last Contact" && strings.Contains(pr.Message, "open decision") {
			found = &ps[i]
		}
	}
	if found == nil || found.Line == 0 || !Errors(ps) {
		t.Fatalf("no open-decision error with a line for Last Contact: %v", ps)
	}
	answered := regexp.MustCompile(`(?m)^\s*open: .*\n`).ReplaceAll(buf.Bytes(), nil)
	parsed, err = Parse("mapping.yaml", answered)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range Lint(parsed, p, Schema{}) {
		if strings.Contains(pr.Message, "open decision") {
			t.Errorf("still open after the line was deleted: %s", pr.Format("mapping.yaml"))
		}
	}
}

// TestProposeColumnMapHints checks that the column map's hints and headers reach the
// proposal: an epoch hint makes a number column a timestamp, and a standard field whose
// values are not numbers keeps its header's name as a custom field.
func TestProposeColumnMapHints(t *testing.T) {
	p := profile.Profile{Objects: []profile.Object{
		{Kind: source.Interaction, Records: 2, Fields: []profile.Field{{Name: "interaction_date", Filled: 2,
			FillRate: 1, Distinct: 2, Type: profile.TypeNumber, Confidence: 1, Locale: profile.LocaleUS}}},
		{Kind: source.Company, Records: 3, Fields: []profile.Field{{Name: "employee_count", Filled: 3, FillRate: 1,
			Distinct: 2, Type: profile.TypeEnum, Confidence: 0.8, Examples: []string{"11-50", "51-200"},
			Values: []profile.ValueCount{{Value: "11-50", Count: 2}, {Value: "51-200", Count: 1}}}}},
	}}
	m := Propose(p, Schema{}, Options{
		Hints:   map[source.Kind]map[string]string{source.Interaction: {"interaction_date": "epoch_s"}},
		Headers: map[source.Kind]map[string]string{source.Company: {"employee_count": "Size"}},
	})
	if f := proposedField(t, m, source.Interaction, "interaction_date"); !cmp.Equal(f.Transforms, []string{TSplitDateTime + ":unix"}) {
		t.Errorf("interaction_date with epoch_s: %v", f.Transforms)
	}
	f := proposedField(t, m, source.Company, "employee_count")
	if f.CustomField != "Size" || f.Type != "enum" || !cmp.Equal(f.Options, []string{"11-50", "51-200"}) {
		t.Errorf("employee_count of bands: custom field %q %s %v (%s), want Size enum", f.CustomField, f.Type, f.Options, f.Reason)
	}
}

// TestCurrencyHintMakesPlainAmountsMoney: a column whose header names its currency ("Wert
// (EUR)", hint currency:EUR) and whose values have no symbol (European style "18.750,00")
// is read as money in that currency: the deal's value and currency, and a custom column
// becomes a monetary field. A symbol in the value still wins over the hint.
func TestCurrencyHintMakesPlainAmountsMoney(t *testing.T) {
	num := func(name string) profile.Field {
		return profile.Field{Name: name, Filled: 2, FillRate: 1, Distinct: 2, Type: profile.TypeNumber,
			Confidence: 1, Locale: profile.LocaleEU, Custom: strings.HasPrefix(name, source.CustomPrefix)}
	}
	p := profile.Profile{Objects: []profile.Object{{Kind: source.Deal, Records: 2,
		Fields: []profile.Field{num("value"), num("custom.Budget"), {Name: "name", Filled: 2, FillRate: 1, Distinct: 2,
			Type: profile.TypeText, Confidence: 1}}}}}
	hints := map[source.Kind]map[string]string{source.Deal: {"value": "currency:EUR", "custom.Budget": "currency:chf"}}
	m := Propose(p, Schema{}, Options{Hints: hints})
	if f := proposedField(t, m, source.Deal, "value"); !cmp.Equal(f.Transforms, []string{TParseMoney + ":eu:EUR"}) {
		t.Errorf("value with currency:EUR: transforms %v (%s)", f.Transforms, f.Reason)
	}
	if f := proposedField(t, m, source.Deal, "custom.Budget"); f.Type != "monetary" || !cmp.Equal(f.Transforms, []string{TParseMoney + ":eu:CHF"}) {
		t.Errorf("custom Budget with currency:chf: %s %v, want monetary parse_money:eu:CHF", f.Type, f.Transforms)
	}
	if ps := validate(m); len(ps) > 0 {
		t.Fatalf("proposed mapping invalid: %v", ps)
	}
	tests := []struct {
		value string
		want  map[string]any
	}{
		{"18.750,00", map[string]any{"value": 18750.0, "currency": "EUR"}},
		{"2.340,50 $", map[string]any{"value": 2340.5, "currency": "USD"}},
	}
	for _, tc := range tests {
		rec := source.Record{Kind: source.Deal, ID: "V-1", Fields: map[string]string{"id": "V-1", "name": "X", "value": tc.value}}
		body, problems := Apply(m, source.Deal, rec, NameResolver{})
		got := map[string]any{"value": body["value"], "currency": body["currency"]}
		if d := cmp.Diff(tc.want, got); d != "" || len(problems) > 0 {
			t.Errorf("value %q: body (-want +got):\n%s problems %v", tc.value, d, problems)
		}
	}
}
