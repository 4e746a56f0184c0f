package normalize

import "strings"

// legalForms are company legal-form words (after folding, so "S.A." is "sa" and "B.V." is
// "bv") that CompanyName drops from the end of a name.
var legalForms = setOf("inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc",
	"corp", "corporation", "co", "company", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug",
	"ev", "sa", "sas", "sasu", "sarl", "eurl", "sl", "slu", "srl", "spa", "sca", "bv", "nv",
	"vof", "pty", "pvt", "private", "ltda", "eireli", "oy", "oyj", "ab", "as", "asa",
	"aps", "kk", "sro", "pte", "bhd", "sdn", "tbk", "cv", "de", "rl", "holding",
	"holdings", "group")

// cjkForms are legal forms written without spaces in Japanese and Chinese names.
var cjkForms = []string{"株式会社", "有限会社", "合同会社", "(株)", "（株）", "㈱", "有限公司", "股份有限公司"}

// CompanyName returns the comparison form of an organisation's name: folded like Name
// (lowercase, diacritics and punctuation removed) and with trailing legal forms dropped
// ("Acme, Inc." → "acme"; "Müller Bau GmbH & Co. KG" → "muller bau"; "Nord Systems S.A." →
// "nord systems"; "株式会社東京商事" → "東京商事"). Words like "Group" and "Holdings" count as
// legal forms. A name made only of legal forms keeps its first word ("Company Inc" →
// "company"; "株式会社" → "株式会社"). CompanyName(CompanyName(s)) == CompanyName(s).
func CompanyName(raw string) string {
	// Forms are stripped before folding and again after it, as folding can reveal one
	// ("株式!会社" folds to "株式会社"); a name made only of forms keeps its folded self, so
	// that the result is a fixed point (CompanyName of it is itself).
	s := foldText(stripCJK(foldText(stripCJK(raw))))
	if s == "" {
		s = foldText(raw)
	}
	toks := strings.Fields(s)
	for len(toks) > 1 && legalForms[toks[len(toks)-1]] {
		toks = toks[:len(toks)-1]
	}
	return strings.Join(toks, " ")
}

// stripCJK replaces the Japanese and Chinese legal forms in s with spaces.
func stripCJK(s string) string {
	for _, f := range cjkForms {
		s = strings.ReplaceAll(s, f, " ")
	}
	return s
}
