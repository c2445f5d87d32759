package auth

import (
	"fmt"
	"strings"
)

// RedactedUser stands in for a user name when the caller did not ask to
// see it.
const RedactedUser = "<redacted>"

// Describe explains the token in one line for a report, e.g.
// "NTLM type 3 (NTLMv2), domain CONTOSO, user <redacted>, workstation
// MACBOOK, 418 bytes". The user name appears only when showUser is true
// (--no-redact); passwords and token bytes never appear.
func (c Credentials) Describe(showUser bool) string {
	scheme := schemeText(c.Scheme)
	if c.Token == "" {
		if scheme == "" {
			return "no credentials"
		}
		return scheme + " (no token)"
	}
	var parts []string
	head := scheme
	if n := c.Negotiation; n != nil {
		head += n.describe(c.NTLM)
	} else if c.NTLM != nil {
		if !strings.EqualFold(c.Scheme, "NTLM") {
			head += " → NTLM"
		}
		head += c.NTLM.head()
	}
	parts = append(parts, head)
	if c.NTLM != nil {
		parts = append(parts, c.NTLM.details(showUser)...)
	} else if c.User != "" || strings.EqualFold(c.Scheme, "Basic") {
		parts = append(parts, "user "+userText(c.User, showUser))
	}
	if c.Negotiation != nil && c.Negotiation.Truncated {
		parts = append(parts, "truncated")
	}
	parts = append(parts, fmt.Sprintf("%d bytes", c.Size()))
	return strings.Join(parts, ", ")
}

// maxSchemeLen caps the scheme in descriptions; real schemes are short
// and anything longer is garbage or an attack on the report.
const maxSchemeLen = 32

// schemeText makes the scheme as written safe to print.
func schemeText(s string) string {
	s = printable(s)
	if r := []rune(s); len(r) > maxSchemeLen {
		s = string(r[:maxSchemeLen]) + "…"
	}
	return s
}

func userText(user string, show bool) string {
	if !show {
		return RedactedUser
	}
	if user == "" {
		return `""`
	}
	return user
}

// head is " type 3 (NTLMv2)".
func (m *NTLMMessage) head() string {
	s := fmt.Sprintf(" type %d", m.Type)
	if m.ResponseVersion != "" {
		s += " (" + m.ResponseVersion + ")"
	}
	return s
}

func (m *NTLMMessage) details(showUser bool) []string {
	var out []string
	if m.TargetName != "" {
		out = append(out, "target "+m.TargetName)
	}
	if m.Domain != "" {
		out = append(out, "domain "+m.Domain)
	}
	if m.Type == 3 {
		out = append(out, "user "+userText(m.User, showUser))
	}
	if m.Workstation != "" {
		out = append(out, "workstation "+m.Workstation)
	}
	if len(m.Problems) > 0 {
		out = append(out, "malformed")
	}
	return out
}

// describe renders the path through the wrappers, e.g.
// " → SPNEGO → NTLM type 1" or " → Kerberos AP-REQ for HTTP/x@REALM".
func (n *Negotiation) describe(m *NTLMMessage) string {
	var sb strings.Builder
	switch n.Form {
	case "negTokenInit":
		sb.WriteString(" → SPNEGO")
	case "negTokenResp":
		sb.WriteString(" → SPNEGO response")
		if n.NegState != "" {
			sb.WriteString(" " + n.NegState)
		}
	case "Kerberos":
	default:
		sb.WriteString(" → " + n.Form)
	}
	switch {
	case m != nil:
		sb.WriteString(" → NTLM" + m.head())
	case n.Kerberos != nil:
		sb.WriteString(" → Kerberos" + n.Kerberos.describe())
	case n.Form == "negTokenInit" && len(n.MechTypes) > 0:
		sb.WriteString(" offering " + strings.Join(n.MechTypes, ", "))
	case n.SupportedMech != "":
		sb.WriteString(" (" + n.SupportedMech + ")")
	}
	return sb.String()
}

func (k *Kerberos) describe() string {
	var sb strings.Builder
	if k.Message != "" {
		sb.WriteString(" " + k.Message)
	}
	if k.ErrorCode != 0 {
		fmt.Fprintf(&sb, " %d", k.ErrorCode)
		if k.ErrorName != "" {
			sb.WriteString(" " + k.ErrorName)
		}
	}
	if k.ServicePrincipal != "" {
		sb.WriteString(" for " + k.ServicePrincipal)
		if k.Realm != "" {
			sb.WriteString("@" + k.Realm)
		}
	}
	if k.TicketEncryption != "" {
		sb.WriteString(" (" + k.TicketEncryption + ")")
	}
	return sb.String()
}
