package gen

import (
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferry/internal/source"
)

// TestCustomFieldValuesFitTheirType parses every custom value by its declared type.
func TestCustomFieldValuesFitTheirType(t *testing.T) {
	fx := sharedHarvest(t)
	seen := map[string]int{}
	for _, kind := range []source.Kind{source.Person, source.Company} {
		recs := readCSV(t, filepath.Join(fx.dir, source.HarvestFile[kind])).records(kind)
		for id, f := range recs {
			for _, cf := range fx.key.CustomFields {
				v, ok := f[source.CustomPrefix+cf.Name]
				if !ok || cf.Kind != kind {
					continue
				}
				seen[cf.Name]++
				if !fitsType(cf, v) {
					t.Errorf("%s %s: %q is not a %s (%s)", id, cf.Name, v, cf.Type, cf.Format)
				}
			}
		}
	}
	for _, cf := range fx.key.CustomFields {
		if seen[cf.Name] == 0 {
			t.Errorf("custom field %s never has a value", cf.Name)
		}
	}
}

func fitsType(cf CustomField, v string) bool {
	switch cf.Type {
	case "enum":
		return slices.Contains(cf.Options, v)
	case "set":
		for _, x := range source.List(v) {
			if !slices.Contains(cf.Options, x) {
				return false
			}
		}
		return true
	case "double":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "monetary":
		if strings.HasPrefix(cf.Format, "$") {
			_, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(v, "$"), ",", ""), 64)
			return err == nil
		}
		n := strings.ReplaceAll(strings.TrimSuffix(v, " €"), ".", "")
		_, err := strconv.ParseFloat(strings.Replace(n, ",", ".", 1), 64)
		return err == nil && strings.HasSuffix(v, " €")
	case "date":
		_, err := time.Parse(cf.Format, v)
		return err == nil
	case "boolean":
		return strings.EqualFold(v, "yes") || strings.EqualFold(v, "no")
	case "phone":
		return strings.HasPrefix(v, "+")
	case "url":
		u, err := url.Parse(v)
		return err == nil && u.Scheme == "https" && u.Host != ""
	case "text", "varchar":
		return v != "" && (cf.Type == "text" || !strings.Contains(v, "\n"))
	}
	return false
}

func TestMessinessIsPresent(t *testing.T) {
	fx := sharedHarvest(t)
	people, _ := readFile(t, fx.dir, "people.csv")
	companies, _ := readFile(t, fx.dir, "companies.csv")
	for _, want := range []string{`" <`, "vip ", "V.I.P.", "hot-lead", "ü", "é", "株式会社", "$", " €"} {
		if !strings.Contains(people+companies, want) {
			t.Errorf("no %q anywhere in people.csv or companies.csv", want)
		}
	}
	for _, want := range []string{"www.", "https://", ":8080/"} {
		if !strings.Contains(companies, want) {
			t.Errorf("no domain spelled with %q in companies.csv", want)
		}
	}
}

func readFile(t *testing.T, dir, name string) (string, csvTable) {
	t.Helper()
	tab := readCSV(t, filepath.Join(dir, name))
	return string(tab.raw), tab
}
