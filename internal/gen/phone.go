package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// phone is one real telephone number: its region, country calling code and national
// significant number (digits only).
type phone struct {
	region string
	cc     string
	nsn    string
}

// E164 returns the number in E.164 form.
func (p phone) E164() string { return "+" + p.cc + p.nsn }

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// newPhone returns a valid number of the region, in ranges libphonenumber accepts. Its last
// six digits are a bijection of uniq, so different uniq below a million never share a number.
func newPhone(r *rand.Rand, region string, uniq int) phone {
	p := phone{region: region}
	tail := fmt.Sprintf("%06d", (uint64(uniq)*7919+12345)%1_000_000)
	switch region {
	case "US", "CA":
		p.cc = "1"
		areas := map[string][]string{"US": {"415", "212", "646", "312", "617", "206", "512"},
			"CA": {"416", "604", "514"}}[region]
		p.nsn = pick(r, areas) + fmt.Sprint(2+r.IntN(8)) + tail
	case "GB":
		p.cc = "44"
		if r.IntN(2) == 0 {
			p.nsn = "207" + digits(r, 1) + tail
		} else {
			p.nsn = "7400" + tail
		}
	case "DE":
		p.cc, p.nsn = "49", "30"+fmt.Sprint(1+r.IntN(8))+tail
	case "FR":
		p.cc, p.nsn = "33", pick(r, []string{"14", "15", "47", "61", "62", "67"})+digits(r, 1)+tail
	case "JP":
		p.cc, p.nsn = "81", "3"+fmt.Sprint(1+r.IntN(8))+digits(r, 1)+tail
	case "NL":
		p.cc, p.nsn = "31", "20"+fmt.Sprint(1+r.IntN(8))+tail
	case "ES":
		p.cc, p.nsn = "34", "91"+digits(r, 1)+tail
	case "BR":
		p.cc, p.nsn = "55", "119"+fmt.Sprint(6+r.IntN(4))+digits(r, 1)+tail
	case "IN":
		p.cc, p.nsn = "91", "98"+digits(r, 2)+tail
	case "AU":
		p.cc, p.nsn = "61", "29"+digits(r, 1)+tail
	default:
		panic("gen: no phone plan for region " + region)
	}
	return p
}

// idd00 lists the regions whose international call prefix is 00: their people write
// foreign-style numbers as 0049 30 …, which only resolves with such a region.
var idd00 = map[string]bool{"GB": true, "DE": true, "FR": true, "NL": true, "ES": true, "IN": true}

// Format returns the number as people type it. needsRegion reports whether the spelling
// only resolves with the person's region: a national format, or a 00 international prefix.
func (p phone) Format(r *rand.Rand) (text string, needsRegion bool) {
	n := p.nsn
	intl := []string{"+" + p.cc + " " + p.grouped(), "+" + p.cc + n}
	var nat []string
	if idd00[p.region] {
		nat = append(nat, "00"+p.cc+" "+p.grouped())
	}
	switch p.region {
	case "US", "CA":
		nat = append(nat, "("+n[:3]+") "+n[3:6]+"-"+n[6:], n[:3]+"-"+n[3:6]+"-"+n[6:],
			n[:3]+"."+n[3:6]+"."+n[6:], "1-"+n[:3]+"-"+n[3:6]+"-"+n[6:])
		intl = append(intl, "+1 ("+n[:3]+") "+n[3:6]+"-"+n[6:])
	case "GB":
		nat = append(nat, "0"+p.grouped())
		intl = append(intl, "+44 (0)"+p.grouped())
	case "DE":
		nat = append(nat, "0"+n[:2]+" "+n[2:], "0"+n[:2]+"/"+n[2:])
		intl = append(intl, "+49 (0)"+n[:2]+" "+n[2:])
	case "FR", "NL", "JP", "AU", "IN":
		nat = append(nat, "0"+p.grouped())
	case "ES":
		nat = append(nat, n[:3]+" "+n[3:5]+" "+n[5:7]+" "+n[7:])
	case "BR":
		nat = append(nat, "("+n[:2]+") "+n[2:7]+"-"+n[7:])
	}
	if r.IntN(2) == 0 {
		return pick(r, nat), true
	}
	return pick(r, intl), false
}

// grouped returns the national significant number in the country's usual digit groups.
func (p phone) grouped() string {
	n := p.nsn
	switch p.region {
	case "US", "CA":
		return n[:3] + " " + n[3:6] + " " + n[6:]
	case "GB":
		if n[0] == '2' {
			return n[:2] + " " + n[2:6] + " " + n[6:]
		}
		return n[:4] + " " + n[4:]
	case "DE":
		return n[:2] + " " + n[2:]
	case "FR":
		return n[:1] + " " + n[1:3] + " " + n[3:5] + " " + n[5:7] + " " + n[7:]
	case "JP":
		return n[:1] + "-" + n[1:5] + "-" + n[5:]
	case "NL":
		return n[:2] + " " + n[2:5] + " " + n[5:]
	case "ES":
		return n[:3] + " " + n[3:6] + " " + n[6:]
	case "BR":
		return n[:2] + " " + n[2:7] + "-" + n[7:]
	case "IN":
		return n[:5] + " " + n[5:]
	case "AU":
		return n[:1] + " " + n[1:5] + " " + n[5:]
	}
	return n
}
