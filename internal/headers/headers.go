// Package headers models HTTP header blocks as IIS writes them into FREB
// traces: ordered, duplicates kept, names compared case-insensitively.
package headers

import (
	"strings"
)

// Header is one header line. Names keep the spelling the sender used,
// because proxies and clients are sometimes identified by it.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// List is an ordered header block. Order and duplicates are kept because
// both matter as evidence (two Via lines mean two hops).
type List []Header

// Get returns the first value of the named header and whether it exists.
func (l List) Get(name string) (string, bool) {
	for _, h := range l {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Value returns the first value of the named header, or "".
func (l List) Value(name string) string {
	v, _ := l.Get(name)
	return v
}

// Has reports whether the named header is present.
func (l List) Has(name string) bool {
	_, ok := l.Get(name)
	return ok
}

// Values returns every value of the named header in order.
func (l List) Values(name string) []string {
	var out []string
	for _, h := range l {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

// Change is a header set by a module during the request
// (GENERAL_SET_REQUEST_HEADER, GENERAL_SET_RESPONSE_HEADER,
// FILTER_SET_REQ_HEADER): ARR adding X-Forwarded-For, URL Rewrite changing
// Host, Exchange adding Persistent-Auth.
type Change struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Replace bool   `json:"replace"`
	// Event is the index of the event that made the change, so reports can
	// point at it.
	Event int `json:"event"`
}

// Apply returns a copy of l with the changes applied in order: a replacing
// change overwrites the first header of that name and drops later ones, any
// other change appends.
func Apply(l List, changes []Change) List {
	out := append(List(nil), l...)
	for _, c := range changes {
		if c.Replace {
			out = replace(out, c.Name, c.Value)
			continue
		}
		out = append(out, Header{Name: c.Name, Value: c.Value})
	}
	return out
}

func replace(l List, name, value string) List {
	kept := l[:0]
	done := false
	for _, h := range l {
		if !strings.EqualFold(h.Name, name) {
			kept = append(kept, h)
			continue
		}
		if !done {
			kept = append(kept, Header{Name: h.Name, Value: value})
			done = true
		}
	}
	if !done {
		kept = append(kept, Header{Name: name, Value: value})
	}
	return kept
}

// ParseBlock parses a raw header block as found in the Headers field of
// GENERAL_REQUEST_HEADERS and GENERAL_RESPONSE_HEADERS. IIS ends every line
// with CRLF; an XML parser turns that into LF, a re-saved file may carry
// CR LF as character references, and a stray CR can appear alone, so any of
// the three ends a line. Lines starting with white space continue the
// previous header (obsolete line folding). Lines without a colon are kept as
// a header with an empty name rather than dropped, so nothing the server
// recorded disappears.
func ParseBlock(block string) List {
	var out List
	for len(block) > 0 {
		line, rest := cutLine(block)
		block = rest
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			last := &out[len(out)-1]
			last.Value = strings.TrimSpace(last.Value + " " + strings.TrimSpace(line))
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			out = append(out, Header{Value: strings.TrimSpace(line)})
			continue
		}
		out = append(out, Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	return out
}

func cutLine(s string) (line, rest string) {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s, ""
	}
	line, rest = s[:i], s[i+1:]
	if s[i] == '\r' && strings.HasPrefix(rest, "\n") {
		rest = rest[1:]
	}
	return line, rest
}

// NormalizeName cleans a header name taken from a set-header event: IIS
// writes some with a trailing colon ("AspFilterSessionId:").
func NormalizeName(name string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), ":"))
}
