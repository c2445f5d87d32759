package auth

import "strings"

// NTLMFlags is the NegotiateFlags field of an NTLM message (MS-NLMP
// 2.2.2.5). Reports show it by name because the flags answer questions
// like "did the client ask for signing" or "are the strings Unicode".
type NTLMFlags uint32

// The NegotiateFlags bits a diagnosis can use, named as in MS-NLMP.
const (
	FlagUnicode                 NTLMFlags = 0x00000001
	FlagOEM                     NTLMFlags = 0x00000002
	FlagRequestTarget           NTLMFlags = 0x00000004
	FlagSign                    NTLMFlags = 0x00000010
	FlagSeal                    NTLMFlags = 0x00000020
	FlagDatagram                NTLMFlags = 0x00000040
	FlagLMKey                   NTLMFlags = 0x00000080
	FlagNTLM                    NTLMFlags = 0x00000200
	FlagAnonymous               NTLMFlags = 0x00000800
	FlagOEMDomainSupplied       NTLMFlags = 0x00001000
	FlagOEMWorkstationSupplied  NTLMFlags = 0x00002000
	FlagAlwaysSign              NTLMFlags = 0x00008000
	FlagTargetTypeDomain        NTLMFlags = 0x00010000
	FlagTargetTypeServer        NTLMFlags = 0x00020000
	FlagExtendedSessionSecurity NTLMFlags = 0x00080000
	FlagIdentify                NTLMFlags = 0x00100000
	FlagRequestNonNTSessionKey  NTLMFlags = 0x00400000
	FlagTargetInfo              NTLMFlags = 0x00800000
	FlagVersion                 NTLMFlags = 0x02000000
	Flag128                     NTLMFlags = 0x20000000
	FlagKeyExchange             NTLMFlags = 0x40000000
	Flag56                      NTLMFlags = 0x80000000
)

// ntlmFlagNames lists the flags in bit order with their MS-NLMP names
// (without the NTLMSSP_ prefix), which is what admins search for.
var ntlmFlagNames = []struct {
	flag NTLMFlags
	name string
}{
	{FlagUnicode, "NEGOTIATE_UNICODE"},
	{FlagOEM, "NEGOTIATE_OEM"},
	{FlagRequestTarget, "REQUEST_TARGET"},
	{FlagSign, "NEGOTIATE_SIGN"},
	{FlagSeal, "NEGOTIATE_SEAL"},
	{FlagDatagram, "NEGOTIATE_DATAGRAM"},
	{FlagLMKey, "NEGOTIATE_LM_KEY"},
	{FlagNTLM, "NEGOTIATE_NTLM"},
	{FlagAnonymous, "ANONYMOUS"},
	{FlagOEMDomainSupplied, "NEGOTIATE_OEM_DOMAIN_SUPPLIED"},
	{FlagOEMWorkstationSupplied, "NEGOTIATE_OEM_WORKSTATION_SUPPLIED"},
	{FlagAlwaysSign, "NEGOTIATE_ALWAYS_SIGN"},
	{FlagTargetTypeDomain, "TARGET_TYPE_DOMAIN"},
	{FlagTargetTypeServer, "TARGET_TYPE_SERVER"},
	{FlagExtendedSessionSecurity, "NEGOTIATE_EXTENDED_SESSIONSECURITY"},
	{FlagIdentify, "NEGOTIATE_IDENTIFY"},
	{FlagRequestNonNTSessionKey, "REQUEST_NON_NT_SESSION_KEY"},
	{FlagTargetInfo, "NEGOTIATE_TARGET_INFO"},
	{FlagVersion, "NEGOTIATE_VERSION"},
	{Flag128, "NEGOTIATE_128"},
	{FlagKeyExchange, "NEGOTIATE_KEY_EXCH"},
	{Flag56, "NEGOTIATE_56"},
}

// Has reports whether every bit of f2 is set.
func (f NTLMFlags) Has(f2 NTLMFlags) bool { return f&f2 == f2 }

// Names returns the names of the set flags in bit order; unnamed bits
// are left out.
func (f NTLMFlags) Names() []string {
	var out []string
	for _, n := range ntlmFlagNames {
		if f&n.flag != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// String joins Names with "|", the way network analysers show them.
func (f NTLMFlags) String() string { return strings.Join(f.Names(), "|") }
