//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPlantedNamesScheduledRun plants a link (to a victim file outside
// both folders) or a named pipe at every name a scheduled run creates,
// replaces or locks, as the campaign did: the run exits 2 within seconds
// naming the planted path, the victim keeps its bytes, and no report,
// state or incident is written.
func TestPlantedNamesScheduledRun(t *testing.T) {
	names := []string{"out/.frebscan.lock", "var/state.json.lock", "var/state.json", "out/latest.json", "out/latest.html", "out/index.json", "out/index.html", "out/last-run.json"}
	for _, name := range names {
		for _, kind := range []string{"link", "dangling link", "fifo"} {
			t.Run(name+" "+kind, func(t *testing.T) {
				root := t.TempDir()
				out, vardir, outside := filepath.Join(root, "out"), filepath.Join(root, "var"), filepath.Join(root, "outside")
				for _, d := range []string{out, vardir, outside} {
					os.MkdirAll(d, 0o755)
				}
				victim := filepath.Join(outside, "victim")
				planted := filepath.Join(root, name)
				switch kind {
				case "link":
					os.WriteFile(victim, []byte("precious"), 0o644)
					os.Symlink(victim, planted)
				case "dangling link":
					os.Symlink(victim, planted)
				case "fifo":
					if err := syscall.Mkfifo(planted, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				done := make(chan result, 1)
				go func() {
					done <- frebscan(t, "scan", "--state", filepath.Join(vardir, "state.json"), "--out-dir", out,
						"--format", "json", "-o", filepath.Join(out, "last-run.json"), "--fail-on", "high", "--event-log", "off",
						"../../samples/via-persistent-auth")
				}()
				var r result
				select {
				case r = <-done:
				case <-time.After(20 * time.Second):
					t.Fatal("the run hangs on a planted name")
				}
				if r.code != 2 || !strings.Contains(r.stderr, planted) || !strings.Contains(r.stderr, "not a regular file") {
					t.Fatalf("exit %d, stderr %q; want 2 naming %s", r.code, r.stderr, planted)
				}
				switch kind {
				case "link":
					if b, _ := os.ReadFile(victim); string(b) != "precious" {
						t.Errorf("victim now %q", b)
					}
				case "dangling link":
					if _, err := os.Lstat(victim); err == nil {
						t.Error("a file was created where the dangling link points")
					}
				}
				for _, d := range []string{out, vardir} {
					entries, _ := os.ReadDir(d)
					for _, e := range entries {
						if p := filepath.Join(d, e.Name()); p != planted && !strings.HasSuffix(e.Name(), ".lock") {
							t.Errorf("written despite the planted name: %s", p)
						}
					}
				}
			})
		}
	}
}
