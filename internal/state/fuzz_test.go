package state

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: whatever bytes a state file holds, Load returns a state (with
// or without a warning) or an error, never panics, and a state it accepts
// saves and loads again without error.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{"testdata/v1.json", "testdata/v2.json"} {
		if b, err := os.ReadFile(seed); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format":"frebscan-state","version":2,"files":{"base64:!!":{}}}`))
	f.Add([]byte(`{"format":"frebscan-state","version":2,"journal":{"traces":["base64:AAA="],"alerts":[null]}}`))
	f.Add([]byte("<failedRequest/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "state.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, _, err := Load(path)
		if err != nil {
			return
		}
		if err := s.Save(path); err != nil {
			t.Fatalf("save of a loaded state: %v", err)
		}
		if _, w, err := Load(path); err != nil || w != "" {
			t.Fatalf("reload: %q %v", w, err)
		}
	})
}
