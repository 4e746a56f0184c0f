package mapping

import (
	"fmt"
	"math"
	"strings"
	"time"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// DefaultRegion is the phone region Propose uses when Options gives none.
const DefaultRegion = "US"

// Propose builds the mapping for every field of every kind of the profile: a standard
// target, a custom field (reusing an existing one of the same name and a compatible type)
// or a skip with its reason, with transforms, a confidence and a one-line reason, plus a
// few test cases computed with NameResolver. It is deterministic and offline.
func Propose(p profile.Profile, dest Schema, opts Options) Mapping {
	m := Mapping{Version: Version, DefaultRegion: opts.DefaultRegion}
	if m.DefaultRegion == "" {
		m.DefaultRegion = DefaultRegion
	}
	for _, o := range p.Objects {
		m.Objects = append(m.Objects, proposeObject(o, dest, opts))
	}
	m.Tests = proposeTests(m, p)
	return m
}

// proposeObject maps one kind.
func proposeObject(o profile.Object, dest Schema, opts Options) Object {
	entity := kindEntity[o.Kind]
	out := Object{Source: o.Kind, Target: entity,
		Reason: fmt.Sprintf("%d records; Klipy %s → Pipedrive %s", o.Records, o.Kind, entity)}
	switch o.Kind {
	case source.Owner:
		out.Skip = "owners are matched to Pipedrive users through the owner decisions (decisions.yaml); no record is created"
		return out
	case source.Task:
		out.ActivityType = "task"
	case source.Interaction:
		out.Done = DonePast
		out.Reason += "; done: past marks interactions before the run done and later ones (bookings) open"
	}
	for _, f := range o.Fields {
		var pf Field
		hint := opts.Hints[o.Kind][f.Name]
		f = withHint(f, hint)
		if r, ok := standardRules[o.Kind][f.Name]; ok {
			if h := opts.Headers[o.Kind][f.Name]; h != "" {
				r.header = h
			}
			pf = proposeStandard(entity, f, r, dest)
		} else {
			pf = proposeCustom(entity, f, o, dest)
		}
		withCurrency(&pf, hint)
		pf.Source = f.Name
		pf.Confidence = math.Round(pf.Confidence*100) / 100
		out.Fields = append(out.Fields, pf)
	}
	if cf := countryField(o); cf != "" {
		for i := range out.Fields {
			phoneFromCountry(&out.Fields[i], cf)
		}
	}
	return out
}

// countryField returns the field holding each record's country: the standard country field
// when it is filled, else the first custom column detected as countries ("" when none).
func countryField(o profile.Object) string {
	if f, ok := o.Field("country"); ok && f.Filled > 0 {
		return f.Name
	}
	for _, f := range o.Fields {
		if f.Custom && f.Type == profile.TypeCountry {
			return f.Name
		}
	}
	return ""
}

// phoneFromCountry makes a phone field read national numbers with the record's country.
func phoneFromCountry(f *Field, country string) {
	for i, t := range f.Transforms {
		if name, arg := splitTransform(t); name == TPhoneE164 && arg == "" {
			f.Transforms[i] = TPhoneE164 + ":@" + country
			f.Reason += "; national numbers read with the record's " + strings.TrimPrefix(country, source.CustomPrefix) +
				" (default_region when it has none)"
		}
	}
}

// withHint applies a column map hint to a profiled field: an epoch hint makes a column of
// whole numbers a date column read as Unix milliseconds or seconds; a currency hint
// ("currency:EUR", from a header like "Wert (EUR)") makes a column of plain numbers money.
func withHint(f profile.Field, hint string) profile.Field {
	if code, ok := hintCurrency(hint); ok && f.Filled > 0 && (f.Type == profile.TypeNumber || f.Type == profile.TypeMoney) {
		f.Type = profile.TypeMoney
		if f.Currency == "" {
			f.Currency = code
		}
		return f
	}
	layout := map[string]string{"epoch_ms": profile.LayoutUnixMs, "epoch_s": profile.LayoutUnix}[hint]
	if layout == "" || f.Filled == 0 || (f.Type != profile.TypeNumber && f.Layout != layout) {
		return f
	}
	f.Type, f.Layout, f.Locale = profile.TypeDateTime, layout, ""
	return f
}

// hintCurrency returns the ISO 4217 code of a currency hint ("currency:EUR" → "EUR").
func hintCurrency(hint string) (string, bool) {
	code, ok := strings.CutPrefix(hint, "currency:")
	code = strings.ToUpper(strings.TrimSpace(code))
	return code, ok && reCurrency.MatchString(code)
}

// withCurrency gives the parse_money of a field whose column has a currency hint that
// currency, for values written without a symbol or code ("parse_money:eu:EUR").
func withCurrency(f *Field, hint string) {
	code, ok := hintCurrency(hint)
	if !ok {
		return
	}
	for i, t := range f.Transforms {
		if name, arg := splitTransform(t); name == TParseMoney && !strings.Contains(arg, ":") {
			f.Transforms[i] = TParseMoney + ":" + arg + ":" + code
			f.Reason += "; amounts without a currency are " + code + " (the column's hint)"
		}
	}
}

// proposeStandard applies the rule of a standard field, adapted to the data and schema.
func proposeStandard(entity string, f profile.Field, r rule, dest Schema) Field {
	if r.skip != "" {
		return Field{Skip: r.skip, Confidence: 1, Reason: "not migrated"}
	}
	if r.custom != "" {
		if code, ok := standardFor(entity, r.custom, dest); ok {
			return Field{Target: code, Confidence: 1, Transforms: []string{TTrim},
				Reason: "the destination has the " + code + " field"}
		}
	}
	ts := fillArgs(r.transforms, f)
	if r.withTime != nil && f.Type == profile.TypeDateTime && strings.Contains(f.Layout, "15") {
		ts = fillArgs(r.withTime, f)
	}
	if f.Name == "value" && f.Type == profile.TypeMoney {
		ts = []string{TParseMoney + ":" + locale(f)}
	}
	if r.target != "" && hasTransform(ts, TParseNumber) && !numericFits(f) {
		return numberMisfit(entity, f, r, dest)
	}
	conf := 1.0
	if dataTyped(ts) && f.Filled > 0 {
		conf = f.Confidence
	}
	reason := r.reason + fillNote(f)
	if r.custom != "" {
		if r.ctype == "enum" && f.Type != profile.TypeEnum {
			r.ctype, ts = "varchar", []string{TTrim}
			reason += "; too many distinct values for an enum, so text"
		}
		cf := customField(entity, r.custom, r.ctype, f, dest)
		cf.Transforms = append(ts, cf.Transforms...)
		cf.Confidence, cf.Reason = conf, reason+cf.Reason
		cf.Open = dateQuestion(ts, f)
		return cf
	}
	return Field{Target: r.target, Transforms: ts, Confidence: conf, Reason: reason, Open: dateQuestion(ts, f)}
}

// dateQuestion returns the day/month question of a field read with a date transform.
func dateQuestion(ts []string, f profile.Field) string {
	if hasTransform(ts, TParseDate) || hasTransform(ts, TSplitDateTime) {
		return dayMonthQuestion(f)
	}
	return ""
}

// numericFits reports whether a field's values can go into a number target.
func numericFits(f profile.Field) bool {
	switch f.Type {
	case profile.TypeNumber, profile.TypePercent, profile.TypeMoney, profile.TypeEmpty:
		return true
	}
	return f.Filled == 0
}

// numberMisfit keeps a standard numeric field whose values are not numbers (a company size
// written as 11-50) in a custom field typed from the data, rather than quarantining records.
func numberMisfit(entity string, f profile.Field, r rule, dest Schema) Field {
	name := cmpOr(r.header, humanName(f.Name))
	if !customEntities[entity] {
		return Field{Skip: fmt.Sprintf("values are %s, not numbers, and Pipedrive %ss take no custom fields", f.Type, entity),
			Confidence: 0.8, Reason: "listed in the report" + fillNote(f)}
	}
	ctype, ts, why := customType(f)
	cf := customField(entity, name, ctype, f, dest)
	cf.Transforms = append(ts, cf.Transforms...)
	cf.Confidence = 0.8 * f.Confidence
	cf.Reason = fmt.Sprintf("values are %s (e.g. %s), not numbers: kept in a custom field of type %s instead of %s%s%s%s",
		f.Type, firstExample(f), ctype, r.target, why, fillNote(f), cf.Reason)
	return cf
}

// humanName turns a canonical field name into a label: employee_count → Employee count.
func humanName(name string) string {
	s := strings.ReplaceAll(strings.TrimPrefix(name, source.CustomPrefix), "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstExample(f profile.Field) string {
	if len(f.Examples) == 0 {
		return "none"
	}
	return fmt.Sprintf("%q", f.Examples[0])
}

// standardFor reports the standard field that replaces a custom one when the destination
// offers it (job_title and notes exist for persons only with Contact Sync).
func standardFor(entity, custom string, dest Schema) (string, bool) {
	code := map[string]string{"Job Title": "job_title", "Klipy notes": "notes"}[custom]
	if code == "" || entity != EntityPerson {
		return "", false
	}
	f, ok := dest.byCode(entity, code)
	return code, ok && !f.Custom
}

// fillArgs replaces the "*" argument of transforms with what the profile found.
func fillArgs(ts []string, f profile.Field) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		name, arg := splitTransform(t)
		if arg == "*" {
			switch name {
			case TParseDate, TSplitDateTime:
				arg = layout(f)
			case TLabels, TListToSet:
				arg = listSep(f)
			case TDuration:
				arg = durationForm(f)
			default:
				arg = locale(f)
			}
			t = name
			if arg != "" {
				t += ":" + arg
			}
		}
		out[i] = t
	}
	return out
}

// layout returns the profiled date layout, RFC 3339 when the profile found none.
func layout(f profile.Field) string {
	if f.Layout != "" {
		return f.Layout
	}
	return time.RFC3339
}

// listSep returns the argument of list_to_set and labels: the profiled separator when it is
// not the default ";".
func listSep(f profile.Field) string {
	if f.ListSep == ";" {
		return ""
	}
	return f.ListSep
}

// durationForm returns the argument of minutes_to_duration: the profiled clock form, none
// (minutes) otherwise.
func durationForm(f profile.Field) string {
	if f.Type == profile.TypeDuration {
		return f.Layout
	}
	return ""
}

// dayMonthQuestion is the open decision of a date column whose day/month order no value
// decides; "" when the profile found the order (or the layout has none).
func dayMonthQuestion(f profile.Field) string {
	if !f.DayMonthAmbiguous {
		return ""
	}
	other := "02/01/" + strings.TrimPrefix(f.Layout, "01/02/")
	return fmt.Sprintf("no value shows whether these dates are month/day or day/month (no number above 12): "+
		"read as %s (month first); keep it or change the layout to %s (day first), then delete this line", f.Layout, other)
}

func locale(f profile.Field) string {
	if f.Locale != "" {
		return f.Locale
	}
	return profile.LocaleUS
}

// dataTyped reports whether a transform chain depends on the values having a type, so that
// the profile's share of fitting values is the confidence.
func dataTyped(ts []string) bool {
	for _, t := range ts {
		switch n, _ := splitTransform(t); n {
		case TParseDate, TSplitDateTime, TNormalizeEmail, TPhoneE164, TParseNumber, TParseMoney,
			TNormalizeLinkedIn, TRegistrableDomain, TBoolean:
			return true
		}
	}
	return false
}

// fillNote summarises the profile of a field for a reason.
func fillNote(f profile.Field) string {
	if f.Filled == 0 {
		return " (empty in this snapshot)"
	}
	s := fmt.Sprintf(" (%.0f%% filled, %s distinct", 100*f.FillRate, f.DistinctString())
	for _, a := range f.Anomalies {
		s += "; " + a.Message
	}
	return s + ")"
}

// proposeCustom maps a field the harvest reader did not recognise: first by header
// synonyms onto a standard target, else onto a custom field typed from the data.
func proposeCustom(entity string, f profile.Field, o profile.Object, dest Schema) Field {
	header := strings.TrimPrefix(f.Name, source.CustomPrefix)
	if f.Filled == 0 {
		return Field{Skip: "never filled in the snapshot", Confidence: 0.9,
			Reason: "custom column " + header + " is empty"}
	}
	if sf, ok := synonymField(entity, header, f, o); ok {
		return sf
	}
	if !customEntities[entity] {
		return noCustomFields(entity, header, f)
	}
	ctype, ts, why := customType(f)
	cf := customField(entity, header, ctype, f, dest)
	cf.Transforms = append(ts, cf.Transforms...)
	cf.Open = dateQuestion(ts, f)
	cf.Confidence = 0.9 * f.Confidence
	cf.Reason = fmt.Sprintf("custom column detected as %s → %s custom field%s%s%s",
		f.Type, ctype, why, fillNote(f), cf.Reason)
	return cf
}

// noCustomFields keeps a custom column of an entity without custom fields in its text.
func noCustomFields(entity, header string, f profile.Field) Field {
	t := map[string]string{EntityActivity: "note", EntityNote: "content"}[entity]
	if t == "" {
		return Field{Skip: fmt.Sprintf("Pipedrive %ss take no custom fields", entity),
			Confidence: 0.9, Reason: "listed in the report"}
	}
	return Field{Target: t, Transforms: []string{TAppend + ":" + header}, Confidence: 0.8,
		Reason: fmt.Sprintf("Pipedrive %ss take no custom fields: appended to the %s%s", entity, t, fillNote(f))}
}

// customType picks the Pipedrive type and transforms for a detected type.
func customType(f profile.Field) (ctype string, ts []string, why string) {
	switch f.Type {
	case profile.TypeEmail:
		return "varchar", []string{TNormalizeEmail}, ""
	case profile.TypePhone:
		return "phone", []string{TPhoneE164}, ""
	case profile.TypeURL:
		return "varchar", []string{TTrim}, " (Pipedrive has no URL type)"
	case profile.TypeDomain:
		return "varchar", []string{TRegistrableDomain}, ""
	case profile.TypeLinkedIn:
		return "varchar", []string{TNormalizeLinkedIn}, ""
	case profile.TypeDate:
		return "date", []string{TParseDate + ":" + f.Layout}, " (layout " + f.Layout + ")"
	case profile.TypeDateTime:
		return "date", []string{TParseDate + ":" + f.Layout}, " (time of day dropped: Pipedrive has no date-time custom type)"
	case profile.TypeNumber:
		return "double", []string{TParseNumber + ":" + locale(f)}, ""
	case profile.TypePercent:
		return "double", []string{TParseNumber + ":" + locale(f)}, " (percentages: 45% is 45)"
	case profile.TypeDuration:
		return "varchar", []string{TTrim}, " (Pipedrive has no duration custom type)"
	case profile.TypeMoney:
		return "monetary", []string{TParseMoney + ":" + locale(f)}, fmt.Sprintf(" (%s, %s locale)", f.Currency, locale(f))
	case profile.TypeEnum:
		return "enum", []string{TMapEnum}, ""
	case profile.TypeSet:
		if sep := listSep(f); sep != "" {
			return "set", []string{TListToSet + ":" + sep}, fmt.Sprintf(" (items separated by %q)", sep)
		}
		return "set", []string{TListToSet}, ""
	case profile.TypeBoolean:
		return "enum", []string{TBoolean}, " (Pipedrive has no boolean type: Yes/No options)"
	case profile.TypeHTML:
		return "text", []string{TSanitizeHTML}, ""
	case profile.TypeLongText:
		return "text", nil, ""
	}
	return "varchar", []string{TTrim}, ""
}
