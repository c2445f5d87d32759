package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/state"
)

type scanDoc struct {
	Summary struct {
		Traces, Deferred, Unchanged, Unreadable int
	} `json:"summary"`
	Findings []struct {
		Rule     string `json:"rule"`
		Examples []struct {
			Sequence []struct {
				File string `json:"file"`
			} `json:"sequence"`
		} `json:"examples"`
	} `json:"findings"`
	Traces []struct {
		File string `json:"file"`
	} `json:"traces"`
}

func stateScan(t *testing.T, stateFile, dir string) scanDoc {
	t.Helper()
	return stateScanAt(t, time.Now, stateFile, dir)
}

// stateScanAt is stateScan with the clock given (a run some minutes
// later).
func stateScanAt(t *testing.T, clock func() time.Time, stateFile, dir string) scanDoc {
	t.Helper()
	var out, errb bytes.Buffer
	code := run([]string{"scan", "--format", "json", "--fail-on", "none", "--state", stateFile, dir}, strings.NewReader(""), &out, &errb, clock)
	r := result{out.String(), errb.String(), code}
	if r.code != 0 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	var d scanDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func copySample(t *testing.T, from, to string, mtime time.Time) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(to, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// TestStateThreeRuns is a scheduled scan's life: traces are added between
// runs, IIS reuses a file name for a new trace, and one file is caught
// half-written. Every trace must be counted exactly once, and the Apple
// Mail handshake that spans two runs must still be recognised.
func TestStateThreeRuns(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "W3SVC1")
	os.MkdirAll(dir, 0o755)
	stateFile := filepath.Join(t.TempDir(), "frebscan.state")
	seed := "../../samples/via-persistent-auth/"
	old := time.Now().Add(-time.Hour)

	// Run 1: the first three legs of the handshake, an unrelated trace,
	// and a trace IIS is still writing.
	copySample(t, seed+"fr000001.xml", filepath.Join(dir, "fr000001.xml"), old)
	copySample(t, seed+"fr000002.xml", filepath.Join(dir, "fr000002.xml"), old)
	copySample(t, seed+"fr000003.xml", filepath.Join(dir, "fr000003.xml"), old)
	copySample(t, "../../samples/healthy-direct/fr000001.xml", filepath.Join(dir, "fr000004.xml"), old)
	half, _ := os.ReadFile("../../samples/slow-request/fr000001.xml")
	os.WriteFile(filepath.Join(dir, "fr000005.xml"), half[:len(half)/2], 0o644)

	r1 := stateScan(t, stateFile, dir)
	if r1.Summary.Traces != 4 || r1.Summary.Deferred != 1 {
		t.Fatalf("run 1: %d traces, %d deferred; want 4 and 1", r1.Summary.Traces, r1.Summary.Deferred)
	}

	// Run 2: the failing 400 arrives, the half-written file is complete,
	// and fr000004.xml is reused for a new trace.
	copySample(t, seed+"fr000004.xml", filepath.Join(dir, "fr000006.xml"), time.Now())
	os.WriteFile(filepath.Join(dir, "fr000005.xml"), half, 0o644)
	copySample(t, "../../samples/config-error/fr000001.xml", filepath.Join(dir, "fr000004.xml"), time.Now())

	r2 := stateScan(t, stateFile, dir)
	if r2.Summary.Traces != 3 || r2.Summary.Unchanged != 3 || r2.Summary.Deferred != 0 {
		t.Fatalf("run 2: %+v; want 3 traces (400, completed file, reused name), 3 unchanged", r2.Summary)
	}
	found := false
	for _, f := range r2.Findings {
		if f.Rule != "via-persistent-auth" {
			continue
		}
		for _, ex := range f.Examples {
			if len(ex.Sequence) >= 3 && strings.HasSuffix(ex.Sequence[0].File, "fr000001.xml") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("run 2 did not rebuild the handshake sequence across runs: %+v", r2.Findings)
	}

	// Run 3: a copy cut half-way, with an old mtime (as a copy tool that
	// keeps times leaves it while still writing), waits: its mtime says
	// nothing about whether it is still being written.
	cut, _ := os.ReadFile("../../samples/xff-invalid/fr000001.xml")
	os.WriteFile(filepath.Join(dir, "fr000007.xml"), cut[:len(cut)*2/3], 0o644)
	os.Chtimes(filepath.Join(dir, "fr000007.xml"), old, old)
	if r := stateScan(t, stateFile, dir); r.Summary.Traces != 0 || r.Summary.Deferred != 1 {
		t.Fatalf("run 3: %+v; want the cut copy deferred", r.Summary)
	}
	// Run 3b, ten minutes later: it has not changed since, so it is
	// counted (once); nothing else is new.
	later := func() time.Time { return time.Now().Add(10 * time.Minute) }
	r3 := stateScanAt(t, later, stateFile, dir)
	if r3.Summary.Traces != 1 || r3.Summary.Unchanged != 6 {
		t.Fatalf("run 3b: %+v; want only the settled cut copy", r3.Summary)
	}

	// Every file version was counted in exactly one run.
	seen := map[string]int{}
	for _, d := range []scanDoc{r1, r2, r3} {
		for _, row := range d.Traces {
			seen[filepath.Base(row.File)]++
		}
	}
	want := map[string]int{"fr000001.xml": 1, "fr000002.xml": 1, "fr000003.xml": 1, "fr000004.xml": 2, "fr000005.xml": 1, "fr000006.xml": 1, "fr000007.xml": 1}
	for f, n := range want {
		if seen[f] != n {
			t.Errorf("%s counted %d times, want %d", f, seen[f], n)
		}
	}
	// A fourth run with nothing new counts nothing.
	if r4 := stateScanAt(t, later, stateFile, dir); r4.Summary.Traces != 0 {
		t.Errorf("run 4 counted %d traces again", r4.Summary.Traces)
	}
}

func TestStateCorruptStartsFresh(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"version 2 cut short": "{\n \"format\": \"frebscan-state\",\n \"version\": 2,\n \"files\": {not json",
		"version 3 cut short": `{"format":"frebscan-state","version":3,"updated":"2026-01-01T00:00:00Z","window":[],"files":2,"keyBytes":10}` + "\n\x00\x05/x/a",
	} {
		t.Run(name, func(t *testing.T) {
			stateFile := filepath.Join(t.TempDir(), "frebscan.state")
			os.WriteFile(stateFile, []byte(content), 0o644)
			r := frebscan(t, "scan", "--format", "json", "--fail-on", "none", "--state", stateFile, "../../samples/healthy-direct")
			if r.code != 0 || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, stateFile) || !strings.Contains(r.stderr, "reported again") {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if s, w, err := state.Load(stateFile); err != nil || w != "" || s.Len() == 0 {
				t.Errorf("state not rewritten whole: %q %v", w, err)
			}
		})
	}
}

// TestStateForeignRefused: --state naming a file that is not a frebscan
// state (a FREB trace given by mistake, another program's file) exits 2
// naming it and leaves it byte for byte as it was.
func TestStateForeignRefused(t *testing.T) {
	trace, err := os.ReadFile("../../samples/healthy-direct/fr000001.xml")
	if err != nil {
		matches, _ := filepath.Glob("../../samples/healthy-direct/*.xml")
		if len(matches) == 0 {
			t.Fatal("no sample trace")
		}
		trace, _ = os.ReadFile(matches[0])
	}
	for name, content := range map[string][]byte{"trace": trace, "not json": []byte("{not json"), "other json": []byte(`{"version":1}`)} {
		t.Run(name, func(t *testing.T) {
			stateFile := filepath.Join(t.TempDir(), "fr000001.xml")
			os.WriteFile(stateFile, content, 0o644)
			r := frebscan(t, "scan", "--format", "json", "--fail-on", "none", "--state", stateFile, "../../samples/healthy-direct")
			if r.code != 2 || !strings.Contains(r.stderr, stateFile) || !strings.Contains(r.stderr, "not a frebscan state") {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if b, _ := os.ReadFile(stateFile); !bytes.Equal(b, content) {
				t.Errorf("the file was changed")
			}
		})
	}
}

// TestOutDirFailureKeepsTracesForNextRun: when the reports cannot be
// written the run exits 2 and does not mark the traces as analysed, so the
// next run reports them instead of losing them.
func TestOutDirFailureKeepsTracesForNextRun(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	stateFile := filepath.Join(tmp, "frebscan.state")
	notADir := filepath.Join(tmp, "reports")
	os.WriteFile(notADir, []byte("x"), 0o644)
	r := frebscan(t, "scan", "--state", stateFile, "--out-dir", notADir, "../../samples/via-persistent-auth")
	if r.code != 2 || !strings.Contains(r.stderr, "--out-dir") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(stateFile); err == nil {
		t.Fatal("state saved although the reports were not written")
	}
	good := filepath.Join(tmp, "good")
	r = frebscan(t, "scan", "--state", stateFile, "--out-dir", good, "../../samples/via-persistent-auth")
	if r.code != 1 {
		t.Fatalf("second run: exit %d %s", r.code, r.stderr)
	}
	for _, f := range []string{"latest.json", "index.html", "index.json"} {
		if _, err := os.Stat(filepath.Join(good, f)); err != nil {
			t.Errorf("%s missing: %v", f, err)
		}
	}
}
