package redact

import (
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
)

func TestTextHidesConnectionStringSecrets(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		gone     []string
	}{
		{`Keyword not supported: 'server=db01;database=Shop;user id=shopapp;password=Summer2024!;'.`,
			`Keyword not supported: 'server=db01;database=Shop;user id=<user, redacted>;password=<redacted>;'.`, []string{"Summer2024!", "shopapp"}},
		{`Data Source=.;Initial Catalog=x;Uid=sa;Pwd="p;w";`, `Data Source=.;Initial Catalog=x;Uid=<user, redacted>;Pwd=<redacted>;`, []string{"p;w"}},
		{`Login failed for user 'CONTOSO\jdoe'.`, `Login failed for user '<user, redacted>'.`, []string{"jdoe"}},
		{`Login failed for user 'NT AUTHORITY\NETWORK SERVICE'.`, `Login failed for user 'NT AUTHORITY\NETWORK SERVICE'.`, nil},
		{`Cannot open database "Shop" requested by the login.`, `Cannot open database "Shop" requested by the login.`, nil},
		{`a=b`, `a=b`, nil},
	} {
		got := Text(tc.in)
		if got != tc.want {
			t.Errorf("Text(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		for _, g := range tc.gone {
			if strings.Contains(got, g) {
				t.Errorf("Text(%q) still shows %q", tc.in, g)
			}
		}
	}
}

func TestBodyPlaceholderKeepsTheLength(t *testing.T) {
	body := strings.Repeat("a", 268)
	ev := Event(freb.Event{Name: "GENERAL_REQUEST_ENTITY", Data: []freb.Field{{Name: "Buffer", Value: body}}})
	got := ev.Get("Buffer")
	if !IsBodyPlaceholder(got) || !strings.Contains(got, "268 bytes") {
		t.Errorf("placeholder %q", got)
	}
	if IsBodyPlaceholder("<request body, lots, redacted>") || IsBodyPlaceholder(body) {
		t.Error("IsBodyPlaceholder accepts other text")
	}
}
