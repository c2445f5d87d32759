package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// NotRegularError is returned for a path frebscan owns (its state, lock
// files, incident reports, index) that exists but is not a regular file:
// a symbolic link, a junction, a named pipe or a device. frebscan runs
// unattended as root or SYSTEM, and anyone who can write to the report
// folder could plant such a name to make it overwrite another file, hang
// on a pipe or fill a disk, so it refuses instead of following.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file: frebscan does not follow links or write to pipes and devices in its state and report folders; remove it (someone may have planted it) and run again", e.Path, kindOf(e.Mode))
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeIrregular != 0:
		return "a reparse point or other special file"
	}
	return "not a regular file"
}

// Check returns nil when path does not exist or is a regular file,
// without following a link at path: a run checks every name it will
// write before writing the first, so a planted name stops it with
// nothing written.
func Check(path string) error {
	return checkAbsentOrRegular(path)
}

func checkAbsentOrRegular(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	return nil
}

// OpenOwned opens a file frebscan owns with flag (os.O_RDONLY, os.O_RDWR|
// os.O_CREATE, ...) without following a link at its last component and
// without blocking on a named pipe (O_NOFOLLOW|O_NONBLOCK on Unix,
// FILE_FLAG_OPEN_REPARSE_POINT on Windows), and checks through the open
// handle that it is a regular file: there is no window between the check
// and the use.
func OpenOwned(path string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|noFollowFlags, perm)
	if err != nil {
		// ELOOP (a link), ENXIO (a pipe nobody reads) and the like say
		// little; name what is there instead.
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			return nil, &NotRegularError{Path: path, Mode: fi.Mode()}
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	return f, nil
}

// TooLargeError is returned by ReadFile for a file over its limit.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d MiB, more than frebscan ever writes there: refusing to read it; move it away and run again", e.Path, e.Limit>>20)
}

// ReadFile reads a file frebscan owns (state, index) through OpenOwned,
// refusing one larger than limit bytes: a state path pointing at
// /dev/zero or a huge planted file must not exhaust memory.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := OpenOwned(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return b, nil
}

// Remove deletes a file frebscan owns only when it is a regular file (a
// link is neither followed nor removed: retention must not be steered
// into deleting anything else). A missing file is not an error.
func Remove(path string) error {
	if err := checkAbsentOrRegular(path); err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// RemoveStaleTemps removes the temporary files Write leaves beside path
// when the process is killed between creating and renaming one
// (.NAME.123456.tmp), once they are older than age. Best effort: a
// leftover only costs disk space, and a younger one may belong to a
// run still writing.
func RemoveStaleTemps(path string, age time.Duration, now time.Time) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + "."
	for _, de := range entries {
		name := de.Name()
		digits, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		digits, ok = strings.CutSuffix(digits, ".tmp")
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
			continue
		}
		fi, err := de.Info()
		if err != nil || !fi.Mode().IsRegular() || now.Sub(fi.ModTime()) < age {
			continue
		}
		Remove(filepath.Join(dir, name))
	}
}
