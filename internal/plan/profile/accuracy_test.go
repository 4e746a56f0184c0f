package profile

import (
	"context"
	"fmt"
	"testing"

	"ferry/internal/gen"
	"ferry/internal/source"
)

// keyTypes translates the answer key's custom field types to detected types.
var keyTypes = map[string]Type{"enum": TypeEnum, "monetary": TypeMoney, "double": TypeNumber,
	"date": TypeDate, "set": TypeSet, "boolean": TypeBoolean, "text": TypeLongText,
	"varchar": TypeText, "phone": TypePhone, "url": TypeURL}

// TestCustomFieldAccuracy checks detected custom field types (and date layouts, money
// currencies and enum options) against the generator's answer key over five seeds; at 300
// people at least 95% must match. Smaller workspaces are measured and logged: with a
// dozen companies an enum column has too few repeats to be told from text.
func TestCustomFieldAccuracy(t *testing.T) {
	for _, people := range []int{60, 300} {
		right, total := accuracy(t, people)
		acc := float64(right) / float64(total)
		t.Logf("%d people: custom field type accuracy %d/%d = %.1f%%", people, right, total, 100*acc)
		if people >= 300 && acc < 0.95 {
			t.Errorf("accuracy %.1f%% < 95%%", 100*acc)
		}
	}
}

// accuracy profiles five seeds of a workspace size and counts the custom fields whose
// profile agrees with the key.
func accuracy(t *testing.T, people int) (right, total int) {
	for _, seed := range []int64{1, 2, 3, 7, 42} {
		recs, key := harvestRecords(t, people, seed)
		p, err := Build(context.Background(), recs)
		if err != nil {
			t.Fatal(err)
		}
		for _, cf := range key.CustomFields {
			total++
			if msg := checkCustom(p, cf); msg != "" {
				t.Logf("%d people, seed %d: %s", people, seed, msg)
				continue
			}
			right++
		}
	}
	return right, total
}

// checkCustom returns why the profile of one custom field disagrees with the key, or "".
func checkCustom(p Profile, cf gen.CustomField) string {
	o, _ := p.Object(cf.Kind)
	f, ok := o.Field(source.CustomPrefix + cf.Name)
	if !ok {
		return fmt.Sprintf("%s %s: not profiled", cf.Kind, cf.Name)
	}
	if want := keyTypes[cf.Type]; f.Type != want {
		return fmt.Sprintf("%s %s: type %s, want %s (examples %q)", cf.Kind, cf.Name, f.Type, want, f.Examples)
	}
	switch {
	case cf.Type == "date" && f.Layout != cf.Format:
		return fmt.Sprintf("%s %s: layout %q, want %q", cf.Kind, cf.Name, f.Layout, cf.Format)
	case cf.Type == "monetary" && f.Currency != cf.Format[len(cf.Format)-4:len(cf.Format)-1]:
		return fmt.Sprintf("%s %s: currency %q, want format %q", cf.Kind, cf.Name, f.Currency, cf.Format)
	}
	if cf.Type == "enum" || cf.Type == "set" {
		for _, v := range f.Values {
			if !contains(cf.Options, v.Value) {
				return fmt.Sprintf("%s %s: value %q not an option of %q", cf.Kind, cf.Name, v.Value, cf.Options)
			}
		}
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
