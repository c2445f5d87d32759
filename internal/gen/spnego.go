package gen

import (
	"encoding/base64"
	"math/rand"
)

// Object identifiers in DER.
var (
	oidSPNEGO     = []byte{0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02}                   // 1.3.6.1.5.5.2
	oidMSKerberos = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02} // 1.2.840.48018.1.2.2
	oidKerberos   = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02} // 1.2.840.113554.1.2.2
	oidNTLM       = []byte{0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a}
)

// KerberosToken returns the base64 SPNEGO NegTokenInit that Windows sends
// as "Authorization: Negotiate YII…": an [APPLICATION 0] (0x60) wrapper
// with the SPNEGO OID, the mechanism list (MS Kerberos, Kerberos, NTLM),
// and a Kerberos AP-REQ mechToken of about size bytes. The AP-REQ's
// ticket and authenticator are random bytes of the right shape: enough for
// decoders that look at tags and OIDs, not for a KDC. A size of 12000 and
// more reproduces the token bloat of users in many groups.
func KerberosToken(seed int64, size int) string {
	rng := rand.New(rand.NewSource(seed))
	if size < 300 {
		size = 300
	}
	opaque := make([]byte, size-120)
	rng.Read(opaque)
	// AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno 5, msg-type 14, ... }
	apReq := der(0x6e, der(0x30, concat(
		der(0xa0, der(0x02, []byte{5})),
		der(0xa1, der(0x02, []byte{14})),
		der(0xa2, der(0x03, []byte{0, 0x20, 0, 0, 0})),
		der(0xa3, der(0x61, der(0x30, der(0x04, opaque)))),
	)))
	mechToken := der(0x60, concat(oidKerberos, []byte{0x01, 0x00}, apReq))
	mechTypes := der(0x30, concat(oidMSKerberos, oidKerberos, oidNTLM))
	negTokenInit := der(0xa0, der(0x30, concat(der(0xa0, mechTypes), der(0xa2, der(0x04, mechToken)))))
	return base64.StdEncoding.EncodeToString(der(0x60, concat(oidSPNEGO, negTokenInit)))
}

// der encodes one tag-length-value with a definite length.
func der(tag byte, body []byte) []byte {
	n := len(body)
	var length []byte
	switch {
	case n < 0x80:
		length = []byte{byte(n)}
	case n < 0x100:
		length = []byte{0x81, byte(n)}
	case n < 0x10000:
		length = []byte{0x82, byte(n >> 8), byte(n)}
	default:
		length = []byte{0x83, byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return concat([]byte{tag}, length, body)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
