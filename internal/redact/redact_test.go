package redact

import (
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
)

const type1 = "TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAO5CAAAADw=="

func TestHeader(t *testing.T) {
	tests := []struct {
		name, value, want string
		hidden            []string
	}{
		{"Authorization", "NTLM " + type1, "NTLM <type 1 message, 40 bytes, redacted>", []string{type1}},
		{"Authorization", "Basic dXNlcjpwYXNzd29yZA==", "Basic <user:password, 13 bytes, redacted>", []string{"dXNlcjpwYXNzd29yZA"}},
		{"authorization", "Bearer eyJhbGciOi.abc.def", "Bearer <", []string{"eyJhbGciOi"}},
		{"Authorization", "Negotiate", "Negotiate", nil},
		{"WWW-Authenticate", "NTLM", "NTLM", nil},
		{"WWW-Authenticate", "Negotiate, NTLM", "Negotiate, NTLM", nil},
		{"WWW-Authenticate", "NTLM TlRMTVNTUAACAAAADAAMADAAAAA1goni", "NTLM <", []string{"TlRMTVNTUAACAAAADAAMADAAAAA1goni"}},
		{"Cookie", "ClientId=ABC123; X-BackEndCookie=S-1-5-21=secret; exchangecookie=0f1e", "ClientId=<redacted>; X-BackEndCookie=<redacted>; exchangecookie=<redacted>", []string{"ABC123", "secret", "0f1e"}},
		{"Set-Cookie", "BIGipServerpool=1677787402.20480.0000; path=/; HttpOnly", "BIGipServerpool=<redacted>; path=/; HttpOnly", []string{"1677787402"}},
		{"Host", "mail.contoso.com", "mail.contoso.com", nil},
		{"X-AnchorMailbox", "SMTP:jdoe@contoso.com", "<user, redacted>", []string{"jdoe"}},
	}
	for _, tc := range tests {
		got := Header(tc.name, tc.value)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("Header(%s, %q) = %q, want prefix %q", tc.name, tc.value, got, tc.want)
		}
		for _, h := range tc.hidden {
			if strings.Contains(got, h) {
				t.Errorf("Header(%s) leaks %q: %q", tc.name, h, got)
			}
		}
	}
}

func TestURL(t *testing.T) {
	tests := map[string]string{
		"https://h/owa/?access_token=abc&x=1":      "https://h/owa/?access_token=<redacted>&x=1",
		"https://h/a?Password=p%40ss":              "https://h/a?Password=<redacted>",
		"https://h/ews/exchange.asmx":              "https://h/ews/exchange.asmx",
		"https://h/a?q=%E2%9C%93&amp;lang=en%2Dfr": "https://h/a?q=%E2%9C%93&amp;lang=en%2Dfr",
	}
	for in, want := range tests {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTraceLeavesOriginalAlone(t *testing.T) {
	tr := &freb.Trace{
		URL:            "https://h/a?token=t0ps3cret",
		RequestHeaders: headers.List{{Name: "Authorization", Value: "NTLM " + type1}, {Name: "Cookie", Value: "a=s3cr3t"}},
		Events: []freb.Event{
			{Name: "GENERAL_REQUEST_HEADERS", Data: []freb.Field{{Name: "Headers", Value: "Authorization: NTLM " + type1 + "\r\nCookie: a=s3cr3t\r\n"}}},
			{Name: "GENERAL_SET_REQUEST_HEADER", Data: []freb.Field{{Name: "HeaderName", Value: "Cookie"}, {Name: "HeaderValue", Value: "b=s3cr3t"}}},
			{Name: "GENERAL_REQUEST_ENTITY", Data: []freb.Field{{Name: "Buffer", Value: "user=a&password=s3cr3t"}}},
			{Name: "AspNetStart", Data: []freb.Field{{Name: "Data1", Value: "GET"}, {Name: "Data2", Value: "/a"}, {Name: "Data3", Value: "token=t0ps3cret"}}},
		},
	}
	r := Trace(tr)
	var all strings.Builder
	all.WriteString(r.URL)
	for _, h := range r.RequestHeaders {
		all.WriteString(h.Value)
	}
	for _, ev := range r.Events {
		for _, f := range ev.Data {
			all.WriteString(f.Value)
		}
	}
	for _, secret := range []string{"t0ps3cret", type1, "s3cr3t"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("redacted trace still holds %q", secret)
		}
	}
	if !strings.Contains(tr.RequestHeaders[0].Value, type1) || !strings.Contains(tr.Events[0].Data[0].Value, type1) {
		t.Error("Trace modified its input")
	}
}
