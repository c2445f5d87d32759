//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReparsePointsRefused: a symbolic link or a junction planted at a
// name frebscan owns is refused (FILE_FLAG_OPEN_REPARSE_POINT, then the
// regular-file check), and the file it points to is untouched. Creating a
// symbolic link needs Developer Mode or an elevated prompt; the test
// skips that case otherwise. Wine cannot create either (see
// docs/SCHEDULED.md), so this runs on real Windows only.
func TestReparsePointsRefused(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	must(t, os.WriteFile(victim, []byte("precious"), 0o644))
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink(victim, link); err != nil {
		t.Logf("no symbolic link (%v): junction only", err)
	} else {
		checkRefused(t, link, victim)
		os.Remove(link)
	}
	junction := filepath.Join(dir, "index.json")
	if out, err := exec.Command("cmd", "/c", "mklink", "/J", junction, outside).CombinedOutput(); err != nil {
		t.Skipf("mklink /J: %v %s", err, out)
	}
	checkRefused(t, junction, victim)
}

func checkRefused(t *testing.T, path, victim string) {
	t.Helper()
	var nr *NotRegularError
	if err := WriteFile(path, []byte("report"), 0o644); !errors.As(err, &nr) {
		t.Errorf("Write %s: %v, want NotRegularError", path, err)
	}
	if _, err := ReadFile(path, 1<<20); !errors.As(err, &nr) {
		t.Errorf("ReadFile %s: %v, want NotRegularError", path, err)
	}
	if f, err := OpenOwned(path, os.O_RDWR|os.O_CREATE, 0o644); !errors.As(err, &nr) {
		if f != nil {
			f.Close()
		}
		t.Errorf("OpenOwned %s: %v, want NotRegularError", path, err)
	}
	if err := Remove(path); err == nil {
		t.Errorf("Remove %s removed a reparse point", path)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("victim now %q", b)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
