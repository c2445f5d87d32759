package auth

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestParseAndDescribe(t *testing.T) {
	krb := apReq("CONTOSO.COM", "HTTP", "mail.contoso.com", 18, 4000)
	tests := []struct {
		name      string
		value     string
		mechanism string
		ntlmType  int
		summary   string
		redacted  string
		shown     string
	}{
		{
			name: "NTLM type 3", value: "NTLM " + b64(exampleType3()),
			mechanism: "NTLM", ntlmType: 3, summary: "type 3 message, 418 bytes",
			redacted: "NTLM type 3 (NTLMv2), domain CONTOSO, user <redacted>, workstation MACBOOK, 418 bytes",
			shown:    "NTLM type 3 (NTLMv2), domain CONTOSO, user jdoe, workstation MACBOOK, 418 bytes",
		},
		{
			name: "NTLM type 1", value: "NTLM " + b64(ntlmType1("", "")),
			mechanism: "NTLM", ntlmType: 1, summary: "type 1 message, 40 bytes",
			redacted: "NTLM type 1, 40 bytes",
		},
		{
			name: "Negotiate with bare NTLM", value: "Negotiate " + b64(ntlmType1("CONTOSO", "WS01")),
			mechanism: "NTLM", ntlmType: 1, summary: "NTLM type 1 message, 51 bytes",
			redacted: "Negotiate → NTLM type 1, domain CONTOSO, workstation WS01, 51 bytes",
		},
		{
			name: "Negotiate SPNEGO falling back to NTLM", value: "Negotiate " + b64(negTokenInit(ntlmType1("", ""), oidNTLMBytes)),
			mechanism: "NTLM", ntlmType: 1, summary: "NTLM type 1 message, 74 bytes",
			redacted: "Negotiate → SPNEGO → NTLM type 1, 74 bytes",
		},
		{
			name: "Negotiate SPNEGO Kerberos", value: "Negotiate " + b64(negTokenInit(krb, oidMSKrbBytes, oidKerberosBytes)),
			mechanism: "Kerberos", summary: "Kerberos token, 4514 bytes",
			redacted: "Negotiate → SPNEGO → Kerberos AP-REQ for HTTP/mail.contoso.com@CONTOSO.COM (aes256-cts-hmac-sha1-96), 4514 bytes",
		},
		{
			name: "Negotiate raw Kerberos", value: "Negotiate " + b64(krb),
			mechanism: "Kerberos", summary: "Kerberos token, 4460 bytes",
			redacted: "Negotiate → Kerberos AP-REQ for HTTP/mail.contoso.com@CONTOSO.COM (aes256-cts-hmac-sha1-96), 4460 bytes",
		},
		{
			name: "Negotiate response with NTLM challenge", value: "Negotiate " + b64(negTokenResp(1, oidNTLMBytes, ntlmType2("CONTOSO", nil))),
			mechanism: "NTLM", ntlmType: 2, summary: "NTLM type 2 message, 101 bytes",
			redacted: "Negotiate → SPNEGO response accept-incomplete → NTLM type 2, target CONTOSO, 101 bytes",
		},
		{
			name: "Negotiate response completed", value: "Negotiate " + b64(negTokenResp(0, oidKerberosBytes, nil)),
			mechanism: "SPNEGO", summary: "SPNEGO token, 22 bytes",
			redacted: "Negotiate → SPNEGO response accept-completed (Kerberos), 22 bytes",
		},
		{
			name: "Negotiate truncated", value: "Negotiate " + b64(negTokenInit(krb, oidKerberosBytes)[:1000]),
			mechanism: "Kerberos", summary: "Kerberos token, 1000 bytes",
			redacted: "Negotiate → SPNEGO → Kerberos AP-REQ for HTTP/mail.contoso.com@CONTOSO.COM (aes256-cts-hmac-sha1-96), truncated, 1000 bytes",
		},
		{
			name: "Basic", value: "Basic " + base64.StdEncoding.EncodeToString([]byte("CONTOSO\\jdoe:S3cret!")),
			summary:  "user:password, 20 bytes",
			redacted: "Basic, user <redacted>, 20 bytes",
			shown:    "Basic, user CONTOSO\\jdoe, 20 bytes",
		},
		{
			name: "Bearer", value: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2ln",
			summary: "45 bytes", redacted: "Bearer, 45 bytes",
		},
		{name: "scheme only", value: "Negotiate", summary: "no token", redacted: "Negotiate (no token)"},
		{name: "empty", value: "", summary: "no token", redacted: "no credentials"},
		{
			name: "tab separator", value: "NTLM\t" + b64(ntlmType1("", "")),
			mechanism: "NTLM", ntlmType: 1, summary: "type 1 message, 40 bytes", redacted: "NTLM type 1, 40 bytes",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Parse(tt.value)
			want(t, c.Mechanism, tt.mechanism)
			want(t, c.NTLMType, tt.ntlmType)
			want(t, c.Summary(), tt.summary)
			want(t, c.Describe(false), tt.redacted)
			if tt.shown != "" {
				want(t, c.Describe(true), tt.shown)
			}
		})
	}
}

func TestDescribeNeverShowsPassword(t *testing.T) {
	c := Parse("Basic " + base64.StdEncoding.EncodeToString([]byte("jdoe:S3cret!")))
	for _, show := range []bool{false, true} {
		if d := c.Describe(show); strings.Contains(d, "S3cret") {
			t.Errorf("Describe(%v) = %q shows the password", show, d)
		}
	}
}

func TestDescribeSanitisesScheme(t *testing.T) {
	want(t, Parse("\xa1").Describe(false), "\uFFFD (no token)")
	want(t, Parse("Neg\x1b[2Jotiate abc").Describe(false), "Neg\uFFFD[2Jotiate, 2 bytes")
	want(t, Parse(strings.Repeat("N", 40)+" x").Describe(false), strings.Repeat("N", 32)+"…, 1 bytes")
}
