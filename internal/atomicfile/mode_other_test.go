//go:build !windows

package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteMode checks new files get the requested mode (less the umask)
// rather than CreateTemp's 0600. Windows maps modes to the read-only
// attribute only, so this runs elsewhere.
func TestWriteMode(t *testing.T) {
	dir := t.TempDir()
	for _, perm := range []os.FileMode{0o644, 0o600} {
		path := filepath.Join(dir, perm.String())
		if err := WriteFile(path, []byte("x"), perm); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(path)
		if want := perm &^ umask(); fi.Mode().Perm() != want {
			t.Errorf("mode %v, want %v", fi.Mode().Perm(), want)
		}
	}
}
