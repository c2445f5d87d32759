// Package manpage renders frebscan's man pages from the cobra command tree
// (cobra/doc), so `man frebscan-scan` says what `frebscan scan --help`
// says. docs/man holds the rendered pages (a drift test keeps them current)
// and make release puts them in every archive.
package manpage

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// Date is the date in every page's header. cobra/doc would print the
// current month, which changes the committed pages each month without any
// change to frebscan; a fixed date keeps them byte-stable. Move it when a
// release changes the pages.
var Date = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// Render returns the man page of every available command under root
// (help excepted, as cobra/doc does), keyed by file name: frebscan.1,
// frebscan-scan.1, frebscan-completion-bash.1 …
//
// It prepares root as Execute would, adding the completion command and the
// --version flag, so the pages document them too; root is not for
// running afterwards.
func Render(root *cobra.Command) (map[string][]byte, error) {
	root.DisableAutoGenTag = true // its footer carries today's date
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	pages := map[string][]byte{}
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		date := Date
		header := &doc.GenManHeader{Section: "1", Date: &date, Source: "frebscan", Manual: "frebscan manual"}
		var b bytes.Buffer
		if err := doc.GenMan(c, header, &b); err != nil {
			return fmt.Errorf("man page of %q: %w", c.CommandPath(), err)
		}
		pages[FileName(c)] = b.Bytes()
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	return pages, nil
}

// FileName is the page's file name: the command path with dashes, as
// cobra/doc and man(1) expect (frebscan-setup-tracing.1).
func FileName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
}

// Write renders the pages into dir, creating it, and removes pages of
// commands that no longer exist.
func Write(root *cobra.Command, dir string) error {
	pages, err := Render(root)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, p := range old {
		if _, ok := pages[filepath.Base(p)]; !ok {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for _, name := range Names(pages) {
		if err := os.WriteFile(filepath.Join(dir, name), pages[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Names lists the pages' file names in order.
func Names(pages map[string][]byte) []string {
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
