package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// leftovers lists files other than the target in dir: a write must never
// leave its temporary file behind.
func leftovers(t *testing.T, dir, target string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != target {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" : no file before
		write    func(io.Writer) error
		want     string // content afterwards
		wantErr  string
	}{
		{name: "new file", write: text("one"), want: "one"},
		{name: "replaces existing", existing: "old content, longer", write: text("new"), want: "new"},
		{name: "error keeps old", existing: "old", write: func(w io.Writer) error {
			io.WriteString(w, "half")
			return errors.New("disk full")
		}, want: "old", wantErr: "disk full"},
		{name: "error without old", write: func(io.Writer) error { return errors.New("boom") }, wantErr: "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "latest.json")
			if tt.existing != "" {
				os.WriteFile(path, []byte(tt.existing), 0o644)
			}
			err := Write(path, 0o644, tt.write)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("err = %v, want one naming %s and %q", err, path, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			b, readErr := os.ReadFile(path)
			switch {
			case tt.want == "" && !errors.Is(readErr, os.ErrNotExist):
				t.Errorf("file exists after a failed first write: %q %v", b, readErr)
			case tt.want != "" && string(b) != tt.want:
				t.Errorf("content = %q, want %q", b, tt.want)
			}
			if l := leftovers(t, dir, "latest.json"); len(l) > 0 {
				t.Errorf("temporary files left: %v", l)
			}
		})
	}
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestWriteTempInSameDir checks the temporary file is a sibling of the
// target: a rename across file systems is a copy, not atomic.
func TestWriteTempInSameDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	var tmpName string
	err := Write(path, 0o600, func(w io.Writer) error {
		tmpName = w.(*os.File).Name()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(tmpName) != dir || !strings.HasPrefix(filepath.Base(tmpName), ".state.json.") {
		t.Errorf("temporary file %s, want a hidden sibling of %s", tmpName, path)
	}
}

func TestWriteMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "f.json")
	err := WriteFile(path, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want one naming %s", err, path)
	}
}

// TestRenameRetry covers the Windows case where an antivirus scanner
// holds the target open for a moment: retryable errors are retried with
// a back-off, others fail at once.
func TestRenameRetry(t *testing.T) {
	busy := errors.New("sharing violation")
	tests := []struct {
		name      string
		failures  int // renames that fail before one succeeds
		fail      error
		wantCalls int
		wantErr   bool
	}{
		{name: "first try", failures: 0, wantCalls: 1},
		{name: "busy twice", failures: 2, fail: busy, wantCalls: 3},
		{name: "busy always", failures: 99, fail: busy, wantCalls: 4, wantErr: true},
		{name: "permanent error", failures: 99, fail: errors.New("read-only"), wantCalls: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			rename := func(string, string) error {
				calls++
				if calls <= tt.failures {
					return tt.fail
				}
				return nil
			}
			err := renameRetry("a", "b", rename, func(err error) bool { return err == busy }, 4, time.Microsecond)
			if calls != tt.wantCalls || (err != nil) != tt.wantErr {
				t.Errorf("calls %d err %v; want %d calls, error %v", calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
}
