package gen

import (
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/frebscan/frebscan/internal/auth"
)

func TestNTLMMessages(t *testing.T) {
	tests := []struct {
		token string
		typ   int
	}{
		{NTLMNegotiate(), 1},
		{NTLMChallenge(1, "CONTOSO", "EX16-01", "contoso.com"), 2},
		{NTLMAuthenticate(1, "CONTOSO", "jdoe", "JDOE-MBP"), 3},
	}
	for _, tt := range tests {
		c := auth.Parse("NTLM " + tt.token)
		if c.Mechanism != "NTLM" || c.NTLMType != tt.typ {
			t.Errorf("type %d: parsed as %+v", tt.typ, c)
		}
	}
	if !strings.HasPrefix(NTLMNegotiate(), "TlRMTVNTUAAB") {
		t.Error("type 1 does not start like Windows' TlRMTVNTUAAB")
	}
}

// TestNTLMAuthenticateFields decodes the type 3 security buffers as a
// downstream decoder would (MS-NLMP 2.2.1.3).
func TestNTLMAuthenticateFields(t *testing.T) {
	raw, err := base64.StdEncoding.DecodeString(NTLMAuthenticate(7, "CONTOSO", "jdoe", "JDOE-MBP"))
	if err != nil {
		t.Fatal(err)
	}
	field := func(at int) string {
		n := binary.LittleEndian.Uint16(raw[at:])
		off := binary.LittleEndian.Uint32(raw[at+4:])
		u := make([]uint16, n/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(raw[int(off)+2*i:])
		}
		return string(utf16.Decode(u))
	}
	if d, u, w := field(28), field(36), field(44); d != "CONTOSO" || u != "jdoe" || w != "JDOE-MBP" {
		t.Errorf("domain, user, workstation = %q, %q, %q", d, u, w)
	}
}

func TestKerberosToken(t *testing.T) {
	for _, size := range []int{1600, 14000} {
		tok := KerberosToken(1, size)
		if !strings.HasPrefix(tok, "YII") {
			t.Errorf("size %d: token starts %q, want YII", size, tok[:6])
		}
		c := auth.Parse("Negotiate " + tok)
		if c.Mechanism != "Kerberos" {
			t.Errorf("size %d: mechanism %q", size, c.Mechanism)
		}
		raw, _ := base64.StdEncoding.DecodeString(tok)
		if len(raw) < size-200 || len(raw) > size+200 {
			t.Errorf("size %d: token is %d bytes", size, len(raw))
		}
		if !strings.Contains(string(raw), string(oidKerberos)) {
			t.Errorf("size %d: no Kerberos OID", size)
		}
	}
}
