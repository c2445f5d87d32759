package state

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTableMerge: files loaded from a saved state and files this run
// adds, replaces and forgets come out of the table merged in key order
// (byte order, so mixed case, Windows keys and names sharing a prefix
// with a folder all sort one way), each found again by its key, and the
// same after a save and load.
func TestTableMerge(t *testing.T) {
	loaded := []string{
		"/logs/W3SVC1/fr000002.xml",
		"/logs/W3SVC1/FR000003.XML",
		"/logs/W3SVC1/fr000001.xml",
		"/logs/W3SVC1-old/fr000001.xml",
		"/logs/W3SVC1.bak/fr000001.xml",
		windowsKey(`C:\inetpub\logs\FailedReqLogFiles\W3SVC1\FR000010.XML`),
		windowsKey(`\\EX01\c$\inetpub\logs\FailedReqLogFiles\W3SVC2\fr000001.xml`),
		"/logs/caf\xe9/fr000001.xml",
	}
	tests := []struct {
		name    string
		run     func(tb *table)
		want    []string
		changed map[string]int64 // key: size expected
	}{
		{name: "unchanged", run: func(*table) {}, want: loaded},
		{name: "new files", run: func(tb *table) {
			tb.put("/logs/W3SVC1/fr000004.xml", File{Size: 4})
			tb.put("/logs/A/fr000001.xml", File{Size: 5})
			tb.put(windowsKey(`C:\INETPUB\logs\FailedReqLogFiles\W3SVC1\FR000009.XML`), File{Size: 6})
		}, want: append(slices.Clone(loaded), "/logs/W3SVC1/fr000004.xml", "/logs/A/fr000001.xml", `c:\inetpub\logs\failedreqlogfiles\w3svc1\fr000009.xml`),
			changed: map[string]int64{"/logs/A/fr000001.xml": 5}},
		{name: "changed", run: func(tb *table) {
			tb.put("/logs/W3SVC1/fr000002.xml", File{Size: 99, Head: strings.Repeat("ab", 16)})
		}, want: loaded, changed: map[string]int64{"/logs/W3SVC1/fr000002.xml": 99}},
		{name: "removed", run: func(tb *table) {
			tb.remove("/logs/W3SVC1/fr000001.xml")
			tb.remove(windowsKey(`\\ex01\C$\inetpub\logs\FailedReqLogFiles\W3SVC2\FR000001.XML`))
		}, want: without(loaded, "/logs/W3SVC1/fr000001.xml", windowsKey(`\\EX01\c$\inetpub\logs\FailedReqLogFiles\W3SVC2\fr000001.xml`))},
		{name: "removed then added again", run: func(tb *table) {
			tb.remove("/logs/W3SVC1/fr000001.xml")
			tb.put("/logs/W3SVC1/fr000001.xml", File{Size: 7})
		}, want: loaded, changed: map[string]int64{"/logs/W3SVC1/fr000001.xml": 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			for i, k := range loaded {
				s.files.put(k, File{Size: int64(i), ModTime: time.Unix(1700000000, int64(i)), Head: strings.Repeat("0f", 16)})
			}
			s = nextRun(t, s)
			tt.run(s.files)
			check := func(s *State) {
				t.Helper()
				var keys []string
				s.files.each(func(k string, f File) {
					keys = append(keys, k)
					if f.Path != k {
						t.Errorf("file %q has path %q", k, f.Path)
					}
				})
				want := slices.Clone(tt.want)
				slices.Sort(want)
				if !slices.Equal(keys, want) {
					t.Errorf("keys in order:\n got %q\nwant %q", keys, want)
				}
				for _, k := range want {
					f, ok := s.Lookup(k)
					if !ok {
						t.Errorf("%q not found", k)
						continue
					}
					if size, ok := tt.changed[k]; ok && f.Size != size {
						t.Errorf("%q: size %d, want %d", k, f.Size, size)
					}
				}
				if s.Len() != len(want) {
					t.Errorf("Len = %d, want %d", s.Len(), len(want))
				}
			}
			check(s)
			check(nextRun(t, s))
		})
	}
}

// TestSkipAgainstTheWalk: a file is skipped exactly when it is the one
// recorded: same size, modification time and first bytes, whether the
// run trusts its change time (Linux) or hashes it again. A file written
// with its size and time put back, or replaced by another under the same
// name, is read again; a file only renamed over or chmod-ed, with the
// same content, is not.
func TestSkipAgainstTheWalk(t *testing.T) {
	old := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	content := []byte("<failedRequest activityId='{1}'>" + strings.Repeat(" ", 100) + "</failedRequest>")
	tests := []struct {
		name   string
		change func(t *testing.T, p string)
		skip   bool
	}{
		{name: "unchanged", change: func(*testing.T, string) {}, skip: true},
		{name: "rewritten, same size and time", change: func(t *testing.T, p string) {
			b := bytes.Replace(content, []byte("{1}"), []byte("{2}"), 1)
			must(t, os.WriteFile(p, b, 0o644))
			must(t, os.Chtimes(p, old, old))
		}},
		{name: "grown", change: func(t *testing.T, p string) {
			must(t, os.WriteFile(p, append(slices.Clone(content), ' '), 0o644))
			must(t, os.Chtimes(p, old, old))
		}},
		{name: "touched", change: func(t *testing.T, p string) {
			must(t, os.Chtimes(p, old.Add(time.Hour), old.Add(time.Hour)))
		}},
		{name: "another file renamed over it, same size and time", change: func(t *testing.T, p string) {
			other := p + ".new"
			must(t, os.WriteFile(other, bytes.Replace(content, []byte("{1}"), []byte("{3}"), 1), 0o644))
			must(t, os.Chtimes(other, old, old))
			must(t, os.Rename(other, p))
		}},
		{name: "an identical copy renamed over it", change: func(t *testing.T, p string) {
			other := p + ".new"
			must(t, os.WriteFile(other, content, 0o644))
			must(t, os.Chtimes(other, old, old))
			must(t, os.Rename(other, p))
		}, skip: true},
		{name: "chmod only", change: func(t *testing.T, p string) {
			must(t, os.Chmod(p, 0o600))
		}, skip: true},
	}
	for _, tt := range tests {
		for _, racy := range []bool{false, true} {
			name := tt.name
			if racy {
				name += ", recorded just after a write"
			}
			t.Run(name, func(t *testing.T) {
				p := filepath.Join(t.TempDir(), "fr000001.xml")
				must(t, os.WriteFile(p, content, 0o644))
				must(t, os.Chtimes(p, old, old))
				now := time.Now().Add(time.Hour)
				if racy {
					now = time.Now()
				}
				s := New()
				s.now = func() time.Time { return now }
				s.Record(p, nil, nil)
				s = nextRun(t, s)
				f, _ := s.Lookup(Key(p))
				if wantTrust := runtime.GOOS == "linux" && !racy; f.hasChange != wantTrust {
					t.Fatalf("change time kept %v, want %v", f.hasChange, wantTrust)
				}
				tt.change(t, p)
				now = time.Now().Add(2 * time.Hour)
				fi, err := os.Lstat(p)
				must(t, err)
				if got := s.Skip(p, fi); got != tt.skip {
					t.Errorf("Skip = %v, want %v", got, tt.skip)
				}
				if !tt.skip {
					return
				}
				// A file found unchanged by hashing keeps its change time
				// now, so the next run need not open it.
				s = nextRun(t, s)
				if f, _ := s.Lookup(Key(p)); f.hasChange != (runtime.GOOS == "linux") {
					t.Errorf("after an unchanged run, change time kept %v", f.hasChange)
				}
				if !s.Skip(p, nil) {
					t.Error("not skipped on the next run")
				}
			})
		}
	}
}

// TestSkipTrustsTheChangeTime proves the steady run does not open a file
// whose change time, inode, size and time are as recorded: the recorded
// head is made wrong, and the file is still skipped (hashing it would
// not). With a change time that differs, it is hashed and read again.
func TestSkipTrustsTheChangeTime(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("change times are read on Linux only")
	}
	p := filepath.Join(t.TempDir(), "fr000001.xml")
	must(t, os.WriteFile(p, []byte("<failedRequest/>"), 0o644))
	s := New()
	s.now = func() time.Time { return time.Now().Add(time.Hour) }
	s.Record(p, nil, nil)
	f, _ := s.Lookup(Key(p))
	f.Head = strings.Repeat("00", 16)
	s.files.put(Key(p), f)
	if !s.Skip(p, nil) {
		t.Error("a file whose change time is as recorded was opened and hashed")
	}
	f.change--
	s.files.put(Key(p), f)
	if s.Skip(p, nil) {
		t.Error("a file whose change time differs was not hashed again")
	}
}

// TestDamagedState: a version 3 state cut anywhere, with a byte changed,
// or with bytes after its end, loads as a fresh state with a warning that
// names the file, says it is damaged and that traces are reported again,
// and says what to do; never an error (the run must go on), never a
// silent fresh start.
func TestDamagedState(t *testing.T) {
	s := New()
	for i := range 5 {
		s.files.put(filepath.Join("/logs/W3SVC1", "fr00000"+string(rune('1'+i))+".xml"), File{Size: int64(100 * i), Head: strings.Repeat("1f", 16), Pending: i == 2, Analysed: time.Unix(1700000000, 0), Missing: time.Unix(int64(1700000000*(i%2)), 0)})
	}
	good, err := s.Marshal()
	must(t, err)
	bodyStart := bytes.IndexByte(good, '\n') + 1
	variants := map[string][]byte{
		"header cut":        good[:bodyStart-5],
		"no trailer":        good[:len(good)-len("\nend 5 00000000\n")],
		"trailer cut":       good[:len(good)-3],
		"byte changed":      flip(good, bodyStart+3),
		"head byte changed": flip(good, len(good)-30),
		"bytes after it":    append(slices.Clone(good), "more"...),
		"count changed":     bytes.Replace(good, []byte(`"files":5`), []byte(`"files":4`), 1),
	}
	for n := bodyStart; n < len(good); n += 7 {
		variants["cut at "+strconv.Itoa(n)] = good[:n]
	}
	for name, b := range variants {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			must(t, os.WriteFile(path, b, 0o600))
			l, w, err := Load(path)
			if err != nil || l == nil || l.Len() != 0 {
				t.Fatalf("err %v, state %v: want a fresh state", err, l)
			}
			for _, want := range []string{path, "damaged", "reported again", "restore"} {
				if !strings.Contains(w, want) {
					t.Errorf("warning %q does not say %q", w, want)
				}
			}
		})
	}
	path := filepath.Join(t.TempDir(), "state.json")
	must(t, os.WriteFile(path, good, 0o600))
	if l, w, err := Load(path); err != nil || w != "" || l.Len() != 5 {
		t.Fatalf("the undamaged file: %q %v %d files", w, err, l.Len())
	}
}

// TestNewerCompactState: a state from a later frebscan in the compact
// layout is refused, not taken as damaged and replaced.
func TestNewerCompactState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	must(t, os.WriteFile(path, []byte(`{"format":"frebscan-state","version":4,"files":1}`+"\n\x00\x01binary"), 0o600))
	if s, _, err := Load(path); err == nil || s != nil || !strings.Contains(err.Error(), "newer frebscan") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func flip(b []byte, i int) []byte {
	b = slices.Clone(b)
	b[i] ^= 0x40
	return b
}

func without(keys []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return slices.Contains(drop, k) })
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestKeyRelative: a relative name (the user named a relative folder)
// gets the key of its absolute path, as Key gives it, though the state
// asks for the working directory only once.
func TestKeyRelative(t *testing.T) {
	s := New()
	for _, p := range []string{"W3SVC1/fr000001.xml", "./W3SVC1/../W3SVC1/fr000001.xml", "fr000001.xml"} {
		if got, want := s.key(p), Key(p); got != want {
			t.Errorf("key(%q) = %q, want %q", p, got, want)
		}
	}
}
