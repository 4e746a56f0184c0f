package mapping

import (
	"fmt"
	"regexp"
	"strings"

	"ferry/internal/plan/profile"
)

// Transform names.
const (
	TTrim              = "trim"
	TNormalizeEmail    = "normalize_email"
	TPhoneE164         = "phone_e164"
	TRegistrableDomain = "registrable_domain"
	TNormalizeLinkedIn = "normalize_linkedin"
	TJoinName          = "join_name"
	TParseDate         = "parse_date"
	TSplitDateTime     = "split_datetime"
	TSanitizeHTML      = "sanitize_html"
	TMapEnum           = "map_enum"
	TParseMoney        = "parse_money"
	TParseNumber       = "parse_number"
	TBoolean           = "boolean"
	TListToSet         = "list_to_set"
	TLink              = "link"
	TLinkName          = "link_name"
	TLinkEmail         = "link_email"
	TLinkDomain        = "link_domain"
	TOwner             = "owner"
	TLabels            = "labels"
	TStage             = "stage"
	TPipeline          = "pipeline"
	TDealStatus        = "deal_status"
	TActivityType      = "activity_type"
	TDuration          = "minutes_to_duration"
	TAppend            = "append"
	TJoinAddress       = "join_address"
	TFilePath          = "file_path"
	TLabel             = "label"
	TAIDraft           = "ai_draft"
	TConversation      = "conversation"
)

// argRule says what argument a transform takes.
type argRule int

const (
	argNone argRule = iota
	argOptional
	argRequired
)

// transformSpec describes one transform: its argument, the target kinds it can feed and
// (for arguments from a fixed list) the allowed arguments.
type transformSpec struct {
	arg     argRule
	allowed []string // allowed arguments; nil means any
	feeds   []vkind
}

// listSeps are the item separators list_to_set and labels accept (";" when none is given).
var listSeps = []string{";", "|", ","}

// durationForms are the forms minutes_to_duration accepts (minutes when none is given).
var durationForms = []string{profile.DurMinutes, profile.DurHM, profile.DurMS, profile.DurHMS}

var linkEntities = []string{EntityOrganization, EntityPerson, EntityDeal, EntityActivity}

var transforms = map[string]transformSpec{
	TTrim:              {feeds: []vkind{kString, kEmails, kPhones, kPhone, kAddress, kFile}},
	TNormalizeEmail:    {feeds: []vkind{kEmails, kString}},
	TPhoneE164:         {arg: argOptional, feeds: []vkind{kPhones, kPhone, kString}},
	TRegistrableDomain: {feeds: []vkind{kString}},
	TNormalizeLinkedIn: {feeds: []vkind{kString}},
	TJoinName:          {arg: argRequired, allowed: []string{"first", "last"}, feeds: []vkind{kString}},
	TParseDate:         {arg: argRequired, feeds: []vkind{kDate, kTime, kString}},
	TSplitDateTime:     {arg: argRequired, feeds: []vkind{kDate}},
	TSanitizeHTML:      {feeds: []vkind{kString}},
	TMapEnum:           {feeds: []vkind{kEnum, kEnumID}},
	TParseMoney:        {arg: argRequired, feeds: []vkind{kMoney, kNumber, kInt}}, // LOCALE or LOCALE:CUR (moneyArg)
	TParseNumber:       {arg: argOptional, allowed: []string{profile.LocaleUS, profile.LocaleEU}, feeds: []vkind{kNumber, kInt}},
	TBoolean:           {feeds: []vkind{kBool, kEnum}},
	TListToSet:         {arg: argOptional, allowed: listSeps, feeds: []vkind{kSet}},
	TLink:              {arg: argRequired, allowed: linkEntities, feeds: []vkind{kLink, kParticipants}},
	TLinkName:          {arg: argRequired, allowed: []string{EntityOrganization}, feeds: []vkind{kLink}},
	TLinkEmail:         {arg: argRequired, allowed: []string{EntityPerson}, feeds: []vkind{kLink, kParticipants}},
	TLinkDomain:        {arg: argRequired, allowed: []string{EntityOrganization}, feeds: []vkind{kLink}},
	TOwner:             {feeds: []vkind{kOwner}},
	TLabels:            {arg: argOptional, allowed: listSeps, feeds: []vkind{kLabels}},
	TStage:             {feeds: []vkind{kStage}},
	TPipeline:          {feeds: []vkind{kStage}},
	TDealStatus:        {feeds: []vkind{kStatus}},
	TActivityType:      {feeds: []vkind{kActivityType}},
	TDuration:          {arg: argOptional, allowed: durationForms, feeds: []vkind{kDuration}},
	TAppend:            {arg: argRequired, feeds: []vkind{kString}},
	TJoinAddress:       {feeds: []vkind{kAddress}},
	TFilePath:          {feeds: []vkind{kFile}},
	TLabel:             {arg: argRequired, allowed: []string{"work", "home", "mobile", "other"}, feeds: []vkind{kEmails, kPhones}},
	TAIDraft:           {feeds: []vkind{kString}},
	TConversation:      {feeds: []vkind{kString}},
}

// needs lists, per target kind, the transforms of which one must be present: the value
// cannot reach such a target as plain text.
var needs = map[vkind][]string{
	kDate: {TParseDate, TSplitDateTime}, kTime: {TParseDate}, kNumber: {TParseNumber, TParseMoney},
	kInt: {TParseNumber, TParseMoney}, kBool: {TBoolean}, kLink: {TLink, TLinkName, TLinkEmail, TLinkDomain},
	kParticipants: {TLink, TLinkEmail}, kOwner: {TOwner}, kLabels: {TLabels}, kStage: {TStage, TPipeline},
	kStatus: {TDealStatus}, kEnumID: {TMapEnum}, kActivityType: {TActivityType},
	kDuration: {TDuration}, kFile: {TFilePath}, kMoney: {TParseMoney}, kEnum: {TMapEnum, TBoolean},
	kSet: {TListToSet},
}

// rePhoneArg is a phone_e164 argument: an ISO region or @ and a source field.
var rePhoneArg = regexp.MustCompile(`^([A-Z]{2}|@\S+)$`)

// splitTransform splits "name:arg".
func splitTransform(t string) (name, arg string) {
	name, arg, _ = strings.Cut(t, ":")
	return strings.TrimSpace(name), strings.TrimSpace(arg)
}

// checkTransform validates one transform string against the target kind it feeds.
func checkTransform(t string, k vkind) error {
	name, arg := splitTransform(t)
	spec, ok := transforms[name]
	if !ok {
		return fmt.Errorf("unknown transform %q (allowed: %s)", name, strings.Join(sortedKeys(transforms), ", "))
	}
	switch {
	case spec.arg == argNone && arg != "":
		return fmt.Errorf("transform %s takes no argument, got %q", name, arg)
	case spec.arg == argRequired && arg == "":
		return fmt.Errorf("transform %s needs an argument (%s:...)", name, name)
	case arg != "" && spec.allowed != nil && !inList(spec.allowed, arg):
		return fmt.Errorf("transform %s: argument %q not allowed (allowed: %s)", name, arg, strings.Join(spec.allowed, ", "))
	case name == TParseMoney && arg != "":
		if _, _, err := moneyArg(arg); err != nil {
			return fmt.Errorf("transform %s: %w", name, err)
		}
		return checkFeeds(name, spec, k)
	case name == TPhoneE164 && arg != "" && !rePhoneArg.MatchString(arg):
		return fmt.Errorf("transform %s: argument %q is neither a region (DE) nor @field (@country)", name, arg)
	case !feeds(spec, k):
		return fmt.Errorf("transform %s cannot feed a %s field (it feeds: %s)", name, vkindName[k], kindList(spec.feeds))
	}
	return nil
}

// checkFeeds is checkTransform's last check: spec can feed a field of kind k.
func checkFeeds(name string, spec transformSpec, k vkind) error {
	if !feeds(spec, k) {
		return fmt.Errorf("transform %s cannot feed a %s field (it feeds: %s)", name, vkindName[k], kindList(spec.feeds))
	}
	return nil
}

// reCurrency is an ISO 4217 currency code.
var reCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// moneyArg splits parse_money's argument: a locale (us, eu), then optionally ":" and the
// ISO 4217 currency of amounts written without a symbol or code ("eu:EUR").
func moneyArg(arg string) (locale, currency string, err error) {
	locale, currency, _ = strings.Cut(arg, ":")
	if !inList([]string{profile.LocaleUS, profile.LocaleEU}, locale) {
		return "", "", fmt.Errorf("argument %q: locale %q not allowed (allowed: %s, %s, then optionally :CUR as in eu:EUR)",
			arg, locale, profile.LocaleUS, profile.LocaleEU)
	}
	if strings.Contains(arg, ":") && !reCurrency.MatchString(currency) {
		return "", "", fmt.Errorf("argument %q: currency %q is not a 3-letter ISO 4217 code like EUR", arg, currency)
	}
	return locale, currency, nil
}

func feeds(spec transformSpec, k vkind) bool {
	for _, f := range spec.feeds {
		if f == k {
			return true
		}
	}
	return false
}

func kindList(ks []vkind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = vkindName[k]
	}
	return strings.Join(names, ", ")
}

func inList(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// hasTransform reports whether ts contains a transform named name.
func hasTransform(ts []string, name string) bool {
	for _, t := range ts {
		if n, _ := splitTransform(t); n == name {
			return true
		}
	}
	return false
}

// keyedLinks are the transforms that link a record by a key other than its id; the key
// each resolves by is the argument of Resolver.LinkBy.
var keyedLinks = map[string]string{TLinkName: ByName, TLinkEmail: ByEmail, TLinkDomain: ByDomain}

// isLink reports whether ts links to another record (by id or by a key).
func isLink(ts []string) bool {
	if hasTransform(ts, TLink) {
		return true
	}
	for t := range keyedLinks {
		if hasTransform(ts, t) {
			return true
		}
	}
	return false
}

// transformArg returns the argument of the first transform named name.
func transformArg(ts []string, name string) string {
	for _, t := range ts {
		if n, a := splitTransform(t); n == name {
			return a
		}
	}
	return ""
}
