package state

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
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

// FuzzTable feeds the version 3 reader file tables of any bytes under a
// header that announces n files and a trailer whose checksum matches, so
// the fuzzer reaches past the checksum (which random bytes never pass in
// FuzzLoad) into every branch of the entry reader. Whatever it accepts
// has its keys in strictly increasing order, as many files as announced,
// and saves and reads back to the same files.
func FuzzTable(f *testing.F) {
	s := New()
	for i, k := range []string{"/a/fr1.xml", "/a/fr2.xml", "/a/b/fr1.xml", `c:\logs\fr1.xml`} {
		s.files.put(k, File{Size: int64(i), Head: "00112233445566778899aabbccddeeff", Pending: i == 1, Missing: time.Unix(int64(i*1e9), 0), change: 5, ino: 7, hasChange: i == 2})
	}
	b, err := s.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	body := b[bytes.IndexByte(b, '\n')+1 : bytes.LastIndex(b, []byte(trailerPrefix))]
	seedBody := body
	f.Add(4, 47, body)
	f.Add(1, 3, []byte{0, 3, 'a', 'b', 'c', flagNoHead, 2, 4})
	f.Fuzz(func(t *testing.T, n, keyBytes int, body []byte) {
		line := fmt.Sprintf(`{"format":"frebscan-state","version":3,"files":%d,"keyBytes":%d}`+"\n", n, keyBytes)
		file := append([]byte(line), body...)
		file = fmt.Appendf(file, "%s%d %08x\n", trailerPrefix, n, crc32.Checksum(file, castagnoli))
		h, tb, err := decode(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			if n == 4 && keyBytes == 47 && bytes.Equal(body, seedBody) {
				t.Fatalf("the seed table is refused: %v", err)
			}
			return
		}
		if len(tb.recs) != h.Files {
			t.Fatalf("%d files read, %d announced", len(tb.recs), h.Files)
		}
		for i := 1; i < len(tb.recs); i++ {
			if bytes.Compare(tb.keyBytes(i-1), tb.keyBytes(i)) >= 0 {
				t.Fatalf("keys %q, %q out of order", tb.keyBytes(i-1), tb.keyBytes(i))
			}
		}
		s := New()
		s.files = tb
		again, err := s.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		_, tb2, err := decode(bytes.NewReader(again), int64(len(again)))
		if err != nil {
			t.Fatalf("saved table does not read back: %v", err)
		}
		var first, second []File
		tb.each(func(_ string, f File) { first = append(first, f) })
		tb2.each(func(_ string, f File) { second = append(second, f) })
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("read back:\n%+v\nwant\n%+v", second, first)
		}
	})
}
