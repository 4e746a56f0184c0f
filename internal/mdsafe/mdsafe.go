// Package mdsafe makes outside text (anything a Klipy value can reach) inert in the Markdown
// deliverables ferry writes (plan-report.md, report.md): one line, and no character that
// could start raw HTML, an autolink, a link or image, a code span or a table cell.
package mdsafe

import "strings"

var replacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`",
	"<", "&lt;", ">", "&gt;",
	"[", `\[`, "]", `\]`,
)

// Text returns s on one line (runs of white space become one space) with every Markdown
// character that could make it markup escaped: a name like <img src=x onerror=…> or
// [x](javascript:…) renders as the text it is.
func Text(s string) string {
	return replacer.Replace(strings.Join(strings.Fields(s), " "))
}
