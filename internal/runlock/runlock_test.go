package runlock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A child process (this test binary re-run) takes the lock and prints
// "locked", then sleeps until killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("RUNLOCK_HOLD"); path != "" {
		if _, err := Acquire(context.Background(), path, 0); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holdInChild starts a process that holds the lock and waits until it
// does.
func holdInChild(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RUNLOCK_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "locked") {
		t.Fatalf("child did not take the lock: %q", buf[:n])
	}
	return cmd
}

func TestHeldLockRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json.lock")
	child := holdInChild(t, path)
	_, err := Acquire(context.Background(), path, 0)
	var busy *BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("err = %v, want a BusyError", err)
	}
	want := fmt.Sprintf("pid %d", child.Process.Pid)
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
		t.Errorf("message %q should name %s and %q", err, path, want)
	}
}

func TestWaitTimesOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	holdInChild(t, path)
	start := time.Now()
	_, err := Acquire(context.Background(), path, 600*time.Millisecond)
	var busy *BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "waited 600ms") {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(start); el < 500*time.Millisecond {
		t.Errorf("gave up after %s, before the timeout", el)
	}
}

// TestKilledHolderReleases is the crash case: the holder is killed with
// no chance to clean up, its lock file stays, and the next run proceeds.
func TestKilledHolderReleases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json.lock")
	child := holdInChild(t, path)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the killed run's lock file should remain: %v", err)
	}
	l, err := Acquire(context.Background(), path, 0)
	if err != nil {
		t.Fatalf("lock left by a killed run blocks: %v", err)
	}
	l.Release()
}

// TestWaitSucceedsWhenHolderEnds: a waiting run gets the lock once the
// other run finishes.
func TestWaitSucceedsWhenHolderEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	child := holdInChild(t, path)
	go func() { time.Sleep(300 * time.Millisecond); child.Process.Kill() }()
	l, err := Acquire(context.Background(), path, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
}

func TestLeftoverFileAndReacquire(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	os.WriteFile(path, []byte("garbage from an older version\n"), 0o644)
	l, err := Acquire(context.Background(), path, 0)
	if err != nil {
		t.Fatalf("leftover file blocks: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l, err = Acquire(context.Background(), path, 0)
	if err != nil {
		t.Fatalf("released lock blocks: %v", err)
	}
	l.Release()
}

func TestLockDirMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "x.lock")
	_, err := Acquire(context.Background(), path, 0)
	var busy *BusyError
	if err == nil || errors.As(err, &busy) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want an error naming %s", err, path)
	}
}
