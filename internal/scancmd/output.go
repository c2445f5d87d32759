package scancmd

import (
	"io"

	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/scan"
)

// writeReport writes to stdout, or to path through a temporary file in the
// same directory renamed into place, so a reader (or the previous report)
// never sees half a file, and a failure leaves the old report intact.
func writeReport(stdout io.Writer, path, format string, r *scan.Result, opts report.ScanOptions) error {
	if path == "" || path == "-" {
		return report.WriteScan(stdout, format, r, opts)
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return report.WriteScan(w, format, r, opts) })
}
