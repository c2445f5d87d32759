package auth

import "testing"

func TestOIDs(t *testing.T) {
	// The byte forms come from the RFCs; decoding them must give the
	// constants the classifier compares against.
	for _, tt := range []struct {
		der  []byte
		want string
	}{
		{oidSPNEGOBytes, OIDSPNEGO},
		{oidKerberosBytes, OIDKerberos},
		{oidMSKrbBytes, OIDKerberosMS},
		{oidNTLMBytes, OIDNTLM},
	} {
		want(t, oidString(tt.der[2:]), tt.want)
	}
}

func TestParseNegotiate(t *testing.T) {
	krb := apReq("CONTOSO.COM", "HTTP", "mail.contoso.com", 18, 4000)
	tests := []struct {
		name  string
		token []byte
		check func(t *testing.T, n Negotiation)
	}{
		{"SPNEGO init carrying Kerberos", negTokenInit(krb, oidMSKrbBytes, oidKerberosBytes, oidNTLMBytes), func(t *testing.T, n Negotiation) {
			want(t, n.Form, "negTokenInit")
			want(t, n.Mechanism, "Kerberos")
			want(t, len(n.MechTypes), 3)
			want(t, n.MechTypes[2], "NTLM")
			want(t, n.Kerberos.Message, "AP-REQ")
			want(t, n.Kerberos.ServicePrincipal, "HTTP/mail.contoso.com")
			want(t, n.Kerberos.Realm, "CONTOSO.COM")
			want(t, n.Kerberos.TicketEncryption, "aes256-cts-hmac-sha1-96")
			want(t, n.Truncated, false)
		}},
		{"SPNEGO init falling back to NTLM", negTokenInit(ntlmType1("", ""), oidNTLMBytes), func(t *testing.T, n Negotiation) {
			want(t, n.Form, "negTokenInit")
			want(t, n.Mechanism, "NTLM")
			want(t, n.NTLM.Type, 1)
		}},
		{"raw Kerberos AP-REQ", krb, func(t *testing.T, n Negotiation) {
			want(t, n.Form, "Kerberos")
			want(t, n.Kerberos.ServicePrincipal, "HTTP/mail.contoso.com")
		}},
		{"negTokenResp with NTLM challenge", negTokenResp(1, oidNTLMBytes, ntlmType2("CONTOSO", nil)), func(t *testing.T, n Negotiation) {
			want(t, n.Form, "negTokenResp")
			want(t, n.NegState, "accept-incomplete")
			want(t, n.SupportedMech, "NTLM")
			want(t, n.NTLM.TargetName, "CONTOSO")
		}},
		{"negTokenResp completed without token", negTokenResp(0, nil, nil), func(t *testing.T, n Negotiation) {
			want(t, n.NegState, "accept-completed")
			want(t, n.Mechanism, "")
		}},
		{"negTokenResp with KRB-ERROR", negTokenResp(2, oidKerberosBytes, krbError(41)), func(t *testing.T, n Negotiation) {
			want(t, n.NegState, "reject")
			want(t, n.Kerberos.Message, "KRB-ERROR")
			want(t, n.Kerberos.ErrorName, "KRB_AP_ERR_MODIFIED")
			want(t, n.Kerberos.ServicePrincipal, "HTTP/mail.contoso.com")
		}},
		{"truncated by a proxy", negTokenInit(krb, oidKerberosBytes)[:2000], func(t *testing.T, n Negotiation) {
			want(t, n.Truncated, true)
			want(t, n.Form, "negTokenInit")
			want(t, n.MechTypes[0], "Kerberos")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNegotiate(tt.token)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, n)
		})
	}
}

func TestParseNegotiateRejects(t *testing.T) {
	for _, b := range [][]byte{nil, {0x60}, {0x30, 0}, []byte("NTLMSSP\x00"), {0x60, 0x80, 0, 0}, {0x60, 0x85, 1, 2, 3, 4, 5}} {
		if _, err := ParseNegotiate(b); err == nil {
			t.Errorf("ParseNegotiate(% x) succeeded", b)
		}
	}
}

func TestReadDERDeepNesting(t *testing.T) {
	b := []byte{0x05, 0x00}
	for range 200 {
		b = der(0x30, b)
	}
	if _, err := ParseNegotiate(der(0x60, oidSPNEGOBytes, der(0xa0, b))); err != nil {
		t.Fatal(err)
	}
}
