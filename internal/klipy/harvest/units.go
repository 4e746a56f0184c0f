package harvest

import "strings"

// Hints a column map may carry for the planner (ColumnMap.Hints): how the values of a column
// are meant, learnt from a unit in its header or from its contents. ferry's value parsers
// read them; the reader passes values on verbatim.
const (
	HintEpochMillis = "epoch_ms"     // a date column of Unix epoch milliseconds
	HintEpochSecs   = "epoch_s"      // a date column of Unix epoch seconds
	HintMillis      = "milliseconds" // a duration in milliseconds
	HintSeconds     = "seconds"      // a duration in seconds
	HintMinutes     = "minutes"      // a duration in minutes
	HintHours       = "hours"        // a duration in hours
	HintBytes       = "bytes"
	HintKilobytes   = "kilobytes"
	HintMegabytes   = "megabytes"
	HintPercent     = "percent"
	HintUTC         = "timezone:UTC"
	// HintCurrency prefixes an ISO 4217 code: "currency:EUR".
	HintCurrency = "currency:"
	// HintUnit prefixes a unit ferry does not know, as written: "unit:kg".
	HintUnit = "unit:"
)

// dateFields are the fields whose values are points in time.
var dateFields = map[string]bool{"created_at": true, "updated_at": true, "interaction_date": true,
	"due_date": true, "expected_close_date": true, "closed_at": true}

// currencySymbols maps currency symbols and names written in headers to ISO 4217 codes.
var currencySymbols = map[string]string{"€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "¥": "JPY",
	"chf": "CHF", "fr.": "CHF", "kr": "SEK", "zł": "PLN", "euro": "EUR", "eur": "EUR", "usd": "USD",
	"dollar": "USD", "gbp": "GBP"}

// unitHint turns the unit written in a header ("ms", "Min.", "EUR", "%") into a hint for a
// column of field (the same "ms" is epoch milliseconds in a date column, a duration elsewhere).
func unitHint(field, unit string) string {
	u := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(unit), ".")))
	date := dateFields[field]
	switch u {
	case "ms", "millis", "milliseconds", "millisekunden", "msec", "epoch ms", "unix ms":
		if date {
			return HintEpochMillis
		}
		return HintMillis
	case "s", "sec", "secs", "seconds", "sekunden", "segundos", "secondes", "unix", "epoch", "unix s", "epoch s":
		if date {
			return HintEpochSecs
		}
		return HintSeconds
	case "min", "mins", "minutes", "minuten", "minutos", "minuut", "minuten.", "m":
		return HintMinutes
	case "h", "hrs", "hours", "std", "stunden", "heures", "horas", "uur", "uren":
		return HintHours
	case "b", "byte", "bytes":
		return HintBytes
	case "kb", "kib":
		return HintKilobytes
	case "mb", "mib":
		return HintMegabytes
	case "%", "percent", "prozent", "pourcentage", "porcentaje", "procent":
		return HintPercent
	case "utc", "gmt", "z":
		return HintUTC
	}
	if code, ok := currencySymbols[u]; ok {
		return HintCurrency + code
	}
	if isoCurrencies[strings.ToUpper(u)] {
		return HintCurrency + strings.ToUpper(u)
	}
	return HintUnit + strings.TrimSpace(unit)
}

// isoCurrencies are the ISO 4217 codes recognised as a unit in a header.
var isoCurrencies = map[string]bool{"EUR": true, "USD": true, "GBP": true, "CHF": true, "JPY": true,
	"CNY": true, "SEK": true, "NOK": true, "DKK": true, "PLN": true, "CZK": true, "HUF": true, "CAD": true,
	"AUD": true, "NZD": true, "INR": true, "BRL": true, "MXN": true, "ZAR": true, "SGD": true, "HKD": true,
	"TRY": true, "AED": true, "RON": true, "BGN": true, "ILS": true, "KRW": true}
