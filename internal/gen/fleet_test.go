package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFleet: one folder per server, every trace in it written by
// that server (<Computer>), the requested number of traces each.
func TestWriteFleet(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFleet(dir, FleetOptions{Servers: 3, Traces: 12, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		name := FleetServer(i)
		files, err := filepath.Glob(filepath.Join(dir, name, "W3SVC*", "fr*.xml"))
		if err != nil || len(files) != 12 {
			t.Fatalf("%s: %d traces, %v", name, len(files), err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(data), "<Computer>"+name+"</Computer>"); got == 0 || got != strings.Count(string(data), "<Computer>") {
				t.Errorf("%s: not every event's Computer is %s", f, name)
			}
		}
	}
}
