package auth

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// NTLMMessage is what an NTLM message (MS-NLMP 2.2.1) tells about a
// handshake. Secrets (responses, session keys) are never kept; the user
// name is kept for --no-redact and is excluded from JSON.
type NTLMMessage struct {
	// Type is 1 (NEGOTIATE), 2 (CHALLENGE) or 3 (AUTHENTICATE).
	Type  int       `json:"type"`
	Flags NTLMFlags `json:"flags"`
	// Version is the OS version the sender put in its VERSION field,
	// e.g. "10.0.19041", when NEGOTIATE_VERSION is set.
	Version string `json:"version,omitempty"`

	// Domain and Workstation: optional in type 1, the client's account
	// domain and machine name in type 3.
	Domain      string `json:"domain,omitempty"`
	Workstation string `json:"workstation,omitempty"`
	// User is the account name from a type 3 message; personal data.
	User string `json:"-"`

	// TargetName (type 2) is the server's domain or machine name.
	TargetName string `json:"targetName,omitempty"`
	// Challenge is the type 2 server challenge.
	Challenge []byte `json:"-"`
	// TargetInfo holds the AV pairs of a type 2 message (MsvAvNbDomainName
	// …), keyed by the names in targetInfoNames.
	TargetInfo map[string]string `json:"targetInfo,omitempty"`

	// LMResponseLen and NTResponseLen are the type 3 response lengths,
	// which tell NTLMv1 from NTLMv2.
	LMResponseLen int `json:"lmResponseLen,omitempty"`
	NTResponseLen int `json:"ntResponseLen,omitempty"`
	// ResponseVersion is "NTLMv2", "NTLMv1", "NTLMv1 with ESS", "LM" or
	// "anonymous" for type 3 messages.
	ResponseVersion string `json:"responseVersion,omitempty"`
	// MIC is true when an NTLMv2 response says a message integrity code
	// is present (MsvAvFlags bit 0x2).
	MIC bool `json:"mic,omitempty"`
	// ChannelBinding is "present", "zero" (the all-zero hash clients send
	// without TLS channel information) or "" when the AV pair is absent.
	// Extended Protection fails (SEC_E_BAD_BINDINGS) when the hash does
	// not match the TLS channel IIS sees, e.g. behind SSL offloading.
	ChannelBinding string `json:"channelBinding,omitempty"`
	// ServicePrincipal is the MsvAvTargetName the client put in its NTLMv2
	// response, e.g. "HTTP/mail.contoso.com".
	ServicePrincipal string `json:"servicePrincipal,omitempty"`

	// Problems lists fields that point outside the message or are
	// otherwise malformed; a hostile or truncated token fills it instead
	// of failing.
	Problems []string `json:"problems,omitempty"`
}

// ErrNotNTLM is returned by ParseNTLM for input without the NTLMSSP
// signature.
var ErrNotNTLM = errors.New("not an NTLM message")

// ntlmHeaderLen is the fixed part every decoder reads before the type
// specific fields.
const ntlmHeaderLen = 12

// ParseNTLM decodes an NTLM message. It reads only inside b, whatever the
// offsets in the message say, and reports bad fields in Problems; the
// error is set only when b is not an NTLM message at all.
func ParseNTLM(b []byte) (NTLMMessage, error) {
	if len(b) < ntlmHeaderLen || string(b[:8]) != string(ntlmSignature) {
		return NTLMMessage{}, ErrNotNTLM
	}
	m := NTLMMessage{Type: int(binary.LittleEndian.Uint32(b[8:12]))}
	switch m.Type {
	case 1:
		m.parseNegotiate(b)
	case 2:
		m.parseChallenge(b)
	case 3:
		m.parseAuthenticate(b)
	default:
		m.problem("unknown message type %d", m.Type)
	}
	return m, nil
}

func (m *NTLMMessage) problem(format string, args ...any) {
	if len(m.Problems) < 8 {
		m.Problems = append(m.Problems, fmt.Sprintf(format, args...))
	}
}

// u32 reads a little-endian uint32 at off, or reports a short message.
func (m *NTLMMessage) u32(b []byte, off int) uint32 {
	if off+4 > len(b) {
		m.problem("message ends at %d bytes, before offset %d", len(b), off+4)
		return 0
	}
	return binary.LittleEndian.Uint32(b[off:])
}

// payload resolves a (Len, MaxLen, Offset) field descriptor at off.
func (m *NTLMMessage) payload(b []byte, off int, name string) []byte {
	if off+8 > len(b) {
		m.problem("%s: descriptor past end of message", name)
		return nil
	}
	n := uint64(binary.LittleEndian.Uint16(b[off:]))
	start := uint64(binary.LittleEndian.Uint32(b[off+4:]))
	if n == 0 {
		return nil
	}
	if start+n > uint64(len(b)) {
		m.problem("%s: %d bytes at offset %d lie outside the %d-byte message", name, n, start, len(b))
		return nil
	}
	return b[start : start+n]
}

func (m *NTLMMessage) version(b []byte, off int) {
	if !m.Flags.Has(FlagVersion) || off+8 > len(b) {
		return
	}
	build := binary.LittleEndian.Uint16(b[off+2:])
	m.Version = fmt.Sprintf("%d.%d.%d", b[off], b[off+1], build)
}

func (m *NTLMMessage) parseNegotiate(b []byte) {
	m.Flags = NTLMFlags(m.u32(b, 12))
	if len(b) < 32 {
		return // the oldest clients send only signature, type and flags
	}
	// Type 1 strings are always OEM (MS-NLMP 2.2.1.1).
	if m.Flags.Has(FlagOEMDomainSupplied) {
		m.Domain = oemString(m.payload(b, 16, "DomainName"))
	}
	if m.Flags.Has(FlagOEMWorkstationSupplied) {
		m.Workstation = oemString(m.payload(b, 24, "Workstation"))
	}
	m.version(b, 32)
}

func (m *NTLMMessage) parseChallenge(b []byte) {
	m.Flags = NTLMFlags(m.u32(b, 20))
	m.TargetName = m.text(m.payload(b, 12, "TargetName"))
	if len(b) >= 32 {
		m.Challenge = append([]byte(nil), b[24:32]...)
	}
	if len(b) >= 48 {
		m.TargetInfo = m.targetInfo(m.payload(b, 40, "TargetInfo"))
		m.version(b, 48)
	}
}

func (m *NTLMMessage) parseAuthenticate(b []byte) {
	m.Flags = NTLMFlags(m.u32(b, 60))
	lm := m.payload(b, 12, "LmChallengeResponse")
	nt := m.payload(b, 20, "NtChallengeResponse")
	m.Domain = m.text(m.payload(b, 28, "DomainName"))
	m.User = m.text(m.payload(b, 36, "UserName"))
	m.Workstation = m.text(m.payload(b, 44, "Workstation"))
	m.LMResponseLen, m.NTResponseLen = len(lm), len(nt)
	m.version(b, 64)
	switch {
	case len(nt) > 24:
		m.ResponseVersion = "NTLMv2"
		m.ntlmv2(nt)
	case len(nt) == 24 && m.Flags.Has(FlagExtendedSessionSecurity):
		m.ResponseVersion = "NTLMv1 with ESS"
	case len(nt) == 24:
		m.ResponseVersion = "NTLMv1"
	case len(nt) == 0 && len(lm) <= 1:
		m.ResponseVersion = "anonymous"
	case len(nt) == 0 && len(lm) == 24:
		m.ResponseVersion = "LM"
	default:
		m.ResponseVersion = fmt.Sprintf("unknown (NT response %d bytes)", len(nt))
	}
}

// ntlmv2 reads the AV pairs of an NTLMv2 response: 16 bytes NTProofStr,
// then a 28-byte client challenge header (MS-NLMP 2.2.2.7).
func (m *NTLMMessage) ntlmv2(nt []byte) {
	const avStart = 16 + 28
	if len(nt) < avStart {
		m.problem("NTLMv2 response of %d bytes is too short", len(nt))
		return
	}
	walkAVPairs(nt[avStart:], func(id uint16, v []byte) {
		switch id {
		case avFlags:
			if len(v) >= 4 && binary.LittleEndian.Uint32(v)&0x2 != 0 {
				m.MIC = true
			}
		case avChannelBindings:
			m.ChannelBinding = "present"
			if allZero(v) {
				m.ChannelBinding = "zero"
			}
		case avTargetName:
			m.ServicePrincipal = utf16String(v)
		}
	})
}

// AV pair IDs (MS-NLMP 2.2.2.1).
const (
	avEOL             = 0
	avFlags           = 6
	avTargetName      = 9
	avChannelBindings = 10
)

var targetInfoNames = map[uint16]string{
	1: "NetBIOSComputer",
	2: "NetBIOSDomain",
	3: "DNSComputer",
	4: "DNSDomain",
	5: "DNSTree",
	9: "TargetName",
}

func (m *NTLMMessage) targetInfo(b []byte) map[string]string {
	out := map[string]string{}
	walkAVPairs(b, func(id uint16, v []byte) {
		if name, ok := targetInfoNames[id]; ok {
			out[name] = utf16String(v)
		}
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// walkAVPairs calls fn for every AV pair up to MsvAvEOL or the end of b.
func walkAVPairs(b []byte, fn func(id uint16, v []byte)) {
	for i := 0; i < 64 && len(b) >= 4; i++ {
		id := binary.LittleEndian.Uint16(b)
		n := int(binary.LittleEndian.Uint16(b[2:]))
		if id == avEOL || 4+n > len(b) {
			return
		}
		fn(id, b[4:4+n])
		b = b[4+n:]
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// text decodes a string field using the encoding the flags announce.
func (m *NTLMMessage) text(b []byte) string {
	if m.Flags.Has(FlagUnicode) {
		return utf16String(b)
	}
	return oemString(b)
}

// maxNameRunes caps decoded names so a hostile token cannot flood a
// report.
const maxNameRunes = 256

func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, binary.LittleEndian.Uint16(b[i:]))
	}
	return printable(string(utf16.Decode(u)))
}

// oemString decodes an OEM string. The OEM code page is unknown here, so
// bytes outside ASCII become U+FFFD rather than a guess.
func oemString(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c < 0x80 {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(utf8.RuneError)
		}
	}
	return printable(sb.String())
}

// printable replaces control characters (a token could carry newlines or
// terminal escapes into a report) and caps the length.
func printable(s string) string {
	var sb strings.Builder
	n := 0
	for _, r := range s {
		if n == maxNameRunes {
			sb.WriteString("…")
			break
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0x202e {
			r = utf8.RuneError
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}
