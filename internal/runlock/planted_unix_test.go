//go:build unix

package runlock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
)

// TestPlantedLockFile: a link or a named pipe planted where the lock file
// goes is refused at once, with nothing created, truncated or written
// where a link points (the campaign overwrote a file's first bytes and
// hung on a FIFO holding the other lock).
func TestPlantedLockFile(t *testing.T) {
	for _, kind := range []string{"link to file", "dangling link", "fifo", "link to fifo"} {
		t.Run(kind, func(t *testing.T) {
			dir, outside := t.TempDir(), t.TempDir()
			path := filepath.Join(dir, ".frebscan.lock")
			victim := filepath.Join(outside, "victim")
			switch kind {
			case "link to file":
				os.WriteFile(victim, []byte("precious"), 0o644)
				os.Symlink(victim, path)
			case "dangling link":
				os.Symlink(victim, path)
			case "fifo":
				syscall.Mkfifo(path, 0o644)
			case "link to fifo":
				syscall.Mkfifo(victim, 0o644)
				os.Symlink(victim, path)
			}
			done := make(chan error, 1)
			go func() {
				l, err := Acquire(context.Background(), path, time.Second)
				l.Release()
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Acquire blocked on a planted name")
			}
			var nr *atomicfile.NotRegularError
			if !errors.As(err, &nr) {
				t.Fatalf("err = %v, want NotRegularError", err)
			}
			fi, lerr := os.Lstat(victim)
			switch kind {
			case "link to file":
				if b, _ := os.ReadFile(victim); string(b) != "precious" {
					t.Errorf("victim now %q", b)
				}
			case "dangling link":
				if lerr == nil {
					t.Errorf("created the link's target: %v", fi.Mode())
				}
			}
		})
	}
}
