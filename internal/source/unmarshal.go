package source

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// UnmarshalFields decodes a JSON object of string values, as MarshalFields writes it, with the
// result and errors of json.Unmarshal into a map[string]string. Walking a snapshot decodes
// every record, and for that shape this is several times faster than encoding/json: keys and
// values without escapes are substrings of data. Anything unusual (other
// value types, surrogate escapes, invalid UTF-8, bad syntax) goes to encoding/json, so its
// errors are encoding/json's.
func UnmarshalFields(data string) (map[string]string, error) {
	if m, ok := fastFields(data); ok {
		return m, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// fastFields decodes s when it is a flat object of strings it can read exactly; ok is false
// otherwise.
func fastFields(s string) (map[string]string, bool) {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, false
	}
	m := make(map[string]string, countPairs(s))
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return m, skipSpace(s, i+1) == len(s)
	}
	for {
		key, next, ok := fastString(s, i)
		if !ok {
			return nil, false
		}
		i = skipSpace(s, next)
		if i >= len(s) || s[i] != ':' {
			return nil, false
		}
		val, next, ok := fastString(s, skipSpace(s, i+1))
		if !ok {
			return nil, false
		}
		m[key] = val
		i = skipSpace(s, next)
		if i >= len(s) {
			return nil, false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return m, skipSpace(s, i+1) == len(s)
		default:
			return nil, false
		}
	}
}

// countPairs estimates the number of members (the map's size hint): the quote-colon pairs
// that end keys (a value holding one only makes the hint larger).
func countPairs(s string) int { return strings.Count(s, `":`) }

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// fastString reads the JSON string starting at s[i] (the opening quote) and returns it and
// the index after its closing quote.
func fastString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	start := i + 1
	for j := start; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			if !utf8.ValidString(s[start:j]) {
				return "", 0, false
			}
			return s[start:j], j + 1, true
		case c == '\\':
			return unescape(s, start, j)
		case c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// unescape reads the rest of a string that has an escape at s[j], building a new string.
func unescape(s string, start, j int) (string, int, bool) {
	b := make([]byte, 0, j-start+16)
	b = append(b, s[start:j]...)
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			if !utf8.Valid(b) {
				return "", 0, false
			}
			return string(b), j + 1, true
		case c < 0x20:
			return "", 0, false
		case c != '\\':
			b = append(b, c)
			j++
			continue
		}
		if j+1 >= len(s) {
			return "", 0, false
		}
		r, width, ok := escaped(s[j+1:])
		if !ok {
			return "", 0, false
		}
		b = utf8.AppendRune(b, r)
		j += 1 + width
	}
	return "", 0, false
}

// escaped decodes the escape after a backslash; surrogates are left to encoding/json.
func escaped(s string) (rune, int, bool) {
	switch s[0] {
	case '"', '\\', '/':
		return rune(s[0]), 1, true
	case 'b':
		return '\b', 1, true
	case 'f':
		return '\f', 1, true
	case 'n':
		return '\n', 1, true
	case 'r':
		return '\r', 1, true
	case 't':
		return '\t', 1, true
	case 'u':
		if len(s) < 5 {
			return 0, 0, false
		}
		n, err := strconv.ParseUint(s[1:5], 16, 32)
		if err != nil || utf16.IsSurrogate(rune(n)) {
			return 0, 0, false
		}
		return rune(n), 5, true
	}
	return 0, 0, false
}
