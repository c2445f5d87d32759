package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/corpus"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
)

func TestValidHost(t *testing.T) {
	for _, tc := range []struct {
		host string
		want bool
	}{
		{"mail.contoso.com", true},
		{"mail.contoso.com:443", true},
		{"10.0.0.5:8080", true},
		{"[2001:db8::1]:443", true},
		{"backend_01", true},
		{"localhost:$Port", false},
		{"{HTTP_HOST}", false},
		{"mail.contoso.com:{SERVER_PORT}", false},
		{"", false},
		{"two words", false},
		{":443", false},
	} {
		if got := validHost(tc.host); got != tc.want {
			t.Errorf("validHost(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}

// TestHostSetInvalidOnARRNode: the real trace of an ARR node whose rewrite
// rule sent Host "localhost:$Port" gets host-header-rewritten; the same
// trace with a real back-end name set instead does not.
func TestHostSetInvalidOnARRNode(t *testing.T) {
	dir := corpus.Require(t)
	read := func() *freb.Trace {
		tr, err := freb.ReadFile(filepath.Join(dir, "plechenko__FrebViewer__fr000069.arr-proxy.xml"), freb.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	found := diagnoseAll([]*freb.Trace{read()})["host-header-rewritten"]
	if len(found) == 0 || !strings.Contains(found[0].Summary, "localhost:$Port") {
		t.Fatalf("want host-header-rewritten naming localhost:$Port, got %v", found)
	}
	tr := read()
	for i, c := range tr.RequestHeaderChanges {
		if strings.EqualFold(c.Name, "Host") {
			tr.RequestHeaderChanges[i] = headers.Change{Name: c.Name, Value: "backend01:8080", Replace: true, Event: c.Event}
		}
	}
	if found := diagnoseAll([]*freb.Trace{tr})["host-header-rewritten"]; len(found) > 0 {
		t.Errorf("fired on a valid back-end host: %s", found[0].Summary)
	}
}
