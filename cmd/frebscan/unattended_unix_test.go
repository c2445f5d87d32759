//go:build unix

package main

// The fault-injection suite of issue 15: a scheduled run (--state,
// --out-dir, --notify-cmd) killed at random points, full disks, planted
// names and foreign files. Each test asserts what an admin relies on: no
// trace lost, no trace in two incident reports, no alert lost (an alert
// may come twice, with the same id), nothing outside the folders touched,
// no run that hangs.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// perTrace is a sample whose single trace raises a high finding, so
// every run that analyses a new copy writes an incident and alerts.
const perTrace = "../../samples/config-error/fr000001.xml"

// addTraces copies perTrace into dir under n new names.
func addTraces(t *testing.T, dir string, from, n int) {
	t.Helper()
	b, err := os.ReadFile(perTrace)
	if err != nil {
		t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("fr%06d.xml", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// notifyRecorder writes a notify command that appends the alert id it
// receives to a file, and returns both paths.
func notifyRecorder(t *testing.T, dir string) (script, ids string) {
	t.Helper()
	ids = filepath.Join(dir, "alert-ids")
	script = filepath.Join(dir, "notify.sh")
	body := "#!/bin/sh\ngrep -m1 -o '\"id\": \"[^\"]*\"' | cut -d'\"' -f4 >> '" + ids + "'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, ids
}

// scheduled is the scheduled command line of these tests.
func scheduled(state, out, notify, in string) []string {
	return []string{"scan", "--state", state, "--out-dir", out, "--format", "json", "-o", filepath.Join(out, "last-run.json"),
		"--fail-on", "high", "--notify-cmd", notify, "--notify-repeat", "1ns", "--event-log", "off", "--progress", "never", in}
}

// runBounded runs frebscan and fails the test if it does not end within
// limit: no run may hang.
func runBounded(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("frebscan %s did not finish within %s", strings.Join(args, " "), limit)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// incidents reads every incident-*.json in out and returns, per trace
// file name, the incidents that list it.
func incidents(t *testing.T, out string) (byTrace map[string][]string, stamps []string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(out, "incident-*.json"))
	byTrace = map[string][]string{}
	for _, m := range matches {
		if fi, err := os.Lstat(m); err != nil || !fi.Mode().IsRegular() {
			continue // planted by the test
		}
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Traces []struct {
				File string `json:"file"`
			} `json:"traces"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s is not a complete report: %v", m, err)
		}
		name := strings.TrimSuffix(filepath.Base(m), ".json")
		stamps = append(stamps, strings.TrimPrefix(name, "incident-"))
		for _, row := range doc.Traces {
			byTrace[filepath.Base(row.File)] = append(byTrace[filepath.Base(row.File)], name)
		}
	}
	sort.Strings(stamps)
	return byTrace, stamps
}

// TestKillScheduledRunAtRandomPoints kills a scheduled run (kill -9, or
// Ctrl+C) at random moments, trial after trial, with new traces arriving
// between trials, then lets one run finish. Every trace must be in
// exactly one incident report, and every incident's alert must have been
// received at least once.
func TestKillScheduledRunAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes for a while")
	}
	tmp := t.TempDir()
	in, out, stateFile := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "var", "frebscan.state")
	os.MkdirAll(in, 0o755)
	notify, ids := notifyRecorder(t, tmp)
	args := scheduled(stateFile, out, notify, in)
	// Measure one run, so the kills land anywhere inside one.
	addTraces(t, in, 0, 5)
	start := time.Now()
	if r := runBounded(t, time.Minute, args...); r.code != 1 {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	span := time.Since(start)
	rng := rand.New(rand.NewPCG(15, uint64(time.Now().UnixNano())))
	const trials = 24
	next, sigint := 5, 0
	deadline := time.Now().Add(90 * time.Second)
	for i := 0; i < trials && time.Now().Before(deadline); i++ {
		addTraces(t, in, next, 3)
		next += 3
		cmd := exec.Command(binary, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(span) + 1)))
		sig := syscall.SIGKILL
		if rng.IntN(4) == 0 {
			sig = syscall.SIGINT
			sigint++
		}
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			t.Fatalf("trial %d: the run did not end after %v", i, sig)
		}
	}
	// The run that finishes what the killed ones left.
	if r := runBounded(t, time.Minute, args...); r.code > 2 {
		t.Fatalf("final run: exit %d: %s", r.code, r.stderr)
	}
	if r := runBounded(t, time.Minute, args...); r.code != 0 {
		t.Fatalf("run with nothing new: exit %d: %s", r.code, r.stderr)
	}
	byTrace, stamps := incidents(t, out)
	for i := 0; i < next; i++ {
		name := fmt.Sprintf("fr%06d.xml", i)
		if got := byTrace[name]; len(got) != 1 {
			t.Errorf("%s is in %d incident reports %v, want exactly 1", name, len(got), got)
		}
	}
	b, _ := os.ReadFile(ids)
	received := map[string]bool{}
	for _, id := range strings.Fields(string(b)) {
		received[id] = true
	}
	host, _ := os.Hostname()
	for _, s := range stamps {
		if !received[host+"-"+s] {
			t.Errorf("the alert of incident %s was never sent (received %v)", s, strings.Fields(string(b)))
		}
	}
	t.Logf("%d traces, %d incidents, %d alerts received (%d distinct), %d Ctrl+C among the kills, run span %s",
		next, len(stamps), len(strings.Fields(string(b))), len(received), sigint, span)
}

// TestStateDiskFullDoesNotRealert: with the state on a full disk no run
// can commit, so none writes an incident or sends an alert (the campaign
// saw a new incident and the same alert every run); once there is space,
// one run reports every trace once and alerts once.
func TestStateDiskFullDoesNotRealert(t *testing.T) {
	tmp := t.TempDir()
	in, out, vardir := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "var")
	os.MkdirAll(in, 0o755)
	mountTmpfs(t, vardir)
	notify, ids := notifyRecorder(t, tmp)
	args := scheduled(filepath.Join(vardir, "frebscan.state"), out, notify, in)
	addTraces(t, in, 0, 4)
	// The locks need their files; then fill the disk.
	if r := runBounded(t, time.Minute, "scan", "--state", filepath.Join(vardir, "frebscan.state"), "--out-dir", out, "--fail-on", "none", filepath.Join(tmp, "empty-none")); r.code != 2 && r.code != 0 {
		t.Fatalf("lock warm-up: exit %d: %s", r.code, r.stderr)
	}
	os.Remove(filepath.Join(vardir, "frebscan.state"))
	fill(t, vardir)
	for i := 0; i < 3; i++ {
		r := runBounded(t, time.Minute, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "save state") {
			t.Fatalf("run %d on a full state disk: exit %d: %s", i, r.code, r.stderr)
		}
	}
	if _, stamps := incidents(t, out); len(stamps) != 0 {
		t.Errorf("incidents written although the state could not be saved: %v", stamps)
	}
	if b, _ := os.ReadFile(ids); len(b) != 0 {
		t.Errorf("alerts sent although the state could not be saved: %q", b)
	}
	os.Remove(filepath.Join(vardir, "filler"))
	if r := runBounded(t, time.Minute, args...); r.code != 1 {
		t.Fatalf("run with space again: exit %d: %s", r.code, r.stderr)
	}
	byTrace, stamps := incidents(t, out)
	if len(stamps) != 1 || len(byTrace) != 4 {
		t.Errorf("%d incidents covering %d traces, want 1 covering 4", len(stamps), len(byTrace))
	}
	if b, _ := os.ReadFile(ids); len(strings.Fields(string(b))) != 1 {
		t.Errorf("alerts: %q, want one", b)
	}
}

// TestOutDirFullThenFreed: while --out-dir is full each run fails without
// alerting and reserves the same incident; once freed, one incident holds
// every trace of the failed runs and of the new one.
func TestOutDirFullThenFreed(t *testing.T) {
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out")
	os.MkdirAll(in, 0o755)
	mountTmpfsSize(t, out, "2m")
	notify, ids := notifyRecorder(t, tmp)
	stateFile := filepath.Join(tmp, "frebscan.state")
	args := scheduled(stateFile, out, notify, in)
	args[8] = filepath.Join(tmp, "last-run.json") // -o off the full disk
	addTraces(t, in, 0, 2)
	os.WriteFile(filepath.Join(out, ".frebscan.lock"), nil, 0o644)
	fill(t, out)
	for i := 0; i < 2; i++ {
		addTraces(t, in, 2+i, 1)
		if r := runBounded(t, time.Minute, args...); r.code != 2 || !strings.Contains(r.stderr, "no space left") {
			t.Fatalf("run %d on a full out-dir: exit %d: %s", i, r.code, r.stderr)
		}
	}
	if b, _ := os.ReadFile(ids); len(b) != 0 {
		t.Errorf("alerts sent for incidents that could not be written: %q", b)
	}
	os.Remove(filepath.Join(out, "filler"))
	addTraces(t, in, 4, 1)
	if r := runBounded(t, time.Minute, args...); r.code != 1 {
		t.Fatalf("run with space: exit %d: %s", r.code, r.stderr)
	}
	byTrace, stamps := incidents(t, out)
	if len(stamps) != 1 || len(byTrace) != 5 {
		t.Errorf("%d incidents covering %d traces, want 1 covering all 5: %v", len(stamps), len(byTrace), byTrace)
	}
	if b, _ := os.ReadFile(ids); len(strings.Fields(string(b))) != 1 {
		t.Errorf("alerts: %q, want one", b)
	}
}

// fill writes into dir until its file system is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
}

// TestPlantedIncidentAndTempNames plants links at the incident names the
// next run may choose and at temporary-file names retention cleans, all
// pointing at a victim outside the folder: the run succeeds around them
// and the victim is untouched.
func TestPlantedIncidentAndTempNames(t *testing.T) {
	tmp := t.TempDir()
	in, out, outside := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "outside")
	for _, d := range []string{in, out, outside} {
		os.MkdirAll(d, 0o755)
	}
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	now := time.Now().UTC()
	for s := -2; s < 20; s++ {
		stamp := now.Add(time.Duration(s) * time.Second).Format("20060102T150405Z")
		for _, ext := range []string{"json", "html"} {
			os.Symlink(victim, filepath.Join(out, "incident-"+stamp+"."+ext))
		}
	}
	old := now.Add(-3 * time.Hour)
	for _, n := range []string{".latest.json.1.tmp", ".index.json.2.tmp", ".frebscan.state.3.tmp"} {
		dir := out
		if strings.Contains(n, "state") {
			dir = tmp
		}
		p := filepath.Join(dir, n)
		os.Symlink(victim, p)
		exec.Command("touch", "-h", "-d", old.Format(time.RFC3339), p).Run()
	}
	notify, _ := notifyRecorder(t, tmp)
	addTraces(t, in, 0, 2)
	r := runBounded(t, time.Minute, append(scheduled(filepath.Join(tmp, "frebscan.state"), out, notify, in), "--keep", "1")...)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("victim changed: %q", b)
	}
	if byTrace, stamps := incidents(t, out); len(stamps) != 1 || len(byTrace) != 2 {
		t.Errorf("%d incidents for %d traces, want 1 for 2", len(stamps), len(byTrace))
	}
}

// TestForeignAndCorruptFiles: a state or index that is not frebscan's, or
// is damaged, never makes a run hang, overwrite it or delete anything
// else; a foreign state is refused with exit 2.
func TestForeignAndCorruptFiles(t *testing.T) {
	trace, _ := os.ReadFile(perTrace)
	tests := []struct {
		name        string
		state       []byte // nil: none
		stateLink   string // state is a link to this
		index       []byte
		wantCode    int
		keepState   bool // the state file must be left as it was
		wantIndexed int  // incidents in index.json afterwards (-1: not checked)
	}{
		{name: "state is a FREB trace", state: trace, wantCode: 2, keepState: true, wantIndexed: -1},
		{name: "state is binary", state: []byte("\x00\x01garbage\xff"), wantCode: 2, keepState: true, wantIndexed: -1},
		{name: "state links to /dev/zero", stateLink: "/dev/zero", wantCode: 2, wantIndexed: -1},
		{name: "truncated frebscan state", state: []byte("{\n \"format\": \"frebscan-state\",\n \"version\": 2,\n \"files\": {\"/x\""), wantCode: 1, wantIndexed: 1},
		{name: "truncated compact state", state: []byte(`{"format":"frebscan-state","version":3,"files":2,"keyBytes":10}` + "\n\x00\x05/x/a"), wantCode: 1, wantIndexed: 1},
		{name: "index is garbage", index: []byte("\x00garbage"), wantCode: 1, wantIndexed: 1},
		{name: "index escapes the folder", index: []byte(`{"entries":[{"time":"2020-01-01T00:00:00Z","files":{"json":"../outside/victim"}}]}`), wantCode: 1, wantIndexed: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			in, out, outside := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "outside")
			for _, d := range []string{in, out, outside} {
				os.MkdirAll(d, 0o755)
			}
			victim := filepath.Join(outside, "victim")
			os.WriteFile(victim, []byte("precious"), 0o644)
			stateFile := filepath.Join(tmp, "frebscan.state")
			if tt.state != nil {
				os.WriteFile(stateFile, tt.state, 0o600)
			}
			if tt.stateLink != "" {
				os.Symlink(tt.stateLink, stateFile)
			}
			if tt.index != nil {
				os.WriteFile(filepath.Join(out, "index.json"), tt.index, 0o644)
			}
			notify, _ := notifyRecorder(t, tmp)
			addTraces(t, in, 0, 1)
			r := runBounded(t, time.Minute, append(scheduled(stateFile, out, notify, in), "--keep", "1")...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.wantCode, r.stderr)
			}
			if tt.wantCode == 2 && !strings.Contains(r.stderr, stateFile) {
				t.Errorf("error does not name the state: %s", r.stderr)
			}
			if tt.keepState {
				if b, _ := os.ReadFile(stateFile); string(b) != string(tt.state) {
					t.Error("the foreign state file was changed")
				}
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious" {
				t.Errorf("victim changed or removed: %q", b)
			}
			if tt.wantIndexed >= 0 {
				if _, stamps := incidents(t, out); len(stamps) != tt.wantIndexed {
					t.Errorf("%d incidents, want %d", len(stamps), tt.wantIndexed)
				}
			}
		})
	}
}
