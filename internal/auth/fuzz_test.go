package auth

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"NTLM " + b64(exampleType3()),
		"Negotiate " + b64(negTokenInit(ntlmType1("", ""), oidNTLMBytes)),
		"Negotiate " + b64(negTokenInit(apReq("R", "HTTP", "h", 18, 10), oidKerberosBytes)),
		"Negotiate " + b64(negTokenResp(2, oidKerberosBytes, krbError(41))),
		"Basic amRvZTpwYXNz", "Bearer x.y.z", "Negotiate", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		c := Parse(value)
		_ = c.Summary()
		// Describe without showUser must not depend on the user name.
		other := withUser(c, "zz-other-user-zz")
		if a, b := c.Describe(false), other.Describe(false); a != b {
			t.Fatalf("Describe(false) depends on the user: %q vs %q", a, b)
		}
		if c.User != "" && c.Describe(true) == "" {
			t.Fatal("empty description")
		}
		j1, err1 := json.Marshal(c)
		j2, err2 := json.Marshal(other)
		if err1 != nil || err2 != nil || string(j1) != string(j2) {
			t.Fatalf("JSON depends on the user or fails: %v %v", err1, err2)
		}
		checkText(t, c.Describe(true))
		for _, ch := range ParseChallenges(value) {
			_ = ch.Param("realm")
		}
		_ = MeasureHeader("Authorization", value)
	})
}

// withUser replaces every non-empty user name in c.
func withUser(c Credentials, user string) Credentials {
	if c.User != "" {
		c.User = user
	}
	if c.NTLM != nil && c.NTLM.User != "" {
		m := *c.NTLM
		m.User = user
		c.NTLM = &m
		if c.Negotiation != nil {
			n := *c.Negotiation
			n.NTLM = &m
			c.Negotiation = &n
		}
	}
	return c
}

func FuzzNTLM(f *testing.F) {
	f.Add(exampleType3())
	f.Add(ntlmType1("CONTOSO", "WS01"))
	f.Add(ntlmType2("CONTOSO", map[int]string{1: "A", 3: "b.c"}))
	f.Add(ntlmType3(type3{flags: uint32(FlagOEM), nt: make([]byte, 24), user: "x"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseNTLM(b)
		if err != nil {
			return
		}
		for _, s := range []string{m.Domain, m.User, m.Workstation, m.TargetName, m.ServicePrincipal, m.Version} {
			checkText(t, s)
		}
		for _, v := range m.TargetInfo {
			checkText(t, v)
		}
		if m.NTResponseLen > len(b) || m.LMResponseLen > len(b) {
			t.Fatalf("response lengths %d/%d exceed the %d-byte message", m.LMResponseLen, m.NTResponseLen, len(b))
		}
	})
}

func FuzzSPNEGO(f *testing.F) {
	f.Add(negTokenInit(apReq("CONTOSO.COM", "HTTP", "mail", 18, 100), oidKerberosBytes, oidNTLMBytes))
	f.Add(negTokenInit(ntlmType1("", ""), oidNTLMBytes))
	f.Add(negTokenResp(1, oidNTLMBytes, ntlmType2("X", nil)))
	f.Add(negTokenResp(2, oidKerberosBytes, krbError(37)))
	f.Add(apReq("R", "HTTP", "h", 23, 5))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseNegotiate(b)
		if err != nil {
			return
		}
		if n.Kerberos != nil {
			checkText(t, n.Kerberos.Realm)
			checkText(t, n.Kerberos.ServicePrincipal)
		}
		if len(n.MechTypes) > 16 {
			t.Fatalf("%d mech types", len(n.MechTypes))
		}
		c := Credentials{Scheme: "Negotiate", Token: "x", Raw: b, Negotiation: &n, NTLM: n.NTLM}
		checkText(t, c.Describe(true))
	})
}

// checkText asserts a decoded string is safe to print in a report.
func checkText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8: %q", s)
	}
	if strings.ContainsAny(s, "\r\n\x00\x1b") {
		t.Fatalf("control characters in %q", s)
	}
}
