package gen

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand"
	"unicode/utf16"
)

// NTLM negotiate flags used by Windows and macOS clients (MS-NLMP 2.2.2.5).
const (
	ntlmUnicode       = 0x00000001
	ntlmRequestTarget = 0x00000004
	ntlmSign          = 0x00000010
	ntlmNTLM          = 0x00000200
	ntlmAlwaysSign    = 0x00008000
	ntlmTargetDomain  = 0x00010000
	ntlmExtSession    = 0x00080000
	ntlmTargetInfo    = 0x00800000
	ntlmVersion       = 0x02000000
	ntlm128           = 0x20000000
	ntlmKeyExch       = 0x40000000
	ntlm56            = 0x80000000
	ntlmClientFlags   = ntlmUnicode | ntlmRequestTarget | ntlmSign | ntlmNTLM | ntlmAlwaysSign | ntlmExtSession | ntlmVersion | ntlm128 | ntlmKeyExch | ntlm56
)

var ntlmSignature = []byte("NTLMSSP\x00")

// windowsVersion is the 8-byte VERSION structure: 10.0 build 17763, NTLM
// revision 15.
var windowsVersion = []byte{10, 0, 0x63, 0x45, 0, 0, 0, 15}

// NTLMNegotiate returns a base64 NTLM type 1 (NEGOTIATE_MESSAGE) as a
// client sends it first: no domain or workstation supplied.
func NTLMNegotiate() string {
	m := make([]byte, 40)
	copy(m, ntlmSignature)
	binary.LittleEndian.PutUint32(m[8:], 1)
	binary.LittleEndian.PutUint32(m[12:], ntlmClientFlags)
	// Domain and workstation fields stay empty; their offsets point at the
	// end of the fixed part as Windows writes them.
	binary.LittleEndian.PutUint32(m[20:], 40)
	binary.LittleEndian.PutUint32(m[28:], 40)
	copy(m[32:], windowsVersion)
	return base64.StdEncoding.EncodeToString(m)
}

// NTLMChallenge returns a base64 NTLM type 2 (CHALLENGE_MESSAGE) from a
// server in domain (NetBIOS name) on host, with a target info block.
func NTLMChallenge(seed int64, domain, host, dnsDomain string) string {
	rng := rand.New(rand.NewSource(seed))
	target := utf16le(domain)
	var info []byte
	for _, av := range []struct {
		id    uint16
		value string
	}{{2, domain}, {1, host}, {4, dnsDomain}, {3, host + "." + dnsDomain}, {5, dnsDomain}} {
		v := utf16le(av.value)
		info = binary.LittleEndian.AppendUint16(info, av.id)
		info = binary.LittleEndian.AppendUint16(info, uint16(len(v)))
		info = append(info, v...)
	}
	info = binary.LittleEndian.AppendUint16(info, 7) // MsvAvTimestamp
	info = binary.LittleEndian.AppendUint16(info, 8)
	info = binary.LittleEndian.AppendUint64(info, 133512345678901234+uint64(rng.Int63n(1e12)))
	info = append(info, 0, 0, 0, 0) // MsvAvEOL

	const fixed = 56
	m := make([]byte, fixed, fixed+len(target)+len(info))
	copy(m, ntlmSignature)
	binary.LittleEndian.PutUint32(m[8:], 2)
	putField(m[12:], len(target), fixed)
	binary.LittleEndian.PutUint32(m[20:], ntlmUnicode|ntlmRequestTarget|ntlmSign|ntlmNTLM|ntlmAlwaysSign|ntlmTargetDomain|ntlmExtSession|ntlmTargetInfo|ntlmVersion|ntlm128|ntlmKeyExch|ntlm56)
	rng.Read(m[24:32]) // server challenge
	putField(m[40:], len(info), fixed+len(target))
	copy(m[48:], windowsVersion)
	m = append(m, target...)
	m = append(m, info...)
	return base64.StdEncoding.EncodeToString(m)
}

// NTLMAuthenticate returns a base64 NTLM type 3 (AUTHENTICATE_MESSAGE)
// carrying domain, user and workstation in UTF-16LE, laid out per MS-NLMP
// 2.2.1.3: fixed header with six security buffers, version, MIC, then the
// payload (LM and NTLMv2 responses, names, session key).
func NTLMAuthenticate(seed int64, domain, user, workstation string) string {
	rng := rand.New(rand.NewSource(seed))
	const fixed = 88
	lm := make([]byte, 24)
	nt := make([]byte, 16+28+60) // NTProofStr, blob header, AV pairs
	rng.Read(nt)
	key := make([]byte, 16)
	rng.Read(key)
	d, u, w := utf16le(domain), utf16le(user), utf16le(workstation)

	m := make([]byte, fixed)
	copy(m, ntlmSignature)
	binary.LittleEndian.PutUint32(m[8:], 3)
	off := fixed
	var payload []byte
	for _, part := range []struct {
		at   int
		data []byte
	}{{28, d}, {36, u}, {44, w}, {12, lm}, {20, nt}, {52, key}} {
		putField(m[part.at:], len(part.data), off)
		payload = append(payload, part.data...)
		off += len(part.data)
	}
	binary.LittleEndian.PutUint32(m[60:], ntlmClientFlags)
	copy(m[64:], windowsVersion)
	rng.Read(m[72:88]) // MIC
	return base64.StdEncoding.EncodeToString(append(m, payload...))
}

// putField writes an NTLM security buffer: length, max length, offset.
func putField(b []byte, length, offset int) {
	binary.LittleEndian.PutUint16(b, uint16(length))
	binary.LittleEndian.PutUint16(b[2:], uint16(length))
	binary.LittleEndian.PutUint32(b[4:], uint32(offset))
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, r)
	}
	return b
}
