package scancmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	return writeAtomic(path, func(w io.Writer) error { return report.WriteScan(w, format, r, opts) })
}

// writeAtomic writes through a temporary file in the target's directory,
// synced and renamed into place. A target that exists and is not a
// regular file (/dev/null, /dev/stdout, a named pipe) is written directly:
// renaming over it would replace the device instead of writing to it.
func writeAtomic(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return writeDirect(path, write)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	ok = true
	return nil
}

func writeDirect(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}
