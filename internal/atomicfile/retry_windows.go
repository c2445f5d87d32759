//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// Windows error codes for a target held open by another process.
const (
	errorAccessDenied     syscall.Errno = 5
	errorSharingViolation syscall.Errno = 32
	errorLockViolation    syscall.Errno = 33
)

// retryable is true for the errors a briefly open target causes.
func retryable(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	return errno == errorAccessDenied || errno == errorSharingViolation || errno == errorLockViolation
}

// Windows has no umask; file modes map only to the read-only attribute.
func umask() os.FileMode { return 0 }
