package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/report"
)

// writeReport writes to stdout, or to path through a temporary file in the
// same directory renamed into place, so a reader (or the previous report)
// never sees half a file, and a failure leaves the old report intact.
//
// A path inside one of ownedDirs (--out-dir, the --state folder: where a
// scheduled run writes last-run.json unattended and others may be able to
// plant names) must be absent or a regular file. Elsewhere a device or
// pipe the user names directly is written in place (see
// atomicfile.WriteOutput).
func writeReport(stdout io.Writer, path, format string, d report.Document, opts report.Options, ownedDirs ...string) error {
	if path == "" || path == "-" {
		return report.Write(stdout, format, d, opts)
	}
	write := func(w io.Writer) error { return report.Write(w, format, d, opts) }
	if inDirs(path, ownedDirs) {
		return atomicfile.Write(path, 0o644, write)
	}
	return atomicfile.WriteOutput(path, 0o644, write)
}

// inDirs reports whether path's directory is one of dirs (after making
// both absolute and clean).
func inDirs(path string, dirs []string) bool {
	parent, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return true // cannot tell: take the strict side
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if abs, err := filepath.Abs(d); err != nil || sameDir(abs, parent) {
			return true
		}
	}
	return false
}

// formatByExtension maps the extension of -o to a format, so
// `-o report.html` writes HTML without --format.
var formatByExtension = map[string]string{
	".html": "html", ".htm": "html",
	".json":   "json",
	".ndjson": "ndjson", ".jsonl": "ndjson",
	".csv": "csv",
	".txt": "text", ".text": "text", ".log": "text",
	".md": "markdown",
}

// outputFormat is the format a command writes: --format when given, else
// the one the -o file's extension names, else text. A format the command
// cannot write is a usage error that lists those it can.
func outputFormat(cmd *cobra.Command, kind report.Kind, format, output string) (string, error) {
	want := report.Formats(kind)
	if !cmd.Flags().Changed("format") && output != "" && output != "-" {
		ext := strings.ToLower(filepath.Ext(output))
		if f, ok := formatByExtension[ext]; ok {
			if !contains(want, f) {
				return "", fmt.Errorf("-o %s: %s cannot write %s; use one of %s (by --format or the extension)", output, cmd.Name(), f, strings.Join(want, ", "))
			}
			return f, nil
		}
		return "text", nil
	}
	if !contains(want, format) {
		return "", fmt.Errorf("unknown --format %q (want %s)", format, strings.Join(want, ", "))
	}
	return format, nil
}
