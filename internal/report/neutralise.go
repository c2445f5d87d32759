package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Neutralise makes text from traces safe to print on a terminal. Trace
// content is attacker-controlled (a User-Agent, a URL, a file name), and a
// terminal obeys escape sequences: they can clear the screen, move the
// cursor to rewrite lines, set the window title, write the clipboard (OSC
// 52) or hide text. Every C0 control but newline and tab, DEL, every C1
// control (U+0080 to U+009F: 8-bit CSI and OSC), and the Unicode bidi
// controls that reorder what is shown ("Trojan Source") are written
// visibly as Go escapes (\x1b, \u202e). With keepSGR, colour sequences
// (ESC [ digits ; m) survive, because the report writes its own; a hostile
// one can at worst change a colour.
func Neutralise(s string, keepSGR bool) string {
	if !needsNeutralising(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x1b && keepSGR {
			if n := sgrLen(s[i:]); n > 0 {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
		}
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case dangerous(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func dangerous(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f || r == 0x061c:
		return true
	}
	return false
}

func needsNeutralising(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			// Slow path only for control bytes and non-ASCII text.
			for _, r := range s[i:] {
				if dangerous(r) || r == utf8.RuneError {
					return true
				}
			}
			return false
		}
	}
	return false
}

// sgrLen is the length of the SGR sequence (ESC [ params m) at the start
// of s, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 32; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9', c == ';':
		default:
			return 0
		}
	}
	return 0
}
