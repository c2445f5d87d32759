package headers

import (
	"strings"
	"testing"
)

// format writes l back as a raw block the way IIS does (CRLF after each
// line); a header without a name keeps a leading colon so it reads back
// as one.
func format(l List) string {
	var b strings.Builder
	for _, h := range l {
		b.WriteString(h.Name)
		b.WriteString(": ")
		b.WriteString(h.Value)
		b.WriteString("\r\n")
	}
	return b.String()
}

// FuzzParseBlock checks that any header block, however hostile, parses
// without panicking into clean lines: no line breaks inside names or
// values, nothing left untrimmed, and a second parse of the written-back
// block gives the same list (so reports and the redactor, which re-parse
// blocks, see what the first parse saw).
func FuzzParseBlock(f *testing.F) {
	for _, s := range []string{
		"Host: h\r\nCookie: a=b\r\n",
		"Via: 1.1 lb\r\n  folded\r\n\tmore\r\nX-ClientSide: 10.0.0.1:1234\r\n",
		"no colon line\r\n: empty name\r\nA:\r\n",
		"A: 1\rB: 2\n\rC: 3\r\r\n",
		" leading continuation\r\nname : value : with colons\r\n",
		"\u0085Name\u00a0: \u2028value\u0085\r\n",
		"",
	} {
		f.Add(s, "Cookie", "x=y")
	}
	f.Fuzz(func(t *testing.T, block, name, value string) {
		l := ParseBlock(block)
		for _, h := range l {
			if strings.ContainsAny(h.Name, "\r\n:") || strings.ContainsAny(h.Value, "\r\n") {
				t.Fatalf("line break or colon left in %q: %q", h.Name, h.Value)
			}
			if h.Name != strings.TrimSpace(h.Name) || h.Value != strings.TrimSpace(h.Value) {
				t.Fatalf("untrimmed header %q: %q", h.Name, h.Value)
			}
		}
		again := ParseBlock(format(l))
		if len(again) != len(l) {
			t.Fatalf("re-parse gives %d headers, want %d:\n%q\n%q", len(again), len(l), l, again)
		}
		for i := range l {
			if again[i] != l[i] {
				t.Fatalf("header %d re-parses as %q, want %q", i, again[i], l[i])
			}
		}
		// Get and Values agree with each other whatever the names hold.
		v, ok := l.Get(name)
		vs := l.Values(name)
		if ok != (len(vs) > 0) || (ok && vs[0] != v) {
			t.Fatalf("Get(%q) = %q, %v; Values = %q", name, v, ok, vs)
		}
		// Applying a replacing change leaves exactly one header of that
		// name (when the name is not empty after normalising).
		n := NormalizeName(name)
		if n == "" {
			return
		}
		applied := Apply(l, []Change{{Name: n, Value: value, Replace: true}})
		if got := applied.Values(n); len(got) != 1 || got[0] != value {
			t.Fatalf("after replacing %q: %q", n, got)
		}
		if len(applied) > len(l)+1 {
			t.Fatalf("replace grew the list from %d to %d", len(l), len(applied))
		}
	})
}
