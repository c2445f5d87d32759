//go:build !windows

package atomicfile

import (
	"os"
	"sync"
	"syscall"
)

// retryable is false: POSIX rename replaces a target whoever has it open.
func retryable(error) bool { return false }

var (
	umaskOnce  sync.Once
	umaskValue os.FileMode
)

// umask reads the process umask once (setting it is the only way to read
// it), so new files get the mode os.OpenFile would give them.
func umask() os.FileMode {
	umaskOnce.Do(func() {
		m := syscall.Umask(0)
		syscall.Umask(m)
		umaskValue = os.FileMode(m)
	})
	return umaskValue
}
