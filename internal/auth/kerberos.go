package auth

import (
	"strconv"
	"strings"
)

// Kerberos is what can be read from a Kerberos token without keys: the
// message type, and for an AP-REQ the ticket's realm, service principal
// and encryption type; for a KRB-ERROR the error code. The service
// principal is what SPN problems (KRB_AP_ERR_MODIFIED,
// SEC_E_WRONG_PRINCIPAL) are about.
type Kerberos struct {
	// Message is "AP-REQ", "AP-REP", "KRB-ERROR" or "".
	Message string `json:"message,omitempty"`
	// Realm and ServicePrincipal come from the ticket (AP-REQ) or the
	// error (KRB-ERROR), e.g. "CONTOSO.COM" and "HTTP/mail.contoso.com".
	Realm            string `json:"realm,omitempty"`
	ServicePrincipal string `json:"servicePrincipal,omitempty"`
	// TicketEncryption names the ticket's etype, e.g. "aes256-cts-hmac-sha1-96".
	TicketEncryption string `json:"ticketEncryption,omitempty"`
	// ErrorCode and ErrorName come from a KRB-ERROR (RFC 4120 7.5.9).
	ErrorCode int    `json:"errorCode,omitempty"`
	ErrorName string `json:"errorName,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
}

// etypeNames names the encryption types seen in Windows tickets (RFC 3961,
// RFC 4757, RFC 3962).
var etypeNames = map[int]string{
	1:  "des-cbc-crc",
	3:  "des-cbc-md5",
	17: "aes128-cts-hmac-sha1-96",
	18: "aes256-cts-hmac-sha1-96",
	23: "rc4-hmac",
	24: "rc4-hmac-exp",
}

// krbErrors names the KRB-ERROR codes (RFC 4120 7.5.9) a web server's
// Negotiate response can carry.
var krbErrors = map[int]string{
	6:  "KDC_ERR_C_PRINCIPAL_UNKNOWN",
	7:  "KDC_ERR_S_PRINCIPAL_UNKNOWN",
	14: "KDC_ERR_ETYPE_NOSUPP",
	24: "KDC_ERR_PREAUTH_FAILED",
	25: "KDC_ERR_PREAUTH_REQUIRED",
	31: "KRB_AP_ERR_BAD_INTEGRITY",
	32: "KRB_AP_ERR_TKT_EXPIRED",
	33: "KRB_AP_ERR_TKT_NYV",
	34: "KRB_AP_ERR_REPEAT",
	35: "KRB_AP_ERR_NOT_US",
	36: "KRB_AP_ERR_BADMATCH",
	37: "KRB_AP_ERR_SKEW",
	41: "KRB_AP_ERR_MODIFIED",
	44: "KRB_AP_ERR_BADKEYVER",
	60: "KRB_ERR_GENERIC",
	68: "KDC_ERR_WRONG_REALM",
}

// Kerberos application tags (RFC 4120 5.10).
const (
	appTicket   = 1
	appAPREQ    = 14
	appAPREP    = 15
	appKRBError = 30
)

// parseKerberos decodes a GSS-API wrapped Kerberos token (0x60, Kerberos
// OID, two-byte token ID, message).
func parseKerberos(b []byte) (Kerberos, bool) {
	top, _, truncated, ok := readDER(b)
	if !ok || !top.is(classApplication, 0) {
		return Kerberos{}, false
	}
	oid, rest, _, ok := readDER(top.content)
	if !ok || !oid.is(classUniversal, tagOID) {
		return Kerberos{}, false
	}
	switch oidString(oid.content) {
	case OIDKerberos, OIDKerberosMS, OIDKerberosU2U:
	default:
		return Kerberos{}, false
	}
	k := parseKerberosBody(rest)
	k.Truncated = k.Truncated || truncated
	return k, true
}

// parseKerberosBody decodes what follows the OID: the token ID and the
// Kerberos message.
func parseKerberosBody(b []byte) Kerberos {
	var k Kerberos
	if len(b) < 2 {
		return k
	}
	msg, _, truncated, ok := readDER(b[2:])
	k.Truncated = truncated
	if !ok || msg.class != classApplication {
		return k
	}
	switch msg.tag {
	case appAPREQ:
		k.Message = "AP-REQ"
		k.ticket(sequenceIn(msg))
	case appAPREP:
		k.Message = "AP-REP"
	case appKRBError:
		k.Message = "KRB-ERROR"
		k.krbError(sequenceIn(msg))
	}
	return k
}

// ticket reads AP-REQ [3] Ticket ::= [APPLICATION 1] SEQUENCE { [0]
// tkt-vno, [1] realm, [2] sname, [3] enc-part }.
func (k *Kerberos) ticket(apreq []derValue) {
	t, ok := field(apreq, 3)
	if !ok || !t.is(classApplication, appTicket) {
		return
	}
	seq := sequenceIn(t)
	k.Realm = generalString(seq, 1)
	k.ServicePrincipal = principalName(seq, 2)
	if enc, ok := field(seq, 3); ok && enc.is(classUniversal, tagSequence) {
		if et, ok := field(enc.children(), 0); ok && et.is(classUniversal, tagInteger) {
			if n, ok := derInt(et); ok {
				k.TicketEncryption = etypeNames[n]
				if k.TicketEncryption == "" {
					k.TicketEncryption = "etype " + strconv.Itoa(n)
				}
			}
		}
	}
}

// krbError reads KRB-ERROR fields [6] error-code, [9] realm, [10] sname.
func (k *Kerberos) krbError(seq []derValue) {
	if c, ok := field(seq, 6); ok && c.is(classUniversal, tagInteger) {
		if n, ok := derInt(c); ok {
			k.ErrorCode = n
			k.ErrorName = krbErrors[n]
		}
	}
	k.Realm = generalString(seq, 9)
	k.ServicePrincipal = principalName(seq, 10)
}

func generalString(seq []derValue, n int) string {
	v, ok := field(seq, n)
	if !ok || !v.is(classUniversal, tagGeneralString) {
		return ""
	}
	return printable(string(v.content))
}

// principalName joins PrincipalName's name-string parts with "/".
func principalName(seq []derValue, n int) string {
	v, ok := field(seq, n)
	if !ok || !v.is(classUniversal, tagSequence) {
		return ""
	}
	parts, ok := field(v.children(), 1)
	if !ok || !parts.is(classUniversal, tagSequence) {
		return ""
	}
	var names []string
	for _, p := range parts.children() {
		if p.is(classUniversal, tagGeneralString) && len(names) < 8 {
			names = append(names, string(p.content))
		}
	}
	return printable(strings.Join(names, "/"))
}
