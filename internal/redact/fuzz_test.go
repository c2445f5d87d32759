package redact

import (
	"regexp"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/auth"
)

// secretHeaders are the headers whose values (or parts of them) Header
// hides; the fuzzer picks one by index so every branch gets inputs.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "WWW-Authenticate", "Cookie", "Set-Cookie", "X-OWA-Canary", "x-ms-exchange-proxy-token"}

// vocabulary is the text the redactor writes itself, digits as 0: a
// secret that happens to contain "<redacte" or "message, 4" is not leaked
// by a placeholder.
const vocabulary = "<redacted> <user, redacted> <request body, 0 bytes, redacted> NTLM <type 0 message, 0 bytes, redacted> " +
	"NTLM type 0 message, 0 bytes Kerberos token, 0 bytes SPNEGO token, 0 bytes user:password, 0 bytes no token"

var digits = regexp.MustCompile(`[0-9]`)

// written reports whether w may come from the redactor's own words (or is
// only digits and punctuation, as sizes and OIDs are).
func written(w string) bool {
	return strings.Contains(vocabulary, digits.ReplaceAllString(w, "0")) || strings.Trim(w, "0123456789 .,:<>") == ""
}

// secrets returns the parts of value that must not reach a report, and
// the parts that are kept on purpose (schemes, cookie names, attributes),
// in the order the redactor writes them.
func secrets(name, value string) (secret, public []string) {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization":
		c := auth.Parse(value)
		return []string{c.Token}, []string{printable(c.Scheme)}
	case "www-authenticate":
		for _, c := range auth.ParseChallenges(value) {
			if c.Token != "" {
				secret = append(secret, c.Token)
			}
			public = append(public, printable(c.Scheme))
		}
		if len(public) == 0 {
			// Not a challenge list: Header keeps the value as it is.
			return nil, nil
		}
		return secret, public
	case "cookie", "set-cookie":
		first := value
		var attrs string
		if strings.ToLower(name) == "set-cookie" {
			first, attrs, _ = strings.Cut(value, ";")
		}
		for _, p := range strings.Split(first, ";") {
			n, v, ok := strings.Cut(p, "=")
			if ok && strings.TrimSpace(v) != "" {
				secret = append(secret, v)
				public = append(public, n)
			} else {
				public = append(public, p)
			}
		}
		return secret, append(public, attrs)
	}
	return []string{value}, nil
}

// FuzzRedact checks the redaction invariant: after Header (and Block, which
// re-parses a raw header block) no substring of 8 or more bytes of a
// token or cookie value is left outside the parts kept on purpose (a
// scheme, a cookie name) and the words the redactor writes itself.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"NTLM " + type1,
		"Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCqKCBkAEggY8",
		"Basic dXNlcjpwYXNzd29yZA==",
		"Bearer eyJhbGciOi.abc.def",
		"ClientId=ABC123DEF456; X-BackEndCookie=S-1-5-21=secret123; exchangecookie=0f1e2d3c4b5a",
		"BIGipServerpool=1677787402.20480.0000; path=/; HttpOnly",
		"Negotiate, NTLM TlRMTVNTUAACAAAADAAMADAAAAA1gonixxxxxxxx",
		"a=redacted-value-here",
	} {
		for i := range secretHeaders {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		name := secretHeaders[int(which)%len(secretHeaders)]
		secret, public := secrets(name, value)
		check := func(where, out string) {
			// Take out what is kept on purpose, so that only bytes the
			// redactor copied from a secret can match.
			rest := strings.Replace(out, name+": ", "\x00", 1)
			for _, p := range public {
				if p != "" {
					rest = strings.Replace(rest, p, "\x00", 1)
				}
			}
			for _, s := range secret {
				for i := 0; i+8 <= len(s); i++ {
					w := s[i : i+8]
					if strings.Contains(rest, w) && !written(w) {
						t.Fatalf("%s(%s, %q) leaks %q: %q", where, name, value, w, out)
					}
				}
			}
		}
		check("Header", Header(name, value))
		if !strings.ContainsAny(value, "\r\n") {
			// Block re-parses the line, which trims the value.
			v := strings.TrimSpace(value)
			secret, public = secrets(name, v)
			check("Block", Block(name+": "+v+"\r\n"))
		}
	})
}
