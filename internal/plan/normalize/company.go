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
// "company").
func CompanyName(raw string) string {
	s := raw
	for _, f := range cjkForms {
		s = strings.ReplaceAll(s, f, " ")
	}
	toks := strings.Fields(foldText(s))
	for len(toks) > 1 && legalForms[toks[len(toks)-1]] {
		toks = toks[:len(toks)-1]
	}
	return strings.Join(toks, " ")
}
