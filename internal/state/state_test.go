package state

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

func TestWindowsKey(t *testing.T) {
	same := []string{
		`C:\inetpub\logs\FailedReqLogFiles\W3SVC1\fr000001.xml`,
		`c:\INETPUB\logs\FailedReqLogFiles\W3SVC1\FR000001.XML`,
		`C:/inetpub/logs/FailedReqLogFiles/W3SVC1/fr000001.xml`,
		`C:\inetpub\\logs\FailedReqLogFiles\W3SVC1\fr000001.xml`,
	}
	want := windowsKey(same[0])
	for _, p := range same[1:] {
		if got := windowsKey(p); got != want {
			t.Errorf("windowsKey(%q) = %q, want %q", p, got, want)
		}
	}
	if windowsKey(`\\EX01\c$\inetpub\logs\fr000001.xml`) != `\\ex01\c$\inetpub\logs\fr000001.xml` {
		t.Errorf("UNC path: %q", windowsKey(`\\EX01\c$\inetpub\logs\fr000001.xml`))
	}
	if windowsKey(`C:\a\fr000001.xml`) == windowsKey(`C:\b\fr000001.xml`) {
		t.Error("different directories share a key")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if s, w, err := Load(filepath.Join(dir, "missing")); w != "" || err != nil || s.Len() != 0 {
		t.Errorf("missing file: %q %v", w, err)
	}
	s := New()
	s.files.put("x", File{Size: 3})
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good")
	os.WriteFile(good, b, 0o644)
	if l, w, err := Load(good); w != "" || err != nil || func() bool { f, _ := l.Lookup("x"); return f.Size != 3 }() {
		t.Errorf("round trip: %q %v %d files", w, err, l.Len())
	}
}

// TestLoadRecognisesStates: a frebscan state that is damaged starts
// fresh with a warning (it is frebscan's to replace); anything that is
// not a frebscan state is refused with an error naming it, and is not
// to be overwritten. The campaign's --state naming a FREB trace
// overwrote the trace.
func TestLoadRecognisesStates(t *testing.T) {
	tests := []struct {
		name, content string
		warning       string // "" : no warning
		refused       bool
	}{
		{name: "truncated state", content: "{\n \"format\": \"frebscan-state\",\n \"version\": 2,\n \"files\": {", warning: "damaged"},
		{name: "truncated v1", content: "{\n \"version\": 1,\n \"updated\": \"2026", warning: "damaged"},
		{name: "empty", content: "", warning: "empty"},
		{name: "white space", content: "\n \n", warning: "empty"},
		{name: "newer frebscan", content: `{"format":"frebscan-state","version":99,"files":{}}`, refused: true},
		{name: "FREB trace", content: `<?xml version="1.0" encoding="UTF-8"?><failedRequest url="http://x/"`, refused: true},
		{name: "other JSON", content: `{"version": 99, "files": {}}`, refused: true},
		{name: "just a brace", content: "{", refused: true},
		{name: "binary", content: "\x00\x01\x02garbage", refused: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			os.WriteFile(path, []byte(tt.content), 0o600)
			s, w, err := Load(path)
			if tt.refused {
				if err == nil || !strings.Contains(err.Error(), path) || s != nil {
					t.Fatalf("err = %v, want a refusal naming %s", err, path)
				}
				return
			}
			if err != nil || !strings.Contains(w, tt.warning) || s == nil || s.Len() != 0 {
				t.Fatalf("warning %q err %v, want a fresh state and a warning with %q", w, err, tt.warning)
			}
		})
	}
}

// TestByteExactNames: a file name that is not valid UTF-8 (legal on
// Unix) comes back from the state byte for byte, so the trace is skipped
// on the next run instead of reported again.
func TestByteExactNames(t *testing.T) {
	names := []string{"/logs/fr\xff\xfe.xml", "/logs/caf\xe9.xml", "/logs/ok-\u00e9.xml", "base64:/x"}
	s := New()
	for _, n := range names {
		s.files.put(n, File{Size: 1})
	}
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, b, 0o600)
	l, w, err := Load(path)
	if w != "" || err != nil {
		t.Fatal(w, err)
	}
	for _, n := range names {
		if f, ok := l.Lookup(n); !ok || f.Path != n {
			t.Errorf("%q: got %+v (present %v)", n, f, ok)
		}
	}
}

func TestSkipDeferRecord(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fr000001.xml")
	os.WriteFile(p, []byte("<failedRequest activityId='1'>"), 0o644)
	now := time.Now()
	s := New()
	s.now = func() time.Time { return now }
	if s.Skip(p, nil) {
		t.Fatal("an unknown file is skipped")
	}
	// A fresh unfinished file is deferred and skipped while unchanged.
	if !s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
		t.Fatal("fresh unfinished file not deferred")
	}
	if !s.Skip(p, nil) {
		t.Error("pending unchanged file not skipped")
	}
	// Once it has settled it is read again and no longer deferred.
	now = now.Add(10 * time.Minute)
	if s.Skip(p, nil) {
		t.Error("settled pending file still skipped")
	}
	if s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
		t.Error("settled file deferred again")
	}
	s.Record(p, &freb.Trace{ActivityID: "{A}"}, nil)
	if !s.Skip(p, nil) {
		t.Error("recorded unchanged file not skipped")
	}
	// The same name with new content is a new trace.
	os.WriteFile(p, []byte("<failedRequest activityId='2'>"), 0o644)
	if s.Skip(p, nil) {
		t.Error("rewritten file (reused name) skipped")
	}
	if s.Defer(p, &freb.Trace{}, nil) {
		t.Error("a complete trace is deferred")
	}
	os.Remove(p)
	s = nextRun(t, s)
	s.Prune()
	if s.Len() != 0 {
		t.Error("Prune kept a deleted file")
	}
}

func TestWindow(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	seqs := []*diagnose.Sequence{
		{Key: "a", Steps: []diagnose.SequenceStep{{File: "old", Time: base.Add(-2 * time.Hour)}, {File: "new", Time: base, Via: true, NTLMType: 1, HasAuth: true}}},
		{Key: "b", Steps: []diagnose.SequenceStep{{File: "gone", Time: base.Add(-3 * time.Hour)}}},
	}
	s := New()
	s.SetWindow(seqs, time.Hour)
	if len(s.Window) != 1 || len(s.Window[0].Steps) != 1 || s.Window[0].Steps[0].File != "new" {
		t.Fatalf("window = %+v", s.Window)
	}
	back := s.Seed()
	st := back[0].Steps[0]
	if !st.Via || st.NTLMType != 1 || !st.HasAuth {
		t.Errorf("fields lost in the round trip: %+v", st)
	}
}

// TestMissingFolderGrace: files whose folder disappears (an unmounted
// share) are kept, marked missing, for MissingGrace, so they are not
// reported again when it returns; a file deleted from a folder that still
// exists is forgotten at once.
func TestMissingFolderGrace(t *testing.T) {
	root := t.TempDir()
	share := filepath.Join(root, "W3SVC1")
	os.MkdirAll(share, 0o755)
	kept, gone := filepath.Join(share, "fr000001.xml"), filepath.Join(share, "fr000002.xml")
	os.WriteFile(kept, []byte("<failedRequest/>"), 0o644)
	os.WriteFile(gone, []byte("<failedRequest/>"), 0o644)
	now := time.Now()
	s := New()
	s.now = func() time.Time { return now }
	s.Record(kept, nil, nil)
	s.Record(gone, nil, nil)
	os.Remove(gone)
	s = nextRun(t, s)
	s.now = func() time.Time { return now }
	s.Prune()
	if _, ok := s.Lookup(Key(gone)); ok {
		t.Error("a file IIS deleted is still remembered")
	}
	hidden := share + ".unmounted"
	os.Rename(share, hidden)
	s.Prune()
	if f, ok := s.Lookup(Key(kept)); !ok || f.Missing.IsZero() {
		t.Fatalf("file of a missing folder: %+v (kept %v), want kept and marked", f, ok)
	}
	now = now.Add(MissingGrace / 2)
	s.Prune()
	os.Rename(hidden, share)
	if !s.Skip(kept, nil) {
		t.Error("a file of a folder that came back is analysed again")
	}
	s.Prune()
	if f, _ := s.Lookup(Key(kept)); !f.Missing.IsZero() {
		t.Error("missing mark not cleared when the folder came back")
	}
	os.Rename(share, hidden)
	s.Prune()
	now = now.Add(MissingGrace + time.Hour)
	s.Prune()
	if _, ok := s.Lookup(Key(kept)); ok {
		t.Error("files of a folder gone for longer than the grace period are still remembered")
	}
}

// TestDeferIgnoresFileTimes: a file still being written is deferred on
// first sight whatever its modification time says (old: a copy tool
// keeping times; future: a fast clock), and counted once it has stayed
// the same for the settle period as frebscan saw it.
func TestDeferIgnoresFileTimes(t *testing.T) {
	for name, mtime := range map[string]time.Time{"old": time.Now().Add(-48 * time.Hour), "future": time.Now().Add(48 * time.Hour)} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "fr000001.xml")
			os.WriteFile(p, []byte("<failedRequest activityId='1'>"), 0o644)
			os.Chtimes(p, mtime, mtime)
			now := time.Now()
			s := New()
			s.now = func() time.Time { return now }
			if !s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
				t.Fatal("unfinished file not deferred on first sight")
			}
			// Still growing: deferred again.
			now = now.Add(15 * time.Minute)
			os.WriteFile(p, []byte("<failedRequest activityId='1'><more>"), 0o644)
			os.Chtimes(p, mtime, mtime)
			if s.Skip(p, nil) || !s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
				t.Fatal("a file that grew is not read again and deferred")
			}
			if !s.Skip(p, nil) {
				t.Error("unchanged pending file read again within the settle period")
			}
			now = now.Add(DefaultSettle + time.Second)
			if s.Skip(p, nil) || s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
				t.Error("a file unchanged for the settle period is still deferred")
			}
		})
	}
}

// TestAlertedClamped: an alert time in the future (a clock that ran fast)
// silences the rule for --notify-repeat from now at most.
func TestAlertedClamped(t *testing.T) {
	now := time.Now().UTC()
	s := New()
	s.MarkAlerted("via-persistent-auth", now.Add(365*24*time.Hour))
	s.SetClock(func() time.Time { return now })
	if s.AlertedSince("via-persistent-auth", now.Add(time.Second)) {
		t.Error("a future alert time still silences the rule")
	}
}

// nextRun saves s and loads it again, as the next scheduled run does:
// what this run's walk saw no longer counts.
func nextRun(t *testing.T, s *State) *State {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	l, w, err := Load(path)
	if w != "" || err != nil {
		t.Fatalf("reload: %q %v", w, err)
	}
	l.now = s.now
	return l
}
