// Package auth decodes the credentials and challenges carried in
// Authorization, Proxy-Authorization and WWW-Authenticate headers, so that
// reports can say what a token is without showing it.
package auth

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// Credentials is one parsed Authorization (or WWW-Authenticate) value.
type Credentials struct {
	// Scheme as written: NTLM, Negotiate, Basic, Bearer, Kerberos, …
	Scheme string `json:"scheme"`
	// Token is the text after the scheme; secret.
	Token string `json:"-"`
	// Raw is Token base64-decoded, nil when it is not base64; secret.
	Raw []byte `json:"-"`
	// Mechanism is what the token really carries: "NTLM" (also inside
	// Negotiate), "Kerberos", "SPNEGO", or "" when unknown.
	Mechanism string `json:"mechanism,omitempty"`
	// NTLMType is the NTLM message type (1 negotiate, 2 challenge,
	// 3 authenticate), 0 when the token is not NTLM.
	NTLMType int `json:"ntlmType,omitempty"`

	// NTLM is the decoded NTLM message, bare or found inside SPNEGO.
	NTLM *NTLMMessage `json:"ntlm,omitempty"`
	// Negotiation is the decoded GSS-API/SPNEGO structure of a Negotiate
	// or Kerberos token; nil for bare NTLM.
	Negotiation *Negotiation `json:"negotiation,omitempty"`
	// User is the account name a token reveals (NTLM type 3, Basic);
	// personal data, shown only with --no-redact.
	User string `json:"-"`
}

var ntlmSignature = []byte("NTLMSSP\x00")

// Parse splits a header value into scheme and token and classifies the
// token. It never fails: unknown input yields a Credentials with only the
// scheme (or nothing) set.
func Parse(value string) Credentials {
	value = strings.TrimSpace(value)
	scheme, token := value, ""
	if i := strings.IndexAny(value, " \t"); i >= 0 {
		scheme, token = value[:i], value[i+1:]
	}
	c := Credentials{Scheme: scheme, Token: strings.TrimSpace(token)}
	if c.Token == "" {
		return c
	}
	c.Raw = decodeBase64(c.Token)
	switch {
	case len(c.Raw) >= ntlmHeaderLen && bytes.HasPrefix(c.Raw, ntlmSignature):
		m, _ := ParseNTLM(c.Raw)
		c.setNTLM(&m)
	case isNegotiate(scheme) && len(c.Raw) > 0 && (c.Raw[0] == 0x60 || c.Raw[0] == 0xa1):
		c.negotiate()
	case strings.EqualFold(scheme, "Kerberos"):
		c.Mechanism = "Kerberos"
		if n, err := ParseNegotiate(c.Raw); err == nil {
			c.Negotiation = &n
		}
	case strings.EqualFold(scheme, "Basic") && c.Raw != nil:
		user, _, _ := bytes.Cut(c.Raw, []byte(":"))
		c.User = printable(string(user))
	}
	return c
}

func isNegotiate(scheme string) bool {
	return strings.EqualFold(scheme, "Negotiate") || strings.EqualFold(scheme, "Kerberos")
}

func (c *Credentials) setNTLM(m *NTLMMessage) {
	c.Mechanism = "NTLM"
	c.NTLMType = m.Type
	c.NTLM = m
	if m.Type == 3 {
		c.User = m.User
	}
}

// negotiate classifies a GSS-API (0x60) or negTokenResp (0xa1) token by
// what it carries. Without a readable inner token it keeps the coarse
// classes: Kerberos for 0x60, SPNEGO for 0xa1.
func (c *Credentials) negotiate() {
	if c.Raw[0] == 0x60 {
		c.Mechanism = "Kerberos"
	} else {
		c.Mechanism = "SPNEGO"
	}
	n, err := ParseNegotiate(c.Raw)
	if err != nil {
		return
	}
	c.Negotiation = &n
	switch {
	case n.NTLM != nil:
		c.setNTLM(n.NTLM)
	case n.Mechanism == "Kerberos":
		c.Mechanism = "Kerberos"
	case n.Form == "negTokenInit" && len(n.MechTypes) > 0 && n.Mechanism == "":
		// An init token without a mechToken only lists mechanisms.
		c.Mechanism = "SPNEGO"
	}
}

func decodeBase64(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}

// Size is the decoded token size, or the token's length when it is not
// base64.
func (c Credentials) Size() int {
	if len(c.Raw) > 0 {
		return len(c.Raw)
	}
	return len(c.Token)
}

// Summary describes the token without revealing it, e.g.
// "type 3 message, 418 bytes". It is what redacted output shows.
func (c Credentials) Summary() string {
	size := c.Size()
	switch {
	case c.Token == "":
		return "no token"
	case c.NTLMType > 0 && c.Mechanism == "NTLM" && !strings.EqualFold(c.Scheme, "NTLM"):
		return fmt.Sprintf("NTLM type %d message, %d bytes", c.NTLMType, size)
	case c.NTLMType > 0:
		return fmt.Sprintf("type %d message, %d bytes", c.NTLMType, size)
	case c.Mechanism != "":
		return fmt.Sprintf("%s token, %d bytes", c.Mechanism, size)
	case strings.EqualFold(c.Scheme, "Basic"):
		return fmt.Sprintf("user:password, %d bytes", size)
	default:
		return fmt.Sprintf("%d bytes", size)
	}
}
