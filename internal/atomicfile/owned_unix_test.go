//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// plant makes name in dir something other than a regular file, as an
// attacker with write access to the report folder could, and returns
// the path of a victim file a link points to (when there is one).
func plant(t *testing.T, dir, name, kind string) (path, victim string) {
	t.Helper()
	path = filepath.Join(dir, name)
	outside := t.TempDir()
	victim = filepath.Join(outside, "victim")
	switch kind {
	case "link to file":
		if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
			t.Fatal(err)
		}
		must(t, os.Symlink(victim, path))
	case "dangling link":
		must(t, os.Symlink(victim, path))
	case "link to device":
		must(t, os.Symlink("/dev/null", path))
	case "link to zero":
		must(t, os.Symlink("/dev/zero", path))
	case "fifo":
		must(t, syscall.Mkfifo(path, 0o644))
	case "link to fifo":
		must(t, syscall.Mkfifo(victim, 0o644))
		must(t, os.Symlink(victim, path))
	case "directory":
		must(t, os.Mkdir(path, 0o755))
	default:
		t.Fatalf("unknown kind %q", kind)
	}
	return path, victim
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var plantedKinds = []string{"link to file", "dangling link", "link to device", "link to zero", "fifo", "link to fifo", "directory"}

// within fails the test when f does not return within d: opening a named
// pipe must never wait for its other end.
func within(t *testing.T, d time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("still blocked after %s", d)
		return nil
	}
}

// TestWriteRefusesPlanted: nothing is written through or onto a planted
// name, the victim keeps its bytes, a dangling link creates nothing, and
// the error names the path.
func TestWriteRefusesPlanted(t *testing.T) {
	for _, kind := range plantedKinds {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			path, victim := plant(t, dir, "latest.json", kind)
			err := within(t, 5*time.Second, func() error { return WriteFile(path, []byte("report"), 0o644) })
			var nr *NotRegularError
			if !errors.As(err, &nr) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want a NotRegularError naming %s", err, path)
			}
			checkVictim(t, kind, victim)
			if l := leftovers(t, dir, "latest.json"); len(l) > 0 {
				t.Errorf("temporary files left: %v", l)
			}
		})
	}
}

func checkVictim(t *testing.T, kind, victim string) {
	t.Helper()
	switch kind {
	case "link to file":
		if b, _ := os.ReadFile(victim); string(b) != "precious" {
			t.Errorf("victim now %q", b)
		}
	case "dangling link":
		if _, err := os.Lstat(victim); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a file was created where the dangling link points: %v", err)
		}
	}
}

func TestReadFileRefusesPlanted(t *testing.T) {
	for _, kind := range plantedKinds {
		t.Run(kind, func(t *testing.T) {
			path, victim := plant(t, t.TempDir(), "state.json", kind)
			err := within(t, 5*time.Second, func() error { _, err := ReadFile(path, 1<<20); return err })
			var nr *NotRegularError
			if !errors.As(err, &nr) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want a NotRegularError naming %s", err, path)
			}
			checkVictim(t, kind, victim)
		})
	}
}

func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	must(t, os.WriteFile(path, make([]byte, 2<<20), 0o600))
	var tl *TooLargeError
	if _, err := ReadFile(path, 1<<20); !errors.As(err, &tl) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want TooLargeError naming the file", err)
	}
	if b, err := ReadFile(path, 2<<20); err != nil || len(b) != 2<<20 {
		t.Fatalf("at the limit: %d bytes, %v", len(b), err)
	}
	if _, err := ReadFile(path+".missing", 1); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: %v, want ErrNotExist", err)
	}
}

func TestOpenOwnedCreatesRegular(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".frebscan.lock")
	f, err := OpenOwned(path, os.O_RDWR|os.O_CREATE, 0o644)
	must(t, err)
	f.Close()
	for _, kind := range plantedKinds {
		t.Run(kind, func(t *testing.T) {
			path, victim := plant(t, t.TempDir(), ".frebscan.lock", kind)
			err := within(t, 5*time.Second, func() error {
				f, err := OpenOwned(path, os.O_RDWR|os.O_CREATE, 0o644)
				if err == nil {
					f.Close()
				}
				return err
			})
			var nr *NotRegularError
			if !errors.As(err, &nr) {
				t.Fatalf("err = %v, want NotRegularError", err)
			}
			checkVictim(t, kind, victim)
		})
	}
}

func TestRemoveOnlyRegular(t *testing.T) {
	for _, kind := range plantedKinds {
		t.Run(kind, func(t *testing.T) {
			path, victim := plant(t, t.TempDir(), "incident-20260101T000000Z.json", kind)
			if err := Remove(path); err == nil {
				t.Fatal("removed a planted name")
			}
			if _, err := os.Lstat(path); err != nil {
				t.Errorf("planted name gone: %v", err)
			}
			checkVictim(t, kind, victim)
		})
	}
	path := filepath.Join(t.TempDir(), "incident.json")
	must(t, os.WriteFile(path, nil, 0o644))
	if err := Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := Remove(path); err != nil {
		t.Fatalf("missing file: %v", err)
	}
}

// TestWriteOutput: -o keeps writing to a device the user names, and to a
// pipe with a reader, but a pipe without one fails at once, and a link to
// a device outside /dev is refused.
func TestWriteOutput(t *testing.T) {
	if err := WriteOutput("/dev/null", 0o644, text("x")); err != nil {
		t.Fatalf("/dev/null: %v", err)
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	must(t, syscall.Mkfifo(fifo, 0o644))
	err := within(t, 5*time.Second, func() error { return WriteOutput(fifo, 0o644, text("x")) })
	if err == nil || !strings.Contains(err.Error(), fifo) {
		t.Fatalf("pipe without reader: %v, want an error naming it", err)
	}
	link := filepath.Join(dir, "null")
	must(t, os.Symlink("/dev/null", link))
	var nr *NotRegularError
	if err := WriteOutput(link, 0o644, text("x")); !errors.As(err, &nr) {
		t.Fatalf("link to a device: %v, want NotRegularError", err)
	}
	target := filepath.Join(dir, "target")
	must(t, os.WriteFile(target, []byte("old"), 0o644))
	toFile := filepath.Join(dir, "report.json")
	must(t, os.Symlink(target, toFile))
	must(t, WriteOutput(toFile, 0o644, text("new")))
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("written through a link: target now %q", b)
	}
	if b, _ := os.ReadFile(toFile); string(b) != "new" {
		t.Errorf("report = %q", b)
	}
}
