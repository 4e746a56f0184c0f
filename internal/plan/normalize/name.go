package normalize

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Name returns the comparison form of a person's name: first and last joined, compatibility
// decomposed (NFKD), diacritics removed, lowercased, letters without a decomposition spelled
// out (ß → ss, ø → o, æ → ae), hyphens and other dashes read as spaces, all other
// punctuation removed and runs of spaces collapsed: ("Jürgen", "O'Brien-Smith") →
// "jurgen obrien smith". Scripts without case (Japanese, Chinese) are kept as they are.
func Name(first, last string) string {
	return foldText(first + " " + last)
}

// NameKey is Name with the first given name replaced by its formal form from a small
// nickname table (Jon → john, Bill → william, Bob → robert, Liz → elizabeth, …) and common
// honorifics and generational suffixes (Dr, Mr, Mrs, Ms, Prof, Jr, Sr, II, III, PhD)
// dropped, so that two spellings of one person compare equal. It is meant to classify name
// variants for review, never to merge records on its own.
func NameKey(first, last string) string {
	toks := strings.Fields(Name(first, last))
	for len(toks) > 1 && honorifics[toks[0]] {
		toks = toks[1:]
	}
	for len(toks) > 1 && suffixes[toks[len(toks)-1]] {
		toks = toks[:len(toks)-1]
	}
	if len(toks) > 0 {
		if formal, ok := nicknames[toks[0]]; ok {
			toks[0] = formal
		}
	}
	return strings.Join(toks, " ")
}

var honorifics = setOf("mr", "mrs", "ms", "miss", "dr", "prof", "sir", "herr", "frau", "mme", "m")

var suffixes = setOf("jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba")

// nicknames maps a familiar first name to its formal form. Ambiguous short forms (Pat,
// Sandy, Alex for Alexandra) map to the most common formal name.
var nicknames = map[string]string{
	"jon": "john", "johnny": "john", "jack": "john", "bill": "william", "billy": "william",
	"will": "william", "willy": "william", "liam": "william", "bob": "robert", "bobby": "robert",
	"rob": "robert", "robbie": "robert", "bert": "robert", "liz": "elizabeth", "lizzie": "elizabeth",
	"beth": "elizabeth", "betty": "elizabeth", "eliza": "elizabeth", "libby": "elizabeth",
	"jim": "james", "jimmy": "james", "jamie": "james", "mike": "michael", "mikey": "michael",
	"mick": "michael", "dave": "david", "davey": "david", "kate": "katherine", "katie": "katherine",
	"kathy": "katherine", "kat": "katherine", "kathi": "katharina", "tom": "thomas",
	"tommy": "thomas", "dick": "richard", "rick": "richard", "rich": "richard", "chris": "christopher",
	"alex": "alexander", "andy": "andrew", "drew": "andrew", "dan": "daniel", "danny": "daniel",
	"sam": "samuel", "joe": "joseph", "joey": "joseph", "ben": "benjamin", "matt": "matthew",
	"nick": "nicholas", "tony": "anthony", "steve": "steven", "stephen": "steven",
	"sue": "susan", "susie": "susan", "jen": "jennifer", "jenny": "jennifer", "peggy": "margaret",
	"maggie": "margaret", "meg": "margaret", "ted": "edward", "ed": "edward", "eddie": "edward",
	"fred": "frederick", "greg": "gregory", "harry": "henry", "hank": "henry", "larry": "lawrence",
	"jeff": "jeffrey", "ron": "ronald", "don": "donald", "tim": "timothy", "pete": "peter",
	"pepe": "jose", "paco": "francisco", "manolo": "manuel", "sepp": "josef", "hans": "johannes",
	"fritz": "friedrich", "vicky": "victoria", "abby": "abigail", "becky": "rebecca",
	"cathy": "catherine", "debbie": "deborah", "patty": "patricia", "nate": "nathan",
	"zach": "zachary", "josh": "joshua", "charlie": "charles", "chuck": "charles",
}

// special spells out letters that NFKD does not decompose into a base letter and a mark.
var special = strings.NewReplacer("ß", "ss", "ẞ", "ss", "æ", "ae", "Æ", "ae", "œ", "oe",
	"Œ", "oe", "ø", "o", "Ø", "o", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ð", "d", "Ð", "d",
	"þ", "th", "Þ", "th", "ı", "i", "ħ", "h", "Ħ", "h")

// foldText is the shared folding of Name and CompanyName, repeated until it is stable
// (lowercasing can produce letters that decompose again).
func foldText(s string) string {
	out := foldPass(s)
	for range 4 {
		next := foldPass(out)
		if next == out {
			break
		}
		out = next
	}
	return out
}

// foldPass decomposes, drops marks and punctuation, lowercases and collapses spaces once.
func foldPass(s string) string {
	s = special.Replace(norm.NFKD.String(s))
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || strings.ContainsRune("_/&+", r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}
