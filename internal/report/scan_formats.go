package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/frebscan/frebscan/internal/scan"
)

// ScanOptions are what scan report writers may need besides the result.
type ScanOptions struct {
	Style Style
	// Detail re-reads one trace in full for formats that show traces
	// expanded (HTML); nil means compact rows only.
	Detail func(file string) (*scan.TraceDoc, error)
}

// ScanWriter writes a scan result in one format. Each format lives in its
// own file and registers itself, so adding a format is one new file.
type ScanWriter func(w io.Writer, r *scan.Result, opts ScanOptions) error

var scanWriters = map[string]ScanWriter{}

func registerScanFormat(name string, w ScanWriter) { scanWriters[name] = w }

// ScanFormats lists the registered formats.
func ScanFormats() []string {
	out := make([]string, 0, len(scanWriters))
	for k := range scanWriters {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// WriteScan writes r in the named format.
func WriteScan(w io.Writer, format string, r *scan.Result, opts ScanOptions) error {
	sw, ok := scanWriters[format]
	if !ok {
		return fmt.Errorf("unknown --format %q (want %s)", format, strings.Join(ScanFormats(), ", "))
	}
	return sw(w, r, opts)
}
