//go:build windows

package atomicfile

import (
	"os"
	"syscall"
	"testing"
)

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&os.LinkError{Op: "rename", Err: errorSharingViolation}, true},
		{&os.LinkError{Op: "rename", Err: errorAccessDenied}, true},
		{&os.LinkError{Op: "rename", Err: syscall.Errno(3)}, false}, // path not found
		{os.ErrNotExist, false},
	}
	for _, tt := range tests {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
