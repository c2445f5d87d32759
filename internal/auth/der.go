package auth

import (
	"strconv"
	"strings"
)

// derValue is one DER element. Only what SPNEGO and Kerberos tokens need
// is kept: the class and number of the tag, whether it is constructed, and
// the content bytes (a sub-slice of the input, never a copy).
type derValue struct {
	class       byte // 0 universal, 1 application, 2 context, 3 private
	constructed bool
	tag         int
	content     []byte
}

// Tags and classes the decoders compare against.
const (
	classUniversal   = 0
	classApplication = 1
	classContext     = 2

	tagInteger       = 2
	tagBitString     = 3
	tagOctetString   = 4
	tagOID           = 6
	tagEnumerated    = 10
	tagSequence      = 16
	tagGeneralString = 27
)

// readDER reads one element from b. ok is false when b does not start
// with a well-formed element header. When the header is fine but the
// declared length runs past the end of b (what a proxy that cuts a long
// Authorization header produces), the element is returned with the bytes
// that are there and truncated set, so the part that arrived can still be
// decoded.
func readDER(b []byte) (v derValue, rest []byte, truncated, ok bool) {
	if len(b) < 2 {
		return v, nil, len(b) == 1, false
	}
	v.class = b[0] >> 6
	v.constructed = b[0]&0x20 != 0
	v.tag = int(b[0] & 0x1f)
	i := 1
	if v.tag == 0x1f { // high tag number form, base 128
		v.tag = 0
		for {
			if i >= len(b) || i > 4 {
				return v, nil, false, false
			}
			c := b[i]
			i++
			v.tag = v.tag<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return v, nil, true, false
	}
	n := int(b[i])
	i++
	if n&0x80 != 0 {
		octets := n & 0x7f
		// 0x80 is the indefinite form, which DER forbids; more than four
		// length octets cannot describe a header-sized token.
		if octets == 0 || octets > 4 {
			return v, nil, false, false
		}
		if i+octets > len(b) {
			return v, nil, true, false
		}
		n = 0
		for _, c := range b[i : i+octets] {
			n = n<<8 | int(c)
		}
		i += octets
		if n < 0 {
			return v, nil, false, false
		}
	}
	if n > len(b)-i {
		v.content = b[i:]
		return v, nil, true, true
	}
	v.content = b[i : i+n]
	return v, b[i+n:], false, true
}

// is reports whether v has the given class and tag number.
func (v derValue) is(class byte, tag int) bool { return v.class == class && v.tag == tag }

// children returns the elements inside a constructed value; it stops at
// the first malformed one.
func (v derValue) children() []derValue {
	var out []derValue
	rest := v.content
	for len(rest) > 0 && len(out) < 64 {
		c, r, _, ok := readDER(rest)
		if !ok {
			break
		}
		out = append(out, c)
		rest = r
	}
	return out
}

// field returns the context-tagged [n] child of a SEQUENCE's content
// elements, unwrapped (its single inner element).
func field(seq []derValue, n int) (derValue, bool) {
	for _, c := range seq {
		if c.is(classContext, n) {
			inner, _, _, ok := readDER(c.content)
			return inner, ok
		}
	}
	return derValue{}, false
}

// sequenceIn unwraps an explicitly tagged value holding a SEQUENCE and
// returns the SEQUENCE's elements.
func sequenceIn(v derValue) []derValue {
	if !v.is(classUniversal, tagSequence) {
		inner, _, _, ok := readDER(v.content)
		if !ok || !inner.is(classUniversal, tagSequence) {
			return nil
		}
		v = inner
	}
	return v.children()
}

// oidString renders an OBJECT IDENTIFIER's content octets in dotted form,
// "" when they are malformed.
func oidString(b []byte) string {
	if len(b) == 0 || len(b) > 64 {
		return ""
	}
	var parts []string
	var n uint64
	for i, c := range b {
		if n > 1<<56 {
			return ""
		}
		n = n<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			if i == len(b)-1 {
				return ""
			}
			continue
		}
		if parts == nil {
			first := min(n/40, 2)
			parts = append(parts, strconv.FormatUint(first, 10), strconv.FormatUint(n-first*40, 10))
		} else {
			parts = append(parts, strconv.FormatUint(n, 10))
		}
		n = 0
	}
	return strings.Join(parts, ".")
}

// derInt decodes a small INTEGER or ENUMERATED; ok is false for values
// that do not fit in 32 bits.
func derInt(v derValue) (int, bool) {
	if len(v.content) == 0 || len(v.content) > 4 {
		return 0, false
	}
	n := int64(int8(v.content[0]))
	for _, c := range v.content[1:] {
		n = n<<8 | int64(c)
	}
	return int(n), true
}
