package state

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad: whatever bytes a state file holds (any version: the JSON of
// versions 1 and 2, the compact version 3), Load returns a state (with or
// without a warning) or an error, never panics, and a state it accepts
// saves and loads again without error, with as many files.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{"testdata/v1.json", "testdata/v2.json", "testdata/v3.state"} {
		if b, err := os.ReadFile(seed); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format":"frebscan-state","version":2,"files":{"base64:!!":{}}}`))
	f.Add([]byte(`{"format":"frebscan-state","version":2,"journal":{"traces":["base64:AAA="],"alerts":[null]}}`))
	f.Add([]byte("<failedRequest/>"))
	// Version 3: a table of several files sharing prefixes, pending and
	// missing ones, so mutations reach every branch of the reader.
	s := New()
	for i, k := range []string{"/a/fr1.xml", "/a/fr2.xml", "/a/b/fr1.xml", `c:\logs\fr1.xml`} {
		s.files.put(k, File{Size: int64(i), Head: "00112233445566778899aabbccddeeff", Pending: i == 1, Missing: time.Unix(int64(i*1e9), 0)})
	}
	if b, err := s.Marshal(); err == nil {
		f.Add(b)
	}
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
		l, w, err := Load(path)
		if err != nil || w != "" {
			t.Fatalf("reload: %q %v", w, err)
		}
		if l.Len() != s.Len() {
			t.Fatalf("saved %d files, loaded %d", s.Len(), l.Len())
		}
	})
}
