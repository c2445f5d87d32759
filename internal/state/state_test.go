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
	if s, w := Load(filepath.Join(dir, "missing")); w != "" || len(s.Files) != 0 {
		t.Errorf("missing file: %q", w)
	}
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("{"), 0o644)
	if _, w := Load(bad); !strings.Contains(w, "corrupt") {
		t.Errorf("corrupt file: %q", w)
	}
	foreign := filepath.Join(dir, "foreign")
	os.WriteFile(foreign, []byte(`{"version": 99, "files": {}}`), 0o644)
	if _, w := Load(foreign); !strings.Contains(w, "version 99") {
		t.Errorf("foreign version: %q", w)
	}
	s := New()
	s.Files["x"] = File{Path: "x", Size: 3}
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good")
	os.WriteFile(good, b, 0o644)
	if l, w := Load(good); w != "" || l.Files["x"].Size != 3 {
		t.Errorf("round trip: %q %+v", w, l.Files)
	}
}

func TestSkipDeferRecord(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fr000001.xml")
	os.WriteFile(p, []byte("<failedRequest activityId='1'>"), 0o644)
	now := time.Now()
	s := New()
	s.now = func() time.Time { return now }
	if s.Skip(p, 0) {
		t.Fatal("an unknown file is skipped")
	}
	// A fresh unfinished file is deferred and skipped while unchanged.
	if !s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
		t.Fatal("fresh unfinished file not deferred")
	}
	if !s.Skip(p, 0) {
		t.Error("pending unchanged file not skipped")
	}
	// Once it has settled it is read again and no longer deferred.
	now = now.Add(10 * time.Minute)
	if s.Skip(p, 0) {
		t.Error("settled pending file still skipped")
	}
	if s.Defer(p, &freb.Trace{Unfinished: true}, nil) {
		t.Error("settled file deferred again")
	}
	s.Record(p, &freb.Trace{ActivityID: "{A}"}, nil)
	if !s.Skip(p, 0) {
		t.Error("recorded unchanged file not skipped")
	}
	// The same name with new content is a new trace.
	os.WriteFile(p, []byte("<failedRequest activityId='2'>"), 0o644)
	if s.Skip(p, 0) {
		t.Error("rewritten file (reused name) skipped")
	}
	if s.Defer(p, &freb.Trace{}, nil) {
		t.Error("a complete trace is deferred")
	}
	os.Remove(p)
	s.Prune()
	if len(s.Files) != 0 {
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
