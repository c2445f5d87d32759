// Package auth decodes the credentials and challenges carried in
// Authorization, Proxy-Authorization and WWW-Authenticate headers, so that
// reports can say what a token is without showing it.
package auth

import (
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
}

var ntlmSignature = []byte("NTLMSSP\x00")

// Parse splits a header value into scheme and token and classifies the
// token. It never fails: unknown input yields a Credentials with only the
// scheme (or nothing) set.
func Parse(value string) Credentials {
	value = strings.TrimSpace(value)
	scheme, token, _ := strings.Cut(value, " ")
	c := Credentials{Scheme: scheme, Token: strings.TrimSpace(token)}
	if c.Token == "" {
		return c
	}
	c.Raw = decodeBase64(c.Token)
	switch {
	case len(c.Raw) >= 12 && string(c.Raw[:8]) == string(ntlmSignature):
		c.Mechanism = "NTLM"
		c.NTLMType = int(c.Raw[8])
	case strings.EqualFold(scheme, "Negotiate") && len(c.Raw) > 0 && c.Raw[0] == 0x60:
		c.Mechanism = "Kerberos"
	case strings.EqualFold(scheme, "Negotiate") && len(c.Raw) > 0 && c.Raw[0] == 0xa1:
		c.Mechanism = "SPNEGO"
	case strings.EqualFold(scheme, "Kerberos"):
		c.Mechanism = "Kerberos"
	}
	return c
}

func decodeBase64(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}

// Summary describes the token without revealing it, e.g.
// "type 3 message, 418 bytes". It is what redacted output shows.
func (c Credentials) Summary() string {
	size := len(c.Raw)
	if size == 0 {
		size = len(c.Token)
	}
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
