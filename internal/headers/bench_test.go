package headers

import (
	"strings"
	"testing"
)

// exchangeRequest is the header block of an EWS POST through a KEMP load
// balancer with an NTLM type 3 token: the longest block a scan parses in
// most traces.
var exchangeRequest = strings.Join([]string{
	"Cache-Control: no-cache",
	"Connection: keep-alive",
	"Content-Length: 521",
	"Content-Type: text/xml; charset=utf-8",
	"Accept: */*",
	"Accept-Encoding: gzip, deflate",
	"Accept-Language: en-us",
	"Authorization: NTLM " + strings.Repeat("TlRMTVNTUAADAAAAGAAYAHwAAAA", 24),
	"Cookie: ClientId=C4DCE5BE3DFD; X-BackEndCookie=S-1-5-21-1631530828-1031117689-176939864-1104=u56Lnp2ejJqBnMeay5nOmZzSx8; exchangecookie=392b6a118c758b80",
	"Host: mail.contoso.com",
	"User-Agent: Mac OS X/14.3 (23D56); ExchangeWebServices/12.0 (273.1); Mail/16.0 (3774.400.31)",
	"Via: 1.1 kemp-lm-01",
	"X-Forwarded-For: 203.0.113.7",
	"X-Forwarded-Proto: https",
	"Client-IP: 203.0.113.7",
}, "\n") + "\n"

func BenchmarkParseBlock(b *testing.B) {
	b.SetBytes(int64(len(exchangeRequest)))
	b.ReportAllocs()
	for b.Loop() {
		if l := ParseBlock(exchangeRequest); len(l) != 15 {
			b.Fatalf("parsed %d headers, want 15", len(l))
		}
	}
}

// BenchmarkLookup is what the rules do most: case-insensitive lookups of
// headers that are and are not there.
func BenchmarkLookup(b *testing.B) {
	l := ParseBlock(exchangeRequest)
	b.ReportAllocs()
	for b.Loop() {
		if !l.Has("via") || l.Has("X-ClientSide") || l.Value("user-agent") == "" {
			b.Fatal("lookup failed")
		}
	}
}
