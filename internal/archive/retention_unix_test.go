//go:build unix

package archive

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
)

// TestRetentionOnlyOwnFiles is the campaign's retention attack: index
// entries naming files outside the folder or files frebscan never wrote,
// and incident-like names that are links, must survive --keep 1.
func TestRetentionOnlyOwnFiles(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	outside := filepath.Join(root, "outside")
	os.MkdirAll(dir, 0o755)
	os.MkdirAll(outside, 0o755)
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	userFile := filepath.Join(dir, "incident-notes.json")
	os.WriteFile(userFile, []byte("mine"), 0o644)
	linkVictim := filepath.Join(outside, "linked")
	os.WriteFile(linkVictim, []byte("precious"), 0o644)
	os.Symlink(linkVictim, filepath.Join(dir, "incident-20200101T000000Z.html"))
	index := `{"entries":[
	 {"time":"2020-01-01T00:00:00Z","files":{"json":"../outside/victim","html":"incident-20200101T000000Z.html"}},
	 {"time":"2020-01-02T00:00:00Z","files":{"json":"incident-notes.json","x":"/etc/passwd"}}]}`
	os.WriteFile(filepath.Join(dir, "index.json"), []byte(index), 0o644)
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if _, _, err := Update(Options{Dir: dir, Formats: []string{"json"}, Keep: 1, Now: base}, result(1), writer("a")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{victim, userFile, linkVictim, filepath.Join(dir, "incident-20200101T000000Z.html")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("retention removed %s: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(linkVictim); string(b) != "precious" {
		t.Errorf("link target changed: %q", b)
	}
}

// TestCorruptIndexDeletesOnlyOwnFiles: a broken index is rebuilt from
// generated names that are regular files only.
func TestCorruptIndexDeletesOnlyOwnFiles(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	keep := []string{"incident-old.json", "incident-20200101T000000Z.json.bak", "incident-20200101T000000Z.json~"}
	for _, n := range keep {
		os.WriteFile(filepath.Join(dir, n), []byte("user"), 0o644)
	}
	linkVictim := filepath.Join(outside, "v")
	os.WriteFile(linkVictim, []byte("precious"), 0o644)
	os.Symlink(linkVictim, filepath.Join(dir, "incident-20200102T000000Z.json"))
	keep = append(keep, "incident-20200102T000000Z.json")
	own := filepath.Join(dir, "incident-20200103T000000Z.json")
	os.WriteFile(own, []byte("old report"), 0o644)
	os.WriteFile(filepath.Join(dir, "index.json"), []byte("{broken"), 0o644)
	if _, _, err := Update(Options{Dir: dir, Formats: []string{"json"}, Keep: 1, Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}, result(1), writer("a")); err != nil {
		t.Fatal(err)
	}
	for _, n := range keep {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("removed %s: %v", n, err)
		}
	}
	if _, err := os.Stat(own); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an old incident of its own survived --keep 1: %v", err)
	}
	if b, _ := os.ReadFile(linkVictim); string(b) != "precious" {
		t.Errorf("link target changed: %q", b)
	}
}

// TestPlantedReportNames: latest.json, index.json or index.html planted
// as a link or a pipe stops the update with an error naming it, no hang,
// and nothing is written where a link points.
func TestPlantedReportNames(t *testing.T) {
	for _, name := range []string{"latest.json", "latest.html", "index.json", "index.html"} {
		for _, kind := range []string{"link", "fifo"} {
			t.Run(name+" "+kind, func(t *testing.T) {
				dir, outside := t.TempDir(), t.TempDir()
				victim := filepath.Join(outside, "victim")
				os.WriteFile(victim, []byte("precious"), 0o644)
				p := filepath.Join(dir, name)
				if kind == "link" {
					os.Symlink(victim, p)
				} else {
					syscall.Mkfifo(p, 0o644)
				}
				done := make(chan error, 1)
				go func() {
					_, _, err := Update(Options{Dir: dir, Formats: []string{"json", "html"}, Now: time.Now()}, result(1), writer("a"))
					done <- err
				}()
				select {
				case err := <-done:
					var nr *atomicfile.NotRegularError
					if !errors.As(err, &nr) || !strings.Contains(err.Error(), p) {
						t.Fatalf("err = %v, want NotRegularError naming %s", err, p)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("update blocked")
				}
				if b, _ := os.ReadFile(victim); string(b) != "precious" {
					t.Errorf("victim changed: %q", b)
				}
			})
		}
	}
}

// TestCleanTemps removes only stale temporary files of names it owns.
func TestCleanTemps(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-2 * time.Hour)
	files := map[string]bool{ // name: removed
		".latest.json.123.tmp":                   true,
		".incident-20260101T000000Z.html.99.tmp": true,
		".index.json.7.tmp":                      true,
		".mine.json.1.tmp":                       false,
		"latest.json.1.tmp":                      false,
		".latest.json.abc.tmp":                   false,
		".incident-20260101T000000Z.json.5.tmp~": false,
	}
	for n := range files {
		p := filepath.Join(dir, n)
		os.WriteFile(p, nil, 0o644)
		os.Chtimes(p, old, old)
	}
	fresh := filepath.Join(dir, ".latest.html.5.tmp")
	os.WriteFile(fresh, nil, 0o644)
	files[".latest.html.5.tmp"] = false
	CleanTemps(dir, now)
	for n, removed := range files {
		_, err := os.Lstat(filepath.Join(dir, n))
		if gone := errors.Is(err, os.ErrNotExist); gone != removed {
			t.Errorf("%s: removed %v, want %v", n, gone, removed)
		}
	}
}
