package source

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// appendFields writes f as json.Marshal writes a map[string]string, byte for byte: keys
// sorted, HTML characters and U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD.
func appendFields(b []byte, f map[string]string) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	type pair struct{ k, v string }
	var small [32]pair
	pairs, size := small[:0], 2
	for k, v := range f {
		pairs = append(pairs, pair{k, v})
		size += len(k) + len(v) + 6
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	b = slices.Grow(b, size+size/8)
	b = append(b, '{')
	for i, p := range pairs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, p.k)
		b = append(b, ':')
		b = appendString(b, p.v)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does (with HTML escaping).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSONString appends s as a JSON string exactly as MarshalFields writes keys and
// values (encoding/json's escaping, HTML characters included), for encoders of fields that
// are already in key order.
func AppendJSONString(b []byte, s string) []byte { return appendString(b, s) }
