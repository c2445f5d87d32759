package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose/rules"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/RULES.md")

// TestRulesDoc keeps docs/RULES.md generated from the catalogue, so the
// documentation never drifts from the code.
func TestRulesDoc(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, "markdown", Document{Kind: KindRules, Rules: rules.Catalogue(), Outside: rules.OutsideGuide()}, Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "RULES.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/report -run TestRulesDoc -update)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Error("docs/RULES.md is out of date: go test ./internal/report -run TestRulesDoc -update")
	}
}
