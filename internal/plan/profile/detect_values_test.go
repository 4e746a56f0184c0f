package profile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDetectExportForms checks the type the profile gives hand-written columns in the forms
// exports use, with the detail the mapping reads (layout, locale, currency, separator).
func TestDetectExportForms(t *testing.T) {
	tests := []struct {
		header    string
		values    []string
		want      Type
		detail    string // Layout, else Locale+Currency, else ListSep
		ambiguous bool
	}{
		{"custom.Size", []string{"51-200", "11-50", "1-10", "201-500", "11-50", "1000+"}, TypeEnum, "", false},
		{"custom.Employees", []string{"120", "35", "50-100", "480", "12", "7"}, TypeText, "", false},
		{"custom.Renewal Date", []string{"2025-03-01", "2025-06-15", "someday", "2025-09-30", "2026-01-10", "2025-11-11", "2025-04-04", "2025-12-24"}, TypeDate, "2006-01-02", false},
		{"custom.Preferred Language", []string{"English", "German", "French", "German", "English"}, TypeEnum, "", false},
		{"interaction_date", []string{"1707121800000", "1707728400000", "1708098120000"}, TypeDateTime, LayoutUnixMs, false},
		{"custom.Datum (ms)", []string{"1707121800000", "1707728400000"}, TypeDateTime, LayoutUnixMs, false},
		{"due_date", []string{"1709287200", "1709546400", "1709128800"}, TypeDateTime, LayoutUnix, false},
		{"custom.Account Number", []string{"1709287200", "1709546400", "1709128800"}, TypeNumber, "us", false},
		{"created_at", []string{"31.01.2024 09:15", "01.02.2024 10:00", "03.02.2024 14:20"}, TypeDateTime, "02.01.2006 15:04", false},
		{"created_at", []string{"2024-03-05 14:30", "2024-01-10 09:00"}, TypeDateTime, "2006-01-02 15:04", false},
		{"created_at", []string{"2024-02-05T09:30:00+01:00", "2024-02-05T09:30:00.250-05:00"}, TypeDateTime, "2006-01-02T15:04:05Z07:00", false},
		{"custom.Birthday", []string{"31/01/1980", "01/02/1975", "02/03/1990"}, TypeDate, "02/01/2006", false},
		{"custom.Met", []string{"01/31/2024", "02/01/2024", "03/04/2024"}, TypeDate, "01/02/2006", false},
		{"custom.Last Contact", []string{"01/02/2024", "03/04/2024", "05/06/2024"}, TypeDate, "01/02/2006", true},
		{"custom.Umsatz", []string{"2.450.000,00 €", "1.234,56 €", "38.900.000,00 €"}, TypeMoney, "eu EUR", false},
		{"custom.Budget", []string{"CHF 1'250.-", "CHF 12'000.50", "CHF 900.-"}, TypeMoney, "us CHF", false},
		{"custom.Preis", []string{"1 234,56 €", "12\u00a0500,00 €", "99,- €"}, TypeMoney, "eu EUR", false},
		{"custom.Forecast Probability", []string{"45%", "100%", "60%", "70%"}, TypePercent, "us", false},
		{"custom.Anteil", []string{"12,5 %", "45 %", "7,25 %"}, TypePercent, "eu", false},
		{"custom.Newsletter", []string{"Ja", "Nein", "Ja", "ja"}, TypeBoolean, "", false},
		{"custom.Abonné", []string{"oui", "non", "Oui"}, TypeBoolean, "", false},
		{"custom.Products", []string{"CRM;Analytics", "CRM", "Analytics;Support", "CRM"}, TypeSet, "", false},
		{"custom.Interests", []string{"Golf|Tennis", "Tennis", "Golf|Sailing", "Sailing"}, TypeSet, "|", false},
		{"custom.Tags", []string{"VIP, Newsletter", "Partner", "vip, Partner", "Newsletter"}, TypeSet, ",", false},
		{"custom.Call Duration", []string{"1:30", "0:45", "2:00"}, TypeDuration, DurHM, false},
		{"custom.Duration (mm:ss)", []string{"04:30", "12:05", "59:59"}, TypeDuration, DurMS, false},
		{"custom.Opening Time", []string{"09:00", "10:30", "08:15"}, TypeText, "", false},
		{"custom.Land", []string{"DE", "AT", "DE", "CH"}, TypeCountry, "", false},
		{"custom.Country", []string{"Germany", "Österreich", "España", "France"}, TypeCountry, "", false},
		{"custom.Portal URL", []string{"https://portal.harborline.com/login?ref=crm&tenant=42", "https://claims.example.com/"}, TypeURL, "", false},
	}
	for _, tt := range tests {
		pr := NewProfiler()
		for i, v := range tt.values {
			pr.Add(recordWith(i, tt.header, v))
		}
		o, _ := pr.Profile().Object("person")
		f, _ := o.Field(tt.header)
		detail := f.Layout
		if detail == "" && f.Locale != "" {
			detail = f.Locale
			if f.Currency != "" {
				detail += " " + f.Currency
			}
		}
		if detail == "" {
			detail = f.ListSep
		}
		if f.Type != tt.want || detail != tt.detail || f.DayMonthAmbiguous != tt.ambiguous {
			t.Errorf("%s %q: %s %q ambiguous %v; want %s %q ambiguous %v", tt.header, tt.values,
				f.Type, detail, f.DayMonthAmbiguous, tt.want, tt.detail, tt.ambiguous)
		}
	}
}

// TestAnomaliesListRows checks that the values that do not fit are listed with their rows.
func TestAnomaliesListRows(t *testing.T) {
	pr := NewProfiler()
	for i, v := range []string{"2025-03-01", "someday", "2025-09-30", "2026-01-10", "tbd", "2025-04-04", "2025-12-24", "2025-01-02"} {
		pr.Add(recordWith(i, "custom.Renewal Date", v))
	}
	o, _ := pr.Profile().Object("person")
	f, _ := o.Field("custom.Renewal Date")
	want := []Anomaly{{Message: "2 values: does not parse as the column's date layout 2006-01-02", Count: 2,
		IDs: []string{"per_000001", "per_000004"}, Values: []string{"someday", "tbd"}}}
	if diff := cmp.Diff(want, f.Anomalies); diff != "" || f.Type != TypeDate {
		t.Errorf("type %s, anomalies (-want +got):\n%s", f.Type, diff)
	}
}
