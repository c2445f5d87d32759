package freb

import "unicode/utf8"

// The fast reader understands a strict subset of XML: the subset IIS
// writes. Each step says whether it got through (lexOK), ran out of input
// inside a construct that more bytes could complete (lexMore: the caller
// reads on or, at the end of the file, reports truncation), or met
// something outside the subset (lexUnsupported: the caller hands the file
// to the reference reader). The subset is chosen so that whatever it
// accepts, encoding/xml in strict mode accepts too and reads the same way;
// the differential tests and FuzzReaders hold it to that.
type lexStatus uint8

const (
	lexOK lexStatus = iota
	lexMore
	lexUnsupported
)

// nameByte marks the ASCII bytes encoding/xml reads as part of a name.
var nameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '_' || c == ':' || c == '.' || c == '-'
	}
	return t
}()

// textSpecial marks the bytes text decoding must look at: line ends to
// normalise, references to expand, and '>' for the "]]>" check.
var textSpecial = func() (t [256]bool) {
	t['\r'], t['&'], t['>'] = true, true, true
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanName reads the name at b[i:]. Only ASCII names with at most one
// colon, which must separate two non-empty parts, are in the subset:
// encoding/xml treats other names in ways that are not worth copying.
func scanName(b []byte, i int) (end, colon int, st lexStatus) {
	if i >= len(b) {
		return i, -1, lexMore
	}
	if c := b[i] | 0x20; (c < 'a' || c > 'z') && b[i] != '_' {
		return i, -1, lexUnsupported
	}
	colon = -1
	j := i + 1
	for ; j < len(b) && nameByte[b[j]]; j++ {
		if b[j] == ':' {
			if colon >= 0 {
				return j, -1, lexUnsupported
			}
			colon = j
		}
	}
	switch {
	case j == len(b):
		return j, colon, lexMore
	case b[j] >= utf8.RuneSelf, colon == j-1:
		return j, -1, lexUnsupported
	}
	return j, colon, lexOK
}

// attr is one attribute of the start tag just read, as offsets into the
// input buffer: storing no pointers keeps the garbage collector's write
// barrier out of the hot loop.
type attr struct {
	name, nameEnd int
	colon         int // offset of the colon in the name, or -1
	value, end    int
	plain         bool // value has no reference and no CR: usable as is
}

// tag is the start tag just read.
type tag struct {
	name, nameEnd int
	colon         int
	attrs         []attr // attrs[:n] are this tag's
	n             int
	empty         bool // <x/>
}

// get returns the raw value of the first unprefixed attribute called
// name, as xmlquery's SelectAttr does.
func (t *tag) get(b []byte, name string) (attr, bool) {
	for _, a := range t.attrs[:t.n] {
		if a.colon < 0 && string(b[a.name:a.nameEnd]) == name {
			return a, true
		}
	}
	return attr{}, false
}

// attrStop marks what ends or complicates an attribute value.
var attrStop = func() (t [256]bool) {
	t['"'], t['\''], t['<'], t['&'], t['\r'] = true, true, true, true, true
	return t
}()

// startTag reads the start tag at b[i] == '<' into t and returns the
// index after it.
func startTag(b []byte, i int, t *tag) (int, lexStatus) {
	end, colon, st := scanName(b, i+1)
	if st != lexOK {
		return end, st
	}
	t.name, t.nameEnd, t.colon, t.n, t.empty = i+1, end, colon, 0, false
	j := end
	for {
		j = skipSpace(b, j)
		if j >= len(b) {
			return j, lexMore
		}
		switch b[j] {
		case '>':
			return j + 1, lexOK
		case '/':
			if j+1 >= len(b) {
				return j, lexMore
			}
			if b[j+1] != '>' {
				return j, lexUnsupported
			}
			t.empty = true
			return j + 2, lexOK
		}
		nameEnd, colon, st := scanName(b, j)
		if st != lexOK {
			return nameEnd, st
		}
		a := attr{name: j, nameEnd: nameEnd, colon: colon, plain: true}
		j = skipSpace(b, nameEnd)
		if j >= len(b) {
			return j, lexMore
		}
		if b[j] != '=' {
			return j, lexUnsupported
		}
		j = skipSpace(b, j+1)
		if j >= len(b) {
			return j, lexMore
		}
		q := b[j]
		if q != '"' && q != '\'' {
			return j, lexUnsupported
		}
		k := j + 1
		for ; k < len(b); k++ {
			if c := b[k]; attrStop[c] {
				if c == q {
					break
				}
				if c == '<' {
					return k, lexUnsupported // encoding/xml: unescaped < inside quoted string
				}
				if c != '"' && c != '\'' {
					a.plain = false
				}
			}
		}
		a.value, a.end = j+1, k
		if !a.plain {
			if _, st := appendText(nil, b[j+1:k], false, k < len(b), true); st != lexOK {
				return k, st
			}
		}
		if k == len(b) {
			return k, lexMore
		}
		if t.n == len(t.attrs) {
			t.attrs = append(t.attrs, attr{})
		}
		t.attrs[t.n] = a
		t.n++
		j = k + 1
	}
}

// endTag reads the end tag at b[i:] ("</") and checks that it closes
// open, the raw name of the innermost open element.
func endTag(b []byte, i int, open []byte) (int, lexStatus) {
	// Fast path: the name that must come, then '>'.
	if j := i + 2 + len(open); j < len(b) && b[j] == '>' && string(b[i+2:j]) == string(open) {
		return j + 1, lexOK
	}
	end, _, st := scanName(b, i+2)
	if st != lexOK {
		return end, st
	}
	j := skipSpace(b, end)
	if j >= len(b) {
		return j, lexMore
	}
	if b[j] != '>' || string(b[i+2:end]) != string(open) {
		return j, lexUnsupported
	}
	return j + 1, lexOK
}

// appendText decodes character data (text, or an attribute value when
// text is false) onto dst exactly as encoding/xml does: the five
// predefined entities and character references expand, a literal CR or
// CR LF becomes LF, and "]]>" in text is an error. final says s is
// followed by its terminator; otherwise a reference cut by the end of s
// is lexMore. With check set, nothing is appended (validation only).
func appendText(dst, s []byte, text, final, check bool) ([]byte, lexStatus) {
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && !textSpecial[s[j]] {
			j++
		}
		if !check {
			dst = append(dst, s[i:j]...)
		}
		if j == len(s) {
			break
		}
		switch s[j] {
		case '\r':
			if !check {
				dst = append(dst, '\n')
			}
			if j+1 < len(s) && s[j+1] == '\n' {
				j++
			}
			i = j + 1
		case '>':
			// A reference never contains ']' or '>', so the brackets
			// before are literal, as encoding/xml requires to complain.
			if text && j >= 2 && s[j-1] == ']' && s[j-2] == ']' {
				return dst, lexUnsupported
			}
			if !check {
				dst = append(dst, '>')
			}
			i = j + 1
		default: // '&'
			r, n, st := reference(s[j:])
			if st == lexMore && final {
				st = lexUnsupported
			}
			if st != lexOK {
				return dst, st
			}
			if !check {
				dst = utf8.AppendRune(dst, r)
			}
			i = j + n
		}
	}
	return dst, lexOK
}

// reference decodes the entity or character reference at the start of s.
func reference(s []byte) (r rune, n int, st lexStatus) {
	if len(s) < 2 {
		return 0, 0, lexMore
	}
	if s[1] == '#' {
		return charRef(s)
	}
	i := 1
	for i < len(s) && nameByte[s[i]] {
		i++
	}
	if i == len(s) {
		return 0, 0, lexMore
	}
	if s[i] != ';' {
		return 0, 0, lexUnsupported
	}
	switch string(s[1:i]) {
	case "lt":
		r = '<'
	case "gt":
		r = '>'
	case "amp":
		r = '&'
	case "apos":
		r = '\''
	case "quot":
		r = '"'
	default:
		return 0, 0, lexUnsupported
	}
	return r, i + 1, lexOK
}

// charRef decodes "&#65;" or "&#x41;". Like encoding/xml it takes only a
// lower-case x, turns a surrogate into U+FFFD and rejects code points XML
// does not allow.
func charRef(s []byte) (rune, int, lexStatus) {
	i, base := 2, rune(10)
	if i < len(s) && s[i] == 'x' {
		i, base = 3, 16
	}
	start := i
	var v rune
	for ; i < len(s); i++ {
		d := digit(s[i], base)
		if d < 0 {
			break
		}
		if v = v*base + d; v > utf8.MaxRune {
			return 0, 0, lexUnsupported
		}
	}
	switch {
	case i == len(s):
		return 0, 0, lexMore
	case s[i] != ';' || i == start:
		return 0, 0, lexUnsupported
	case 0xD800 <= v && v <= 0xDFFF:
		return utf8.RuneError, i + 1, lexOK
	case !xmlChar(v):
		return 0, 0, lexUnsupported
	}
	return v, i + 1, lexOK
}

func digit(c byte, base rune) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case base == 16 && 'a' <= c && c <= 'f':
		return rune(c-'a') + 10
	case base == 16 && 'A' <= c && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// xmlChar is encoding/xml's isInCharacterRange.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
