package freb

import (
	"bytes"
	"strings"
)

// prolog reads up to and including the <failedRequest> start tag: the
// XML declaration, IIS's stylesheet processing instruction and "saved
// from" comment. A DOCTYPE, text, or a version other than 1.0 sends the
// file to the reference reader.
func (s *fastSource) prolog() error {
	for {
		s.r = skipSpace(s.buf[:s.w], s.r)
		if s.r == s.w {
			if !s.more() {
				return s.fallback("an input without a root element")
			}
			continue
		}
		b := s.buf[s.r:s.w]
		if b[0] != '<' {
			return s.fallback("text before the root element")
		}
		n, done, st := s.prologItem(b)
		switch st {
		case lexOK:
			s.r += n
			if done {
				return nil
			}
		case lexUnsupported:
			return s.fallback(s.lx.why)
		default:
			if s.w-s.r > s.maxEvent || !s.more() {
				return s.fallback("an input that ends before the first event")
			}
		}
	}
}

// prologItem reads the processing instruction, comment or root start tag
// at b[0] == '<'; done says it was the root.
func (s *fastSource) prologItem(b []byte) (n int, done bool, st lexStatus) {
	if len(b) < 4 {
		return 0, false, lexMore
	}
	switch b[1] {
	case '?':
		return s.procInst(b)
	case '!':
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return 0, false, s.lx.unsupported("a DOCTYPE or CDATA section")
		}
		// Like encoding/xml: the first "--" must end the comment.
		k := bytes.Index(b[4:], []byte("--"))
		if k < 0 || 4+k+2 >= len(b) {
			return 0, false, lexMore
		}
		if b[4+k+2] != '>' {
			return 0, false, s.lx.unsupported(`"--" inside a comment`)
		}
		return 4 + k + 3, false, lexOK
	}
	var t tag
	n, st = startTag(b, 0, &t)
	if st != lexOK {
		return n, false, s.lx.status(st, "a malformed root start tag")
	}
	switch {
	case string(b[t.name:t.nameEnd]) != rootElement:
		return n, false, s.lx.unsupported("a root element other than <failedRequest>")
	case t.empty:
		return n, false, s.lx.unsupported("a trace without events")
	}
	return n, true, s.rootAttrs(b, &t)
}

// procInst reads "<?target ...?>"; the XML declaration's version must be
// one encoding/xml accepts. Its encoding does not matter: input has
// already made the text UTF-8 and both readers ignore the label.
func (s *fastSource) procInst(b []byte) (int, bool, lexStatus) {
	end, _, st := scanName(b, 2)
	if st != lexOK {
		return end, false, s.lx.status(st, "a malformed processing instruction")
	}
	j := skipSpace(b, end)
	k := bytes.Index(b[j:], []byte("?>"))
	if k < 0 {
		return 0, false, lexMore
	}
	if string(b[2:end]) == "xml" {
		if v := procInstParam("version", string(b[j:j+k])); v != "" && v != "1.0" {
			return 0, false, s.lx.unsupported("an XML version other than 1.0")
		}
	}
	return j + k + 2, false, lexOK
}

// rootAttrs keeps the root's attributes and the namespace prefixes it
// declares. Declarations whose value xmlquery would confuse with a prefix
// (empty, "xmlns") and prefixed attributes are left to the reference.
func (s *fastSource) rootAttrs(b []byte, t *tag) lexStatus {
	l := &s.lx
	s.attrs = make([]Attribute, 0, t.n)
	for _, a := range t.attrs[:t.n] {
		name := b[a.name:a.nameEnd]
		decl := string(name) == "xmlns"
		if a.colon >= 0 {
			prefix, local := string(b[a.name:a.colon]), b[a.colon+1:a.nameEnd]
			if prefix != "xmlns" || string(local) == "xml" || string(local) == "xmlns" {
				return l.unsupported("a prefixed attribute on <failedRequest>")
			}
			decl = true
			l.prefixes = append(l.prefixes, append([]byte(nil), local...))
		}
		v := b[a.value:a.end]
		if !a.plain {
			v, _ = appendText(nil, v, false, true, false)
		}
		if decl && (len(v) == 0 || string(v) == "xmlns") {
			return l.unsupported("an empty namespace declaration")
		}
		s.attrs = append(s.attrs, Attribute{Name: string(name), Value: string(v)})
	}
	return lexOK
}

// procInstParam is encoding/xml's procInst, which reads the version from
// the XML declaration; copied so both readers agree on odd declarations.
func procInstParam(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
