// Package atomicfile replaces a file in one step: readers (a browser on
// latest.html, the next scheduled run reading its state) see either the
// old content or the new, never half a file, and a failed write leaves
// the old file as it was.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Write creates or replaces path, a file frebscan owns (state, incident
// report, index), with what write produces. The data goes to a temporary
// file in the same directory (a rename is only atomic within one file
// system), is synced to disk so a crash after the rename cannot leave an
// empty file, and is then renamed over path. On any error the temporary
// file is removed and path is untouched. perm is the mode of the new file
// (before the umask, as for os.OpenFile).
//
// A path that exists and is not a regular file (a link, a pipe, a device)
// is refused with a *NotRegularError and nothing is written. The checks
// do not race with an attacker swapping the name: the temporary file is
// created with O_EXCL (never through a link) and rename replaces the name
// itself, never what a link there points to.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	if err := checkAbsentOrRegular(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return replace(path, perm, write)
}

// WriteOutput writes a report to a path the user named with -o. It is
// Write, except that a device or named pipe named directly (/dev/null,
// /dev/full, a FIFO a reader holds open) is written in place, as a user
// asking for it expects: renaming over it would replace the device (as
// root, -o /dev/full did). A link to a device or pipe is refused unless
// it lives under /dev (/dev/stdout, /dev/fd/N), which only the system
// creates: "the user names the device" must not be something a planted
// link can fake. A pipe is opened without blocking, so one nobody reads
// fails at once instead of hanging the run.
func WriteOutput(path string, perm os.FileMode, write func(io.Writer) error) error {
	lfi, err := os.Lstat(path)
	if err != nil || lfi.Mode().IsRegular() {
		return replace(path, perm, write)
	}
	fi := lfi
	if lfi.Mode()&os.ModeSymlink != 0 {
		if fi, err = os.Stat(path); err != nil || fi.Mode().IsRegular() {
			// A link to a regular file (or a dangling one) is replaced
			// by the report, never written through.
			return replace(path, perm, write)
		}
		if !underDev(path) {
			return fmt.Errorf("write %s: %w", path, &NotRegularError{Path: path, Mode: lfi.Mode()})
		}
	}
	if fi.IsDir() {
		return fmt.Errorf("write %s: is a directory", path)
	}
	return writeDirect(path, write)
}

func replace(path string, perm os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		// The error names the temporary file, which the user never asked
		// for and cannot find: name the folder the report was to go in.
		return fmt.Errorf("write %s: cannot create a file in %s: %w", path, filepath.Dir(path), bare(err, ""))
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes 0600 files; reports are meant to be read by others.
	if err := tmp.Chmod(perm &^ umask()); err != nil {
		return fmt.Errorf("write %s: %w", path, bare(err, tmp.Name()))
	}
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, bare(err, tmp.Name()))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, bare(err, tmp.Name()))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, bare(err, tmp.Name()))
	}
	if err := renameRetry(tmp.Name(), path, os.Rename, retryable, renameAttempts, 50*time.Millisecond); err != nil {
		return fmt.Errorf("write %s: %w", path, bare(err, tmp.Name()))
	}
	done = true
	return nil
}

func writeDirect(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|nonBlock, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteFile is Write for data already in memory.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// renameAttempts bounds the retries of a rename that another process
// blocks (see retryable); about 1.5 s in all with the back-off below.
const renameAttempts = 6

// renameRetry renames, retrying while the error is one that goes away on
// its own. On Windows os.Rename replaces an existing target
// (MoveFileEx with MOVEFILE_REPLACE_EXISTING) but fails while another
// process has the target open without delete sharing: an antivirus scan
// or a backup agent holding latest.json for a moment is routine on
// Exchange servers and must not fail a scheduled run.
func renameRetry(from, to string, rename func(string, string) error, retry func(error) bool, attempts int, delay time.Duration) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = rename(from, to); err == nil || !retry(err) {
			return err
		}
		if i < attempts-1 {
			time.Sleep(delay)
			delay *= 2
		}
	}
	return err
}

// bare strips the temporary file's name from an error about it (the user
// never named that file and will not find it), keeping the cause, which
// errors.Is still sees. Other errors are returned as they are.
func bare(err error, tmp string) error {
	var pe *os.PathError
	if errors.As(err, &pe) && (tmp == "" || pe.Path == tmp) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) && le.Old == tmp {
		return le.Err
	}
	return err
}
