//go:build !windows

package atomicfile

import (
	"path/filepath"
	"strings"
	"syscall"
)

// noFollowFlags: O_NOFOLLOW makes open fail on a symbolic link at the
// last component; O_NONBLOCK makes opening a named pipe return at once
// (read) or fail with ENXIO (write, no reader) instead of waiting for
// the other end forever. Regular files ignore O_NONBLOCK.
const noFollowFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK | syscall.O_CLOEXEC

// nonBlock opens a named pipe for writing without waiting for a reader.
const nonBlock = syscall.O_NONBLOCK

// underDev reports whether path is in /dev, where only the system makes
// links (/dev/stdout, /dev/fd/N).
func underDev(path string) bool {
	abs, err := filepath.Abs(path)
	return err == nil && strings.HasPrefix(abs, "/dev/")
}
