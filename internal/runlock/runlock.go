// Package runlock keeps two frebscan runs from working on the same state
// file or report directory at once: a scheduled run that overlaps a manual
// one would analyse the same traces twice and race on the state.
//
// The lock is an operating-system file lock (flock on Unix, LockFileEx on
// Windows) on a file opened without following links and checked to be a
// regular file (atomicfile.OpenOwned): a run as root or SYSTEM must not
// create, truncate or write a file that a link planted at the lock's name
// points to, nor wait forever on a planted named pipe. The system drops such a
// lock when its process ends, however it ends, so a lock file left behind
// by a crashed or killed run blocks nobody: there is no staleness to guess
// from PIDs or ages, which would be wrong after a reboot or PID reuse.
package runlock

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
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
	f *os.File
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
	f, err := atomicfile.OpenOwned(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	ok, err := tryLock(f)
	if !ok && err == nil && wait > 0 {
		ok, err = retry(ctx, f, wait)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		f.Close()
		return nil, &BusyError{Path: path, Holder: holder(path), Waited: wait}
	}
	writeHolder(f)
	return &Lock{f: f}, nil
}

// retry tries again every retryDelay until wait has passed or ctx is
// done; neither is an error, the lock is just still busy.
func retry(ctx context.Context, f *os.File, wait time.Duration) (bool, error) {
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(retryDelay)
	defer tick.Stop()
	for {
		select {
		case <-wctx.Done():
			return false, nil
		case <-tick.C:
			if ok, err := tryLock(f); ok || err != nil {
				return ok, err
			}
		}
	}
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
func writeHolder(f *os.File) {
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d on %s since %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if len(info) > infoSize-1 {
		info = info[:infoSize-1]
	}
	f.WriteAt([]byte(info+strings.Repeat(" ", infoSize-1-len(info))+"\n"), infoOffset)
}

// holder reads what writeHolder wrote, or "".
func holder(path string) string {
	f, err := atomicfile.OpenOwned(path, os.O_RDONLY, 0)
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
