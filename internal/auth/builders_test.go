package auth

import (
	"encoding/base64"
	"encoding/binary"
	"unicode/utf16"
)

// Builders for real-looking tokens. They follow MS-NLMP, RFC 4178 and
// RFC 4120 so that the tests also check the decoders against the specs.

func le16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func le32(v uint32) []byte {
	return binary.LittleEndian.AppendUint32(nil, v)
}

func encodeString(s string, unicode bool) []byte {
	if !unicode {
		return []byte(s)
	}
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// ntlmBuilder lays out an NTLM message: fixed header of size fixed, with
// field descriptors pointing into a payload appended after it.
type ntlmBuilder struct {
	head    []byte
	payload []byte
	fixed   int
}

func newNTLM(msgType uint32, fixed int) *ntlmBuilder {
	b := &ntlmBuilder{fixed: fixed, head: make([]byte, fixed)}
	copy(b.head, "NTLMSSP\x00")
	copy(b.head[8:], le32(msgType))
	return b
}

func (b *ntlmBuilder) field(off int, data []byte) {
	copy(b.head[off:], le16(len(data)))
	copy(b.head[off+2:], le16(len(data)))
	copy(b.head[off+4:], le32(uint32(b.fixed+len(b.payload))))
	b.payload = append(b.payload, data...)
}

func (b *ntlmBuilder) put32(off int, v uint32) { copy(b.head[off:], le32(v)) }

func (b *ntlmBuilder) bytes() []byte { return append(append([]byte(nil), b.head...), b.payload...) }

// version10 is the VERSION field of Windows 10 build 19041.
var version10 = []byte{10, 0, 0x61, 0x4a, 0, 0, 0, 15}

const winFlags = uint32(FlagUnicode | FlagRequestTarget | FlagSign | FlagNTLM | FlagAlwaysSign |
	FlagExtendedSessionSecurity | FlagTargetInfo | FlagVersion | Flag128 | FlagKeyExchange | Flag56)

func ntlmType1(domain, workstation string) []byte {
	b := newNTLM(1, 40)
	flags := winFlags &^ uint32(FlagTargetInfo)
	if domain != "" {
		flags |= uint32(FlagOEMDomainSupplied)
	}
	if workstation != "" {
		flags |= uint32(FlagOEMWorkstationSupplied)
	}
	b.put32(12, flags)
	b.field(16, []byte(domain))
	b.field(24, []byte(workstation))
	copy(b.head[32:], version10)
	return b.bytes()
}

func avPair(id int, v []byte) []byte { return append(append(le16(id), le16(len(v))...), v...) }

func ntlmType2(target string, info map[int]string) []byte {
	b := newNTLM(2, 56)
	b.put32(20, winFlags|uint32(FlagTargetTypeDomain))
	b.field(12, encodeString(target, true))
	copy(b.head[24:], []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef})
	var ti []byte
	for id := 1; id <= 9; id++ {
		if v, ok := info[id]; ok {
			ti = append(ti, avPair(id, encodeString(v, true))...)
		}
	}
	ti = append(ti, avPair(0, nil)...)
	b.field(40, ti)
	copy(b.head[48:], version10)
	return b.bytes()
}

// ntlmv2Response builds NTProofStr + client challenge + AV pairs, padded
// with zeros to at least size bytes.
func ntlmv2Response(mic bool, cbt []byte, spn string, size int) []byte {
	r := make([]byte, 16) // NTProofStr
	r = append(r, 1, 1, 0, 0, 0, 0, 0, 0)
	r = append(r, make([]byte, 8)...)                             // timestamp
	r = append(r, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 0, 0, 0, 0) // client challenge + reserved
	r = append(r, avPair(2, encodeString("CONTOSO", true))...)
	if mic {
		r = append(r, avPair(6, le32(2))...)
	}
	if cbt != nil {
		r = append(r, avPair(10, cbt)...)
	}
	if spn != "" {
		r = append(r, avPair(9, encodeString(spn, true))...)
	}
	r = append(r, avPair(0, nil)...)
	for len(r) < size {
		r = append(r, 0)
	}
	return r
}

type type3 struct {
	flags                     uint32
	lm, nt                    []byte
	domain, user, workstation string
}

func ntlmType3(t type3) []byte {
	b := newNTLM(3, 88)
	unicode := NTLMFlags(t.flags).Has(FlagUnicode)
	b.field(12, t.lm)
	b.field(20, t.nt)
	b.field(28, encodeString(t.domain, unicode))
	b.field(36, encodeString(t.user, unicode))
	b.field(44, encodeString(t.workstation, unicode))
	b.field(52, make([]byte, 16))
	b.put32(60, t.flags)
	copy(b.head[64:], version10)
	return b.bytes()
}

// der encodes one DER element.
func der(tag byte, content ...[]byte) []byte {
	var c []byte
	for _, p := range content {
		c = append(c, p...)
	}
	out := []byte{tag}
	switch n := len(c); {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, c...)
}

var (
	oidSPNEGOBytes   = []byte{0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02}
	oidKerberosBytes = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}
	oidMSKrbBytes    = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02}
	oidNTLMBytes     = []byte{0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a}
)

func derInteger(v byte) []byte { return der(0x02, []byte{v}) }
func genStr(s string) []byte   { return der(0x1b, []byte(s)) }

// apReq is a GSS-wrapped Kerberos AP-REQ for service/host@realm with a
// ticket of cipherLen bytes (large tickets carry big PACs).
func apReq(realm, service, host string, etype byte, cipherLen int) []byte {
	ticket := der(0x61, der(0x30,
		der(0xa0, derInteger(5)),
		der(0xa1, genStr(realm)),
		der(0xa2, der(0x30, der(0xa0, derInteger(2)), der(0xa1, der(0x30, genStr(service), genStr(host))))),
		der(0xa3, der(0x30, der(0xa0, derInteger(etype)), der(0xa1, derInteger(7)), der(0xa2, der(0x04, make([]byte, cipherLen))))),
	))
	req := der(0x6e, der(0x30,
		der(0xa0, derInteger(5)),
		der(0xa1, derInteger(14)),
		der(0xa2, der(0x03, []byte{0, 0x20, 0, 0, 0})),
		der(0xa3, ticket),
		der(0xa4, der(0x30, der(0xa0, derInteger(etype)), der(0xa2, der(0x04, make([]byte, 300))))),
	))
	return der(0x60, oidKerberosBytes, []byte{0x01, 0x00}, req)
}

func krbError(code byte) []byte {
	e := der(0x7e, der(0x30,
		der(0xa0, derInteger(5)),
		der(0xa1, derInteger(30)),
		der(0xa4, der(0x18, []byte("20240101000000Z"))),
		der(0xa5, derInteger(0)),
		der(0xa6, derInteger(code)),
		der(0xa9, genStr("CONTOSO.COM")),
		der(0xaa, der(0x30, der(0xa0, derInteger(2)), der(0xa1, der(0x30, genStr("HTTP"), genStr("mail.contoso.com"))))),
	))
	return der(0x60, oidKerberosBytes, []byte{0x03, 0x00}, e)
}

func negTokenInit(mechToken []byte, mechs ...[]byte) []byte {
	var list []byte
	for _, m := range mechs {
		list = append(list, m...)
	}
	body := der(0x30, der(0xa0, der(0x30, list)), der(0xa2, der(0x04, mechToken)))
	return der(0x60, oidSPNEGOBytes, der(0xa0, body))
}

func negTokenResp(state byte, mech []byte, token []byte) []byte {
	parts := [][]byte{der(0xa0, der(0x0a, []byte{state}))}
	if mech != nil {
		parts = append(parts, der(0xa1, mech))
	}
	if token != nil {
		parts = append(parts, der(0xa2, der(0x04, token)))
	}
	return der(0xa1, der(0x30, parts...))
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
