//go:build unix

package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// Faults of a Unix file system (FIFOs, symbolic links, removal of open
// directories); Windows has other ways to fail and no mkfifo.

// TestScanFaults: file system entries that fail in the ways real
// directories do. Each is listed with its reason; none stops or hangs the
// scan. Symbolic links to directories are not followed (no loops); links
// to files are read.
func TestScanFaults(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join(samples, "healthy-direct", "fr000001.xml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/fr000001.xml", good)
	// A directory where a trace is expected: walked into, nothing to read.
	write("a/fr000002.xml/inner.txt", []byte("x"))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("missing.xml", filepath.Join(dir, "a", "dangling.xml")))
	must(os.Symlink("self.xml", filepath.Join(dir, "a", "self.xml")))
	must(os.Symlink("..", filepath.Join(dir, "a", "loop")))
	must(os.Symlink(".", filepath.Join(dir, "a", "loop.xml")))
	must(os.Symlink("fr000001.xml", filepath.Join(dir, "a", "link.xml")))
	fifo := filepath.Join(dir, "a", "pipe.xml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Logf("no FIFO: %v", err)
		fifo = ""
	} else {
		must(os.Symlink("pipe.xml", filepath.Join(dir, "a", "pipe-link.xml")))
	}

	done := make(chan *Result, 1)
	go func() {
		r, _ := Run(context.Background(), withDefaults(Options{Inputs: []string{dir, fifo}, Workers: 2}))
		done <- r
	}()
	var r *Result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the scan hangs")
	}
	got := reasons(r)
	want := map[string]string{
		"dangling.xml":  "no such file",
		"self.xml":      "too many levels of symbolic links",
		"loop.xml":      "not a regular file (a directory)",
		"pipe.xml":      "not a regular file (a named pipe)",
		"pipe-link.xml": "not a regular file (a named pipe)",
	}
	if fifo == "" {
		delete(want, "pipe.xml")
		delete(want, "pipe-link.xml")
	}
	for name, reason := range want {
		if !strings.Contains(got[name], reason) {
			t.Errorf("%s: %q, want %q", name, got[name], reason)
		}
	}
	if r.Summary.Traces != 2 { // fr000001.xml and link.xml
		t.Errorf("read %d traces, want 2: %+v", r.Summary.Traces, got)
	}
}

// TestScanDirectoryVanishes deletes a directory and a file while the scan
// is under way (from OnFile, after the first file): both are listed as
// unreadable, the rest is read, and the scan ends.
func TestScanDirectoryVanishes(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join(samples, "healthy-direct", "fr000001.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"a", "z"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 60; i++ {
			if err := os.WriteFile(filepath.Join(dir, sub, gen.SampleFileName(i)), good, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// With one worker and small channels the walker is at most a dozen
	// files ahead of the first result, so it is still in a/ when z/ and
	// a's last file go.
	lastA := filepath.Join(dir, "a", gen.SampleFileName(59))
	first := true
	r := run(t, Options{Inputs: []string{dir}, Workers: 1, OnFile: func(string, *freb.Trace, error) {
		if first {
			first = false
			if err := os.RemoveAll(filepath.Join(dir, "z")); err != nil {
				t.Error(err)
			}
			if err := os.Remove(lastA); err != nil {
				t.Error(err)
			}
		}
	}})
	got := map[string]string{}
	for _, u := range r.Unreadable {
		got[u.File] = u.Error
	}
	if !strings.Contains(got[lastA], "no such file") {
		t.Errorf("vanished file: %q (unreadable %v)", got[lastA], got)
	}
	if !strings.Contains(got[filepath.Join(dir, "z")], "no such file") {
		t.Errorf("vanished directory: %q (unreadable %v)", got[filepath.Join(dir, "z")], got)
	}
	if r.Summary.Traces != 59 {
		t.Errorf("read %d traces, want 59", r.Summary.Traces)
	}
}
