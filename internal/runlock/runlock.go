// Package runlock keeps two frebscan runs from working on the same state
// file or report directory at once: a scheduled run that overlaps a manual
// one would analyse the same traces twice and race on the state.
//
// The lock is an operating-system file lock (flock on Unix, LockFileEx on
// Windows) taken through github.com/gofrs/flock. The system drops such a
// lock when its process ends, however it ends, so a lock file left behind
// by a crashed or killed run blocks nobody: there is no staleness to guess
// from PIDs or ages, which would be wrong after a reboot or PID reuse.
package runlock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// infoOffset is where the holder's description starts in the lock file.
// Windows locks byte 0 (the range gofrs/flock locks), and a locked range
// cannot be read or written through another handle, so the description
// lives after it.
const (
	infoOffset = 1
	infoSize   = 160
)

// retryDelay is how often a waiting run tries again.
const retryDelay = 250 * time.Millisecond

// Lock is a held run lock.
type Lock struct {
	f *flock.Flock
}

// BusyError is returned when another run holds the lock.
type BusyError struct {
	Path string
	// Holder describes the other run (process id and start time), when
	// it could be read.
	Holder string
	Waited time.Duration
}

func (e *BusyError) Error() string {
	msg := "another frebscan run holds the lock " + e.Path
	if e.Holder != "" {
		msg += " (" + e.Holder + ")"
	}
	if e.Waited > 0 {
		msg += fmt.Sprintf("; waited %s", e.Waited)
	}
	return msg + "; this run stops without scanning (use --lock-timeout to wait for it)"
}

// Acquire takes the lock at path, creating the file if needed. With wait
// 0 it fails at once with a *BusyError when another process holds it;
// otherwise it retries until wait has passed or ctx is done.
func Acquire(ctx context.Context, path string, wait time.Duration) (*Lock, error) {
	f := flock.New(path, flock.SetPermissions(0o644))
	var ok bool
	var err error
	if wait <= 0 {
		ok, err = f.TryLock()
	} else {
		wctx, cancel := context.WithTimeout(ctx, wait)
		ok, err = f.TryLockContext(wctx, retryDelay)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			ok, err = false, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		f.Close()
		return nil, &BusyError{Path: path, Holder: holder(path), Waited: wait}
	}
	writeHolder(path)
	return &Lock{f: f}, nil
}

// Release drops the lock. The file stays: removing it while another run
// has it open would let a third run lock a new file of the same name
// alongside the second.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}

// writeHolder records who holds the lock, for the message another run
// prints. Fixed width, so no truncation is needed (Windows may refuse to
// change the size of a file with a locked range). Best effort: the lock
// works without it.
func writeHolder(path string) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d on %s since %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if len(info) > infoSize-1 {
		info = info[:infoSize-1]
	}
	f.WriteAt([]byte(info+strings.Repeat(" ", infoSize-1-len(info))+"\n"), infoOffset)
}

// holder reads what writeHolder wrote, or "".
func holder(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, infoSize)
	n, _ := f.ReadAt(buf, infoOffset)
	s := strings.TrimSpace(string(buf[:n]))
	if !strings.HasPrefix(s, "pid ") {
		return ""
	}
	return s
}
