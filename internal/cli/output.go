package cli

import (
	"io"
	"path/filepath"

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
