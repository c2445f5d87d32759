package auth

import "errors"

// Object identifiers that can appear in a Negotiate token.
const (
	OIDSPNEGO      = "1.3.6.1.5.5.2"
	OIDKerberos    = "1.2.840.113554.1.2.2"
	OIDKerberosMS  = "1.2.840.48018.1.2.2" // Windows 2000's mis-encoded Kerberos OID, still sent
	OIDKerberosU2U = "1.2.840.113554.1.2.2.3"
	OIDNTLM        = "1.3.6.1.4.1.311.2.2.10"
	OIDNegoEx      = "1.3.6.1.4.1.311.2.2.30"
)

// mechNames maps mechanism OIDs to the names reports use.
var mechNames = map[string]string{
	OIDKerberos:    "Kerberos",
	OIDKerberosMS:  "Kerberos",
	OIDKerberosU2U: "Kerberos user-to-user",
	OIDNTLM:        "NTLM",
	OIDNegoEx:      "NegoEx",
	OIDSPNEGO:      "SPNEGO",
}

// MechName names a mechanism OID, or returns the OID itself.
func MechName(oid string) string {
	if n, ok := mechNames[oid]; ok {
		return n
	}
	return oid
}

// negStates are the negTokenResp negState values (RFC 4178 4.2.2).
var negStates = map[int]string{
	0: "accept-completed",
	1: "accept-incomplete",
	2: "reject",
	3: "request-mic",
}

// Negotiation is a decoded Negotiate token: a GSS-API initial token
// (SPNEGO negTokenInit or a bare Kerberos token) or an SPNEGO negTokenResp.
type Negotiation struct {
	// Form is "negTokenInit", "negTokenResp" or "Kerberos" (a Kerberos
	// token sent without the SPNEGO wrapper).
	Form string `json:"form"`
	// MechTypes lists the mechanisms the client offers in a negTokenInit,
	// most preferred first.
	MechTypes []string `json:"mechTypes,omitempty"`
	// Mechanism is what the embedded token really is: "Kerberos", "NTLM",
	// "NegoEx", or "" when there is no embedded token. A negTokenInit whose
	// mechanism is NTLM means the client fell back from Kerberos.
	Mechanism string `json:"mechanism,omitempty"`
	// NegState and SupportedMech come from a negTokenResp.
	NegState      string `json:"negState,omitempty"`
	SupportedMech string `json:"supportedMech,omitempty"`
	// NTLM and Kerberos hold the decoded inner token.
	NTLM     *NTLMMessage `json:"ntlm,omitempty"`
	Kerberos *Kerberos    `json:"kerberos,omitempty"`
	// Truncated is true when a length inside the token runs past its end:
	// a header cut by a proxy or a size limit.
	Truncated bool `json:"truncated,omitempty"`
}

// ErrNotNegotiate is returned by ParseNegotiate for tokens that start
// with neither a GSS-API header (0x60) nor a negTokenResp (0xa1).
var ErrNotNegotiate = errors.New("not a GSS-API or SPNEGO token")

// ParseNegotiate decodes the token of a Negotiate header. It never reads
// outside b and never fails on malformed content: whatever could be
// decoded is returned, with Truncated set where lengths overrun.
func ParseNegotiate(b []byte) (Negotiation, error) {
	var n Negotiation
	if len(b) == 0 {
		return n, ErrNotNegotiate
	}
	top, _, truncated, ok := readDER(b)
	n.Truncated = truncated
	if !ok {
		return n, ErrNotNegotiate
	}
	switch {
	case top.is(classApplication, 0) && top.constructed:
		n.initialToken(top.content)
	case top.is(classContext, 1):
		n.Form = "negTokenResp"
		n.negTokenResp(top)
	default:
		return n, ErrNotNegotiate
	}
	return n, nil
}

// initialToken decodes InitialContextToken's inner part (RFC 2743 3.1):
// thisMech OID followed by the mechanism's token.
func (n *Negotiation) initialToken(b []byte) {
	oid, rest, _, ok := readDER(b)
	if !ok || !oid.is(classUniversal, tagOID) {
		return
	}
	switch mech := oidString(oid.content); mech {
	case OIDSPNEGO:
		n.Form = "negTokenInit"
		inner, _, _, ok := readDER(rest)
		if ok && inner.is(classContext, 0) {
			n.negTokenInit(inner)
		}
	case OIDKerberos, OIDKerberosMS, OIDKerberosU2U:
		n.Form = "Kerberos"
		n.Mechanism = "Kerberos"
		k := parseKerberosBody(rest)
		n.Kerberos = &k
		n.Truncated = n.Truncated || k.Truncated
	default:
		n.Form = "GSS-API " + MechName(mech)
	}
}

// negTokenInit: SEQUENCE { [0] mechTypes, [1] reqFlags, [2] mechToken, [3] mechListMIC }.
func (n *Negotiation) negTokenInit(v derValue) {
	seq := sequenceIn(v)
	if types, ok := field(seq, 0); ok && types.is(classUniversal, tagSequence) {
		for _, t := range types.children() {
			if t.is(classUniversal, tagOID) && len(n.MechTypes) < 16 {
				n.MechTypes = append(n.MechTypes, MechName(oidString(t.content)))
			}
		}
	}
	if tok, ok := field(seq, 2); ok && tok.is(classUniversal, tagOctetString) {
		n.inner(tok.content)
	}
}

// negTokenResp: SEQUENCE { [0] negState, [1] supportedMech, [2] responseToken, [3] mechListMIC }.
func (n *Negotiation) negTokenResp(v derValue) {
	seq := sequenceIn(v)
	if st, ok := field(seq, 0); ok && st.is(classUniversal, tagEnumerated) {
		if i, ok := derInt(st); ok {
			n.NegState = negStates[i]
			if n.NegState == "" {
				n.NegState = "unknown"
			}
		}
	}
	if m, ok := field(seq, 1); ok && m.is(classUniversal, tagOID) {
		n.SupportedMech = MechName(oidString(m.content))
	}
	if tok, ok := field(seq, 2); ok && tok.is(classUniversal, tagOctetString) {
		n.inner(tok.content)
	}
}

// inner decodes a mechToken or responseToken.
func (n *Negotiation) inner(b []byte) {
	if len(b) >= ntlmHeaderLen && string(b[:8]) == string(ntlmSignature) {
		m, _ := ParseNTLM(b)
		n.Mechanism = "NTLM"
		n.NTLM = &m
		return
	}
	if k, ok := parseKerberos(b); ok {
		n.Mechanism = "Kerberos"
		n.Kerberos = &k
		n.Truncated = n.Truncated || k.Truncated
		return
	}
	if n.SupportedMech != "" {
		n.Mechanism = n.SupportedMech
	}
}
