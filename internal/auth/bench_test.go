package auth_test

import (
	"testing"

	"github.com/frebscan/frebscan/internal/auth"
	"github.com/frebscan/frebscan/internal/gen"
)

// BenchmarkParse decodes the Authorization values a scan meets, built by
// the same generator as the benchmark corpora.
func BenchmarkParse(b *testing.B) {
	cases := []struct{ name, value string }{
		{"ntlm-negotiate", "NTLM " + gen.NTLMNegotiate()},
		{"ntlm-authenticate", "NTLM " + gen.NTLMAuthenticate(1, "CONTOSO", "jdoe", "WS-0001")},
		{"negotiate-kerberos", "Negotiate " + gen.KerberosToken(1, 6_000)},
		{"negotiate-kerberos-48k", "Negotiate " + gen.KerberosToken(1, 48_000)},
		{"basic", "Basic amRvZTpzZWNyZXQ="},
		{"bearer", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2ln"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.value)))
			b.ReportAllocs()
			for b.Loop() {
				auth.Parse(c.value)
			}
		})
	}
}

func BenchmarkParseChallenges(b *testing.B) {
	values := []string{"Negotiate", "NTLM", `Basic realm="mail.contoso.com"`, "NTLM " + gen.NTLMChallenge(1, "CONTOSO", "EX16-01", "contoso.com")}
	n := 0
	for _, v := range values {
		n += len(v)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if cs := auth.ParseChallenges(values...); len(cs) != 4 {
			b.Fatalf("%d challenges, want 4", len(cs))
		}
	}
}
