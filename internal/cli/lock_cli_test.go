package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/runlock"
)

const holdLockEnv = "FREBSCAN_TEST_HOLD_LOCK"

// holdLock runs in a child process: it takes the lock, says so, and waits
// to be killed.
func holdLock(path string) {
	if _, err := runlock.Acquire(context.Background(), path, 0); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// lockHolder starts a process that holds the lock at path.
func lockHolder(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("lock holder: %q", line)
	}
	return cmd
}

// TestLockConcurrentRunRefuses: while another run holds the state lock a
// second run exits 2 without touching the state, and with --lock-timeout
// it waits for the lock.
func TestLockConcurrentRunRefuses(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	stateFile := filepath.Join(tmp, "frebscan.state")
	holder := lockHolder(t, stateFile+".lock")

	r := frebscan(t, "scan", "--state", stateFile, "--fail-on", "none", "../../samples/healthy-direct")
	if r.code != 2 || !strings.Contains(r.stderr, "another frebscan run holds the lock "+stateFile+".lock") ||
		!strings.Contains(r.stderr, fmt.Sprintf("pid %d", holder.Process.Pid)) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(stateFile); err == nil {
		t.Error("the refused run wrote the state")
	}

	r = frebscan(t, "scan", "--state", stateFile, "--fail-on", "none", "--lock-timeout", "700ms", "../../samples/healthy-direct")
	if r.code != 2 || !strings.Contains(r.stderr, "waited 700ms") {
		t.Fatalf("--lock-timeout: exit %d, stderr %q", r.code, r.stderr)
	}

	// An out-dir shared by two runs with different states is locked too.
	outDir := filepath.Join(tmp, "reports")
	os.MkdirAll(outDir, 0o755)
	lockHolder(t, filepath.Join(outDir, ".frebscan.lock"))
	r = frebscan(t, "scan", "--out-dir", outDir, "--fail-on", "none", "../../samples/via-persistent-auth")
	if r.code != 2 || !strings.Contains(r.stderr, "--out-dir: another frebscan run") {
		t.Fatalf("out-dir lock: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLockLeftByKilledRun: a run killed while holding the lock leaves
// the lock file behind; the next run proceeds.
func TestLockLeftByKilledRun(t *testing.T) {
	t.Parallel()
	stateFile := filepath.Join(t.TempDir(), "frebscan.state")
	holder := lockHolder(t, stateFile+".lock")
	holder.Process.Kill()
	holder.Wait()
	if _, err := os.Stat(stateFile + ".lock"); err != nil {
		t.Fatalf("lock file should be left behind: %v", err)
	}
	r := frebscan(t, "scan", "--state", stateFile, "--fail-on", "none", "--format", "json", "../../samples/healthy-direct")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(stateFile); err != nil {
		t.Errorf("state not written: %v", err)
	}
}
