package cli

import (
	"io"

	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/report"
)

// writeReport writes to stdout, or to path through a temporary file in the
// same directory renamed into place, so a reader (or the previous report)
// never sees half a file, and a failure leaves the old report intact.
func writeReport(stdout io.Writer, path, format string, d report.Document, opts report.Options) error {
	if path == "" || path == "-" {
		return report.Write(stdout, format, d, opts)
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return report.Write(w, format, d, opts) })
}
