//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/state"
)

// TestScanInterrupted sends SIGINT (Ctrl+C) to a scan of 2,000 traces read
// one at a time with the slow reference reader: the scan stops early,
// exits 130, the report says it is partial, and the state file is valid
// and loads, covering the files read.
func TestScanInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the generated corpus")
	}
	dir, _ := generatedCorpus(t)
	tmp := t.TempDir()
	stateFile := filepath.Join(tmp, "frebscan.state")
	report := filepath.Join(tmp, "report.json")
	cmd := exec.Command(binary, "scan", "--workers", "1", "--reader", "reference", "--progress", "never",
		"--format", "json", "-o", report, "--state", stateFile, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatalf("the scan ended before the signal: %v", err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr %q", stderr.String())
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Partial bool
		Summary struct{ Files, Traces int }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("report: %v", err)
	}
	if !doc.Partial || doc.Summary.Files == 0 || doc.Summary.Files >= corpusFiles {
		t.Errorf("partial %v after %d of %d files", doc.Partial, doc.Summary.Files, corpusFiles)
	}
	// The state is whole: its trailer's count and checksum match.
	if _, warning, err := state.Load(stateFile); warning != "" || err != nil {
		t.Errorf("state does not load cleanly: %s %v", warning, err)
	}
	t.Logf("interrupted after %d files", doc.Summary.Files)
}

// TestScanOutputFullDevice writes the report to /dev/full: the scan exits
// 2 naming the file and the cause, and /dev/full is still the device (an
// atomic rename would have replaced it).
func TestScanOutputFullDevice(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	r := frebscan(t, "scan", "-o", "/dev/full", "../../samples/healthy-direct")
	if r.code != 2 || !strings.Contains(r.stderr, "/dev/full") || !strings.Contains(r.stderr, "no space left") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	fi, err := os.Stat("/dev/full")
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is no longer a device: %v %v", fi.Mode(), err)
	}
}

// mountTmpfs mounts a tiny tmpfs (root only) and fills it; the test is
// skipped where mounting is not permitted.
func mountTmpfs(t *testing.T, dir string) {
	t.Helper()
	mountTmpfsSize(t, dir, "64k")
}

// mountTmpfsSize is mountTmpfs with the size given.
func mountTmpfsSize(t *testing.T, dir, size string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
}

// TestOutDirFullOrReadOnly: --out-dir on a full disk and on a read-only
// one. Each run exits 2 naming --out-dir and the cause, leaves no
// temporary file behind, and its journal says the incident is not
// written, so the next run reports the same traces.
func TestOutDirFullOrReadOnly(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "reports")
	mountTmpfs(t, out)
	// Fill the file system.
	filler, err := os.Create(filepath.Join(out, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := filler.Write(chunk); err != nil {
			break
		}
	}
	filler.Close()
	// The run lock (.frebscan.lock) stays by design: count everything else.
	entries := func() int {
		list, _ := os.ReadDir(out)
		n := 0
		for _, e := range list {
			if e.Name() != ".frebscan.lock" {
				n++
			}
		}
		return n
	}
	before := entries()
	stateFile := filepath.Join(tmp, "frebscan.state")
	for _, tc := range []struct{ name, want string }{
		{"full", "no space left"},
		{"read-only", "read-only file system"},
	} {
		if tc.name == "read-only" {
			if b, err := exec.Command("mount", "-o", "remount,ro", out).CombinedOutput(); err != nil {
				t.Skipf("cannot remount read-only: %v %s", err, b)
			}
		}
		r := frebscan(t, "scan", "--state", stateFile, "--out-dir", out, "../../samples/via-persistent-auth")
		if r.code != 2 || !strings.Contains(r.stderr, "--out-dir") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q", tc.name, r.code, r.stderr)
		}
		if after := entries(); after != before {
			t.Errorf("%s: %d entries left in the out-dir, want %d", tc.name, after, before)
		}
		if st, _, err := state.Load(stateFile); err != nil || st.Journal == nil || st.Journal.Written || len(st.Journal.Traces) != 4 {
			t.Errorf("%s: state does not hold the unwritten run for the next one: %v %+v", tc.name, err, st)
		}
	}
}
