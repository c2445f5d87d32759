package auth

import "strings"

// Challenge is one challenge from a WWW-Authenticate or
// Proxy-Authenticate header (RFC 7235 4.1). A header can list several
// ("Negotiate, NTLM") and IIS usually sends one header line per scheme.
type Challenge struct {
	Scheme string `json:"scheme"`
	// Token is the token68 part: the NTLM type 2 or SPNEGO response a
	// server sends in the middle of a handshake.
	Token string `json:"-"`
	// Params are the auth-params (realm="…", error="…"), in order.
	Params []Param `json:"params,omitempty"`
	// Decoded is the token decoded like an Authorization value; set only
	// when Token is not empty.
	Decoded *Credentials `json:"decoded,omitempty"`
}

// Param is one auth-param; quoted values are unquoted.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Param returns the value of the named parameter, case-insensitively.
func (c Challenge) Param(name string) string {
	for _, p := range c.Params {
		if strings.EqualFold(p.Name, name) {
			return p.Value
		}
	}
	return ""
}

// maxChallenges bounds the output for hostile headers.
const maxChallenges = 32

// ParseChallenges parses every challenge in the given header values (pass
// all WWW-Authenticate lines of a response, in order).
func ParseChallenges(values ...string) []Challenge {
	var out []Challenge
	for _, v := range values {
		for _, el := range splitList(v) {
			if len(out) >= maxChallenges {
				return out
			}
			if name, value, ok := authParam(el); ok {
				if len(out) > 0 {
					last := &out[len(out)-1]
					last.Params = append(last.Params, Param{name, value})
				}
				continue
			}
			out = append(out, newChallenge(el))
		}
	}
	return out
}

// Schemes returns the scheme of each challenge, e.g. ["Negotiate", "NTLM"].
func Schemes(cs []Challenge) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Scheme)
	}
	return out
}

func newChallenge(el string) Challenge {
	scheme, rest := el, ""
	if i := strings.IndexAny(el, " \t"); i >= 0 {
		scheme, rest = el[:i], strings.TrimSpace(el[i+1:])
	}
	c := Challenge{Scheme: scheme}
	switch {
	case rest == "":
	case isToken68(rest):
		c.Token = rest
		d := Parse(scheme + " " + rest)
		c.Decoded = &d
	default:
		if name, value, ok := authParam(rest); ok {
			c.Params = append(c.Params, Param{name, value})
		} else {
			c.Params = append(c.Params, Param{Value: rest})
		}
	}
	return c
}

// isToken68 reports whether s is a token68 (RFC 7235 2.1): base64-ish
// characters followed by optional "=" padding.
func isToken68(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}

// authParam splits `name = value` or `name="quoted, value"`.
func authParam(el string) (name, value string, ok bool) {
	i := strings.IndexByte(el, '=')
	if i <= 0 {
		return "", "", false
	}
	name = strings.TrimSpace(el[:i])
	if name == "" || strings.ContainsAny(name, " \t\"") {
		return "", "", false
	}
	value = strings.TrimSpace(el[i+1:])
	if value == "" && strings.TrimRight(el[i:], "=") == "" {
		// "abc==" is token68 padding, not a parameter.
		return "", "", false
	}
	return name, unquote(value), true
}

func unquote(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	var sb strings.Builder
	for i := 1; i < len(v)-1; i++ {
		if v[i] == '\\' && i+1 < len(v)-1 {
			i++
		}
		sb.WriteByte(v[i])
	}
	return sb.String()
}

// splitList splits a header value at commas outside quoted strings and
// drops empty elements.
func splitList(v string) []string {
	var out []string
	inQuote, escaped, start := false, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case escaped:
			escaped = false
		case c == '\\' && inQuote:
			escaped = true
		case c == '"':
			inQuote = !inQuote
		case c == ',' && !inQuote:
			if el := strings.TrimSpace(v[start:i]); el != "" {
				out = append(out, el)
			}
			start = i + 1
		}
	}
	if el := strings.TrimSpace(v[start:]); el != "" {
		out = append(out, el)
	}
	return out
}
