package notify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the commands below are sh scripts")
	}
	dir := t.TempDir()
	got := filepath.Join(dir, "got.json")
	tests := []struct {
		name    string
		command string
		timeout time.Duration
		wantErr string
		wantLog []string
	}{
		{name: "stdin reaches the command", command: "cat > '" + got + "'; echo delivered; echo warn >&2", wantLog: []string{"notify: delivered\n", "notify: warn\n"}},
		{name: "output prefixed", command: "printf 'line one\\nline two'", wantLog: []string{"notify: line one\n", "notify: line two\n"}},
		{name: "exit status", command: "echo smtp down >&2; exit 3", wantErr: "exit status 3", wantLog: []string{"notify: smtp down\n"}},
		{name: "not found", command: "/no/such/notifier", wantErr: "exit status 127"},
		{name: "timeout stops the pipeline", command: "sleep 30 | cat", timeout: 300 * time.Millisecond, wantErr: "did not finish within 300ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			start := time.Now()
			err := Run(context.Background(), tt.command, []byte(`{"schemaVersion":1}`), tt.timeout, &log, "notify: ")
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
			for _, w := range tt.wantLog {
				if !strings.Contains(log.String(), w) {
					t.Errorf("log %q lacks %q", log.String(), w)
				}
			}
		})
	}
	b, err := os.ReadFile(got)
	if err != nil || string(b) != `{"schemaVersion":1}` {
		t.Errorf("command's stdin = %q, %v", b, err)
	}
}
