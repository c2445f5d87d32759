package report

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/scan"
)

// TestServersInEveryFormat: the split handshake of the samples shows each
// step's server and the server × rule table in text and HTML, and its
// NDJSON finding names both servers.
func TestServersInEveryFormat(t *testing.T) {
	r, err := scan.Run(context.Background(), scanOptions(scan.Options{Inputs: []string{"../../samples/auth-handshake-broken"}}))
	if err != nil {
		t.Fatal(err)
	}
	out := func(format string) string {
		var b bytes.Buffer
		if err := writeScan(&b, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	text := out("text")
	for _, want := range []string{"Findings by server", "EX16-01: POST 401.1", "EX16-02: POST 401.1"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	html := out("html")
	for _, want := range []string{`id="servers"`, `<table class="matrix">`, `<a href="#f-auth-handshake-broken">`, `<span class="srv">on EX16-01</span>`, `<span class="srv">on EX16-02</span>`} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	found := false
	for _, m := range ndjsonLines(t, "../../samples/auth-handshake-broken") {
		hosts, _ := field(m, "related", "hosts").([]any)
		if field(m, "rule", "id") == "auth-handshake-broken" && slices.Equal(hosts, []any{"EX16-01", "EX16-02"}) {
			found = true
		}
	}
	if !found {
		t.Error("no NDJSON finding with related.hosts [EX16-01 EX16-02]")
	}
}
