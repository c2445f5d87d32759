package manpage

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/cli"
)

var update = flag.Bool("update", false, "rewrite docs/man")

var dir = filepath.Join("..", "..", "docs", "man")

// TestManPagesCurrent keeps docs/man rendered from the command tree, as
// TestRulesDoc keeps docs/RULES.md: a flag added without regenerating
// the pages fails here.
func TestManPagesCurrent(t *testing.T) {
	if *update {
		if err := Write(cli.NewRootCommand(), dir); err != nil {
			t.Fatal(err)
		}
	}
	pages, err := Render(cli.NewRootCommand())
	if err != nil {
		t.Fatal(err)
	}
	const fix = "go test ./internal/manpage -run TestManPagesCurrent -update"
	on, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, p := range on {
		if _, ok := pages[filepath.Base(p)]; !ok {
			t.Errorf("docs/man/%s documents no command: %s", filepath.Base(p), fix)
		}
	}
	for _, name := range Names(pages) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v: %s", err, fix)
			continue
		}
		if !bytes.Equal(got, pages[name]) {
			t.Errorf("docs/man/%s is out of date: %s", name, fix)
		}
	}
}

// TestRenderCoversEveryCommand: every command a user can type has a page,
// the pages carry no date or host-specific text that would make them
// drift, and each page names its flags.
func TestRenderCoversEveryCommand(t *testing.T) {
	pages, err := Render(cli.NewRootCommand())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"frebscan.1", "frebscan-scan.1", "frebscan-show.1", "frebscan-rules.1", "frebscan-explain.1",
		"frebscan-schedule.1", "frebscan-setup-tracing.1", "frebscan-version.1",
		"frebscan-completion.1", "frebscan-completion-bash.1", "frebscan-completion-zsh.1",
		"frebscan-completion-fish.1", "frebscan-completion-powershell.1"} {
		if _, ok := pages[name]; !ok {
			t.Errorf("no page %s (have %v)", name, Names(pages))
		}
	}
	if _, ok := pages["frebscan-help.1"]; ok {
		t.Error("help has a page; cobra/doc leaves it out")
	}
	host, _ := os.Hostname()
	for name, b := range pages {
		s := string(b)
		if !strings.Contains(s, `.TH "`) || !strings.Contains(s, `"Nov 2026" "frebscan" "frebscan manual"`) {
			t.Errorf("%s: header without the fixed date and source:\n%.200s", name, s)
		}
		if strings.Contains(s, "Auto generated") || (host != "" && strings.Contains(s, host)) {
			t.Errorf("%s: carries build-time text", name)
		}
	}
	scan := string(pages["frebscan-scan.1"])
	for _, f := range []string{`\fB--format\fP`, `\fB--fail-on\fP`, `\fB--no-redact\fP`, `\fB--state\fP`} {
		if !strings.Contains(scan, f) {
			t.Errorf("frebscan-scan.1 lacks %s", f)
		}
	}
	if root := string(pages["frebscan.1"]); !strings.Contains(root, `\fB--version\fP`) {
		t.Error("frebscan.1 lacks --version")
	}
}
