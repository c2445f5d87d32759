package auth

import (
	"strings"
	"testing"
)

func exampleType3() []byte {
	return ntlmType3(type3{
		flags: winFlags, lm: make([]byte, 24),
		nt:     ntlmv2Response(true, make([]byte, 16), "HTTP/mail.contoso.com", 254),
		domain: "CONTOSO", user: "jdoe", workstation: "MACBOOK",
	})
}

func TestParseNTLM(t *testing.T) {
	tests := []struct {
		name  string
		msg   []byte
		check func(t *testing.T, m NTLMMessage)
	}{
		{"type 1 with domain and workstation", ntlmType1("CONTOSO", "WS01"), func(t *testing.T, m NTLMMessage) {
			want(t, m.Type, 1)
			want(t, m.Domain, "CONTOSO")
			want(t, m.Workstation, "WS01")
			want(t, m.Version, "10.0.19041")
			want(t, m.Flags.Has(FlagOEMDomainSupplied), true)
		}},
		{"type 1 bare", ntlmType1("", ""), func(t *testing.T, m NTLMMessage) {
			want(t, m.Domain, "")
			want(t, m.Workstation, "")
			want(t, len(m.Problems), 0)
		}},
		{"type 1 legacy 16 bytes", append([]byte("NTLMSSP\x00"), 1, 0, 0, 0, 7, 0x82, 0, 0), func(t *testing.T, m NTLMMessage) {
			want(t, m.Type, 1)
			want(t, m.Flags.Has(FlagUnicode|FlagNTLM), true)
		}},
		{"type 2", ntlmType2("CONTOSO", map[int]string{2: "CONTOSO", 1: "EXCH01", 3: "exch01.contoso.com", 4: "contoso.com"}), func(t *testing.T, m NTLMMessage) {
			want(t, m.Type, 2)
			want(t, m.TargetName, "CONTOSO")
			want(t, m.TargetInfo["DNSComputer"], "exch01.contoso.com")
			want(t, m.TargetInfo["NetBIOSComputer"], "EXCH01")
			want(t, len(m.Challenge), 8)
		}},
		{"type 3 NTLMv2 with MIC and CBT", exampleType3(), func(t *testing.T, m NTLMMessage) {
			want(t, m.Type, 3)
			want(t, m.ResponseVersion, "NTLMv2")
			want(t, m.Domain, "CONTOSO")
			want(t, m.User, "jdoe")
			want(t, m.Workstation, "MACBOOK")
			want(t, m.MIC, true)
			want(t, m.ChannelBinding, "zero")
			want(t, m.ServicePrincipal, "HTTP/mail.contoso.com")
			want(t, m.NTResponseLen, 254)
		}},
		{"type 3 NTLMv2 with real channel binding", ntlmType3(type3{flags: winFlags, nt: ntlmv2Response(false, []byte("0123456789abcdef"), "", 0), user: "u"}), func(t *testing.T, m NTLMMessage) {
			want(t, m.ChannelBinding, "present")
			want(t, m.MIC, false)
		}},
		{"type 3 NTLMv1", ntlmType3(type3{flags: uint32(FlagUnicode | FlagNTLM), lm: make([]byte, 24), nt: make([]byte, 24), domain: "CONTOSO", user: "svc"}), func(t *testing.T, m NTLMMessage) {
			want(t, m.ResponseVersion, "NTLMv1")
		}},
		{"type 3 NTLMv1 with ESS", ntlmType3(type3{flags: winFlags, lm: make([]byte, 24), nt: make([]byte, 24)}), func(t *testing.T, m NTLMMessage) {
			want(t, m.ResponseVersion, "NTLMv1 with ESS")
		}},
		{"type 3 anonymous", ntlmType3(type3{flags: uint32(FlagUnicode | FlagAnonymous), lm: []byte{0}}), func(t *testing.T, m NTLMMessage) {
			want(t, m.ResponseVersion, "anonymous")
		}},
		{"type 3 OEM strings", ntlmType3(type3{flags: uint32(FlagOEM | FlagNTLM), nt: make([]byte, 24), domain: "CONTOSO", user: "j\xe9r\xf4me", workstation: "PC"}), func(t *testing.T, m NTLMMessage) {
			want(t, m.Domain, "CONTOSO")
			want(t, m.User, "j\uFFFDr\uFFFDme")
		}},
		{"control characters are neutralised", ntlmType3(type3{flags: winFlags, nt: make([]byte, 24), user: "evil\r\n\x1b[31m"}), func(t *testing.T, m NTLMMessage) {
			if strings.ContainsAny(m.User, "\r\n\x1b") {
				t.Errorf("User = %q keeps control characters", m.User)
			}
		}},
		{"offsets outside the message", func() []byte {
			b := exampleType3()
			copy(b[36+4:], le32(0xfffffff0)) // UserName offset
			return b
		}(), func(t *testing.T, m NTLMMessage) {
			want(t, m.User, "")
			want(t, len(m.Problems), 1)
		}},
		{"truncated type 3", exampleType3()[:70], func(t *testing.T, m NTLMMessage) {
			want(t, m.Type, 3)
			if len(m.Problems) == 0 {
				t.Error("no problems reported for a truncated message")
			}
		}},
		{"unknown type", append([]byte("NTLMSSP\x00"), 9, 0, 0, 0), func(t *testing.T, m NTLMMessage) {
			want(t, m.Type, 9)
			want(t, len(m.Problems), 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseNTLM(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, m)
		})
	}
}

func TestParseNTLMRejectsOtherData(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("NTLMSSP"), []byte("NTLMSSP\x01\x01\x00\x00\x00"), []byte("hello world, not ntlm")} {
		if _, err := ParseNTLM(b); err != ErrNotNTLM {
			t.Errorf("ParseNTLM(%q) error = %v, want ErrNotNTLM", b, err)
		}
	}
}

func TestNTLMFlagsString(t *testing.T) {
	want(t, (FlagUnicode | FlagNTLM | Flag56).String(), "NEGOTIATE_UNICODE|NEGOTIATE_NTLM|NEGOTIATE_56")
	want(t, NTLMFlags(0).String(), "")
}

func want[T comparable](t *testing.T, got, expected T) {
	t.Helper()
	if got != expected {
		t.Errorf("got %v, want %v", got, expected)
	}
}
