package mdsafe

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Acme Ltd", "Acme Ltd"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"![p](http://e.x/t.png)", `!\[p\](http://e.x/t.png)`},
		{"a|b `c`", "a\\|b \\`c\\`"},
		{"two\nlines\t here", "two lines here"},
		{"<https://evil.example>", "&lt;https://evil.example&gt;"},
		{`back\slash`, `back\\slash`},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzText: whatever goes in, nothing that starts markup comes out unescaped.
func FuzzText(f *testing.F) {
	for _, s := range []string{"<script>", "[x](javascript:1)", "a|b", "`code`", "\\[", "&lt;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if strings.ContainsAny(out, "<>\n") {
			t.Fatalf("Text(%q) = %q keeps < > or a newline", s, out)
		}
		for i := 0; i < len(out); i++ {
			if (out[i] == '[' || out[i] == ']' || out[i] == '|' || out[i] == '`') && !escaped(out, i) {
				t.Fatalf("Text(%q) = %q has an unescaped %q at %d", s, out, out[i], i)
			}
		}
	})
}

// escaped reports whether the byte at i is preceded by an odd number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}
