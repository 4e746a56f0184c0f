package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"ferry/internal/source"
)

// CustomField is the truth about one custom field: which kind carries it, its header, the
// type its values really have and, for dates and money, the one format they are written in.
type CustomField struct {
	Kind    source.Kind `json:"kind"`
	Name    string      `json:"name"`
	Type    string      `json:"type"` // varchar, text, double, monetary, date, enum, set, boolean, phone, url
	Format  string      `json:"format,omitempty"`
	Options []string    `json:"options,omitempty"`
}

var (
	leadSources = []string{"Website", "Referral", "Trade Show", "Cold Outreach", "Partner"}
	interests   = []string{"Analytics", "Payments", "Logistics", "AI", "Security"}
	segments    = []string{"SMB", "Mid-Market", "Enterprise"}
)

// CustomFields lists every custom field the generator writes, people's first.
var CustomFields = []CustomField{
	{Kind: source.Person, Name: "Lead Source", Type: "enum", Options: leadSources},
	{Kind: source.Person, Name: "Contract Value", Type: "monetary", Format: "$1,234.56 (USD)"},
	{Kind: source.Person, Name: "Score", Type: "double"},
	{Kind: source.Person, Name: "Renewal Date", Type: "date", Format: "01/02/2006"},
	{Kind: source.Person, Name: "Interests", Type: "set", Options: interests},
	{Kind: source.Person, Name: "Newsletter", Type: "boolean", Format: "yes/no"},
	{Kind: source.Person, Name: "Background", Type: "text"},
	{Kind: source.Person, Name: "Nickname", Type: "varchar"},
	{Kind: source.Person, Name: "Assistant Phone", Type: "phone"},
	{Kind: source.Person, Name: "Personal Site", Type: "url"},
	{Kind: source.Company, Name: "Segment", Type: "enum", Options: segments},
	{Kind: source.Company, Name: "ARR", Type: "monetary", Format: "1.234,56 € (EUR)"},
	{Kind: source.Company, Name: "Founded", Type: "date", Format: "2006-01-02"},
	{Kind: source.Company, Name: "Certified", Type: "boolean", Format: "yes/no"},
}

// customHeaders returns the custom field headers of a kind, in CustomFields order.
func customHeaders(k source.Kind) []string {
	var hs []string
	for _, c := range CustomFields {
		if c.Kind == k {
			hs = append(hs, c.Name)
		}
	}
	return hs
}

func yesNo(r *rand.Rand) string { return pick(r, []string{"yes", "no", "Yes", "no"}) }

// usMoney formats cents the US way: $1,200.50.
func usMoney(cents int64) string {
	return "$" + thousands(cents/100, ",") + fmt.Sprintf(".%02d", cents%100)
}

// euMoney formats cents the continental way: 1.200,50 €.
func euMoney(cents int64) string {
	return thousands(cents/100, ".") + fmt.Sprintf(",%02d €", cents%100)
}

func thousands(n int64, sep string) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

func someOf(r *rand.Rand, xs []string) string {
	var out []string
	for _, x := range xs {
		if r.IntN(3) == 0 {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = append(out, pick(r, xs))
	}
	return source.JoinList(out)
}

// personCustom fills some of a person's custom fields; empty cells are normal.
func personCustom(r *rand.Rand, f map[string]string, ph phone) {
	set := func(name, v string) {
		if r.IntN(10) < 6 {
			f[source.CustomPrefix+name] = v
		}
	}
	set("Lead Source", pick(r, leadSources))
	set("Contract Value", usMoney(r.Int64N(5_000_000)))
	set("Score", pick(r, []string{fmt.Sprint(r.IntN(100)), fmt.Sprintf("%.1f", r.Float64()*100)}))
	set("Renewal Date", between(r, Now, Now.AddDate(2, 0, 0)).Format("01/02/2006"))
	set("Interests", someOf(r, interests))
	set("Newsletter", yesNo(r))
	set("Background", "Met at the "+pick(r, leadSources)+" event.\nPrefers email; "+
		"follow up quarterly.\n— \"key account\"")
	set("Nickname", pick(r, []string{"Doc", "Ace", "Jojo", "Kiki", "Boss"}))
	set("Assistant Phone", ph.E164())
	set("Personal Site", "https://"+pick(r, []string{"about.me/", "github.com/", "medium.com/@"})+
		fmt.Sprint(r.IntN(100000)))
}

// companyCustom fills some of a company's custom fields.
func companyCustom(r *rand.Rand, f map[string]string) {
	if r.IntN(2) == 0 {
		f[source.CustomPrefix+"Segment"] = pick(r, segments)
	}
	if r.IntN(2) == 0 {
		f[source.CustomPrefix+"ARR"] = euMoney(r.Int64N(900_000_000))
	}
	if r.IntN(2) == 0 {
		f[source.CustomPrefix+"Founded"] = between(r, time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), Epoch).Format("2006-01-02")
	}
	if r.IntN(2) == 0 {
		f[source.CustomPrefix+"Certified"] = yesNo(r)
	}
}

// TagGroup is one real tag and the spellings it appears under.
type TagGroup struct {
	Canonical string   `json:"canonical"`
	Variants  []string `json:"variants"`
}

// TagGroups lists every tag the generator writes, with its variant spellings.
var TagGroups = []TagGroup{
	{"VIP", []string{"VIP", "vip ", "V.I.P.", "Vip"}},
	{"Hot Lead", []string{"Hot Lead", "hot-lead", "HOT LEAD", "hot_lead"}},
	{"Partner", []string{"Partner", "partner"}},
	{"Churn Risk", []string{"Churn Risk", "churn-risk"}},
	{"Newsletter", []string{"newsletter"}},
}

// tagList returns one to three tags from distinct groups, each in some spelling.
func tagList(r *rand.Rand) string {
	n := 1 + r.IntN(3)
	perm := r.Perm(len(TagGroups))[:n]
	out := make([]string, n)
	for i, g := range perm {
		out[i] = pick(r, TagGroups[g].Variants)
	}
	return source.JoinList(out)
}
