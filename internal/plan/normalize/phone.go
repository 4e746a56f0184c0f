package normalize

import (
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Phone returns a phone number in E.164 form (+4930123456), reading national spellings with
// the default region (an ISO 3166 code such as "US" or "DE"; empty or unknown means only
// international spellings resolve). An extension ("x12", "ext. 12") is dropped: use PhoneExt
// to keep it. A leading 00 is taken as the international prefix when the number does not
// resolve in the region otherwise, and the "(0)" of "+44 (0)20 …" is ignored. It reports
// false unless the number is valid for its country by libphonenumber's metadata, which also
// rejects placeholders such as 000-000-0000 and 555-555-5555.
func Phone(raw, region string) (string, bool) {
	e, _, ok := PhoneExt(raw, region)
	return e, ok
}

// PhoneExt is Phone that also returns the extension digits ("" when there are none).
func PhoneExt(raw, region string) (e164, ext string, ok bool) {
	s := strings.TrimSpace(raw)
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	if s == "" || len(s) > 64 || !utf8.ValidString(s) {
		return "", "", false
	}
	if strings.HasPrefix(s, "+") {
		s = strings.Replace(s, "(0)", "", 1)
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if !phonenumbers.GetSupportedRegions()[region] {
		region = "ZZ"
	}
	num, ok := parseValid(s, region)
	if !ok {
		if t := strings.TrimLeft(s, " "); strings.HasPrefix(t, "00") && !strings.HasPrefix(t, "000") {
			num, ok = parseValid("+"+t[2:], region)
		}
	}
	if !ok {
		return "", "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), num.GetExtension(), true
}

// parseValid parses s in region and keeps the result only when it is a valid number.
func parseValid(s, region string) (*phonenumbers.PhoneNumber, bool) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return nil, false
	}
	return num, true
}

// countryNames maps common English and native country names (lowercase) to ISO codes.
var countryNames = map[string]string{
	"united states": "US", "united states of america": "US", "usa": "US", "u.s.a.": "US",
	"u.s.": "US", "america": "US", "united kingdom": "GB", "uk": "GB", "u.k.": "GB",
	"great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
	"germany": "DE", "deutschland": "DE", "france": "FR", "spain": "ES", "españa": "ES",
	"espana": "ES", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
	"nederland": "NL", "japan": "JP", "日本": "JP", "brazil": "BR", "brasil": "BR",
	"india": "IN", "canada": "CA", "australia": "AU", "italy": "IT", "italia": "IT",
	"switzerland": "CH", "schweiz": "CH", "suisse": "CH", "austria": "AT", "österreich": "AT",
	"belgium": "BE", "belgique": "BE", "ireland": "IE", "portugal": "PT", "mexico": "MX",
	"méxico": "MX", "sweden": "SE", "sverige": "SE", "norway": "NO", "norge": "NO",
	"denmark": "DK", "danmark": "DK", "finland": "FI", "suomi": "FI", "poland": "PL",
	"polska": "PL", "new zealand": "NZ", "singapore": "SG", "south africa": "ZA",
	"china": "CN", "south korea": "KR", "korea": "KR", "israel": "IL", "argentina": "AR",
}

// Region returns the ISO 3166-1 alpha-2 code (upper case) of a country given as a code
// ("us", "UK" becomes "GB") or a common name ("Germany", "España"). It reports false for
// anything libphonenumber has no numbering plan for.
func Region(raw string) (string, bool) {
	s := strings.ToLower(strings.Join(strings.Fields(raw), " "))
	if s == "" {
		return "", false
	}
	if c, ok := countryNames[s]; ok {
		return c, true
	}
	c := strings.ToUpper(s)
	if len(c) == 2 && c != "ZZ" && c != "001" && phonenumbers.GetSupportedRegions()[c] {
		return c, true
	}
	return "", false
}
