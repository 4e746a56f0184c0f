package harvest

import (
	"regexp"
	"strconv"
	"strings"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// Content classes a column's sample values may show.
const (
	classEmail    = "emails"
	classLinkedIn = "LinkedIn URLs"
	classURL      = "URLs"
	classDomain   = "domains"
	classCountry  = "ISO country codes"
	classEpochMs  = "Unix epoch milliseconds"
	classEpochS   = "Unix epoch seconds"
	classDate     = "dates"
)

// minShare is the share of a column's non-empty samples that must fit a class.
const minShare = 0.8

var (
	dateRe   = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}.*)?|\d{1,2}[./]\d{1,2}[./]\d{2,4}( \d{1,2}:\d{2}.*)?)$`)
	domainRe = regexp.MustCompile(`^(?i)[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$`)
)

// classify says what most of a column's non-empty sample values are, and which share fit.
func classify(samples []string) (class string, share float64) {
	counts := map[string]int{}
	n := 0
	for _, v := range samples {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n++
		if c := classOf(v); c != "" {
			counts[c]++
		}
	}
	if n == 0 {
		return "", 0
	}
	for _, c := range []string{classEmail, classLinkedIn, classURL, classDomain, classCountry, classEpochMs, classEpochS, classDate} {
		if s := float64(counts[c]) / float64(n); s >= minShare {
			return c, s
		}
	}
	return "", 0
}

// classOf classifies one value.
func classOf(v string) string {
	lower := strings.ToLower(v)
	switch {
	case strings.Contains(v, "@"):
		if _, ok := normalize.Email(v); ok {
			return classEmail
		}
	case strings.Contains(lower, "linkedin.com/"):
		return classLinkedIn
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "www."):
		return classURL
	case domainRe.MatchString(v):
		if _, ok := normalize.Domain(v); ok {
			return classDomain
		}
	case len(v) == 2 && isoCountries[strings.ToUpper(v)]:
		return classCountry
	case dateRe.MatchString(v):
		return classDate
	case isEpoch(v, 13):
		return classEpochMs
	case isEpoch(v, 10):
		return classEpochS
	}
	return ""
}

// isEpoch reports an integer of digits digits: 10 for seconds, 13 for milliseconds since
// 1970 (2001-09-09 to 2286 for both).
func isEpoch(v string, digits int) bool {
	if len(v) != digits {
		return false
	}
	_, err := strconv.ParseUint(v, 10, 64)
	return err == nil && v[0] != '0'
}

// contentField is the field a column of class proposes in a file of kind ("" for none).
func contentField(kind source.Kind, class string) string {
	switch class {
	case classEmail:
		switch kind {
		case source.Person, source.Owner:
			return "email"
		case source.Interaction:
			return "person_emails"
		case source.Company:
			return ""
		}
		return "person_email"
	case classLinkedIn:
		if kind == source.Person || kind == source.Company {
			return "linkedin_url"
		}
	case classURL:
		if kind == source.Company {
			return "website"
		}
	case classDomain:
		switch kind {
		case source.Company:
			return "domain"
		case source.Deal, source.Interaction, source.Note, source.Task:
			return "company_domain"
		}
	case classCountry:
		if kind == source.Person || kind == source.Company {
			return "country"
		}
	}
	return ""
}

// contentHint is the hint a column of class carries whatever its field.
func contentHint(class string) string {
	switch class {
	case classEpochMs:
		return HintEpochMillis
	case classEpochS:
		return HintEpochSecs
	}
	return ""
}

// isoCountries are the ISO 3166-1 alpha-2 codes.
var isoCountries = func() map[string]bool {
	const codes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ " +
		"BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE " +
		"EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR " +
		"HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS " +
		"LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL " +
		"NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI " +
		"SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY " +
		"UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW UK"
	m := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}()
