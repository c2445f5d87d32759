package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/version"
)

type notifyDoc struct {
	SchemaVersion int    `json:"schemaVersion"`
	ID            string `json:"id"`
	Tool          string `json:"tool"`
	Host          string `json:"host"`
	Time          string `json:"time"`
	Threshold     string `json:"threshold"`
	Traces        int    `json:"traces"`
	NewFindings   []struct {
		ID, Rule, Title, Severity, Fix, Example string
		Count                                   int
	} `json:"newFindings"`
	Reports map[string]string `json:"reports"`
}

// notifyScript writes a script that saves its stdin to out (appending a
// separator line per call, so repeated runs show up) and says so on
// stdout and stderr.
func notifyScript(t *testing.T, dir, out string, exit int) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the notify script is a sh script")
	}
	script := filepath.Join(dir, "notify.sh")
	body := "#!/bin/sh\ncat >> '" + out + "'\necho '#' >> '" + out + "'\necho sent to the admins\necho 'smtp says hi' >&2\nexit " + string(rune('0'+exit)) + "\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

// notifications splits what the script saved into one document per call.
func notifications(t *testing.T, path string) []notifyDoc {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	var docs []notifyDoc
	for _, part := range strings.Split(string(b), "#\n") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		var d notifyDoc
		if err := json.Unmarshal([]byte(part), &d); err != nil {
			t.Fatalf("notify stdin is not JSON: %v\n%s", err, part)
		}
		docs = append(docs, d)
	}
	return docs
}

// TestNotifyCmd: the first scheduled run that finds the Via problem runs
// the notify command with the summary; a later run that finds the same
// rule again in new traces does not (it is not new), and a run without
// --state notifies every time.
func TestNotifyCmd(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	got := filepath.Join(tmp, "notifications")
	script := notifyScript(t, tmp, got, 0)
	traces := filepath.Join(tmp, "W3SVC1")
	os.MkdirAll(traces, 0o755)
	for _, f := range []string{"fr000001.xml", "fr000002.xml", "fr000003.xml", "fr000004.xml"} {
		copySample(t, "../../samples/via-persistent-auth/"+f, filepath.Join(traces, f), fileTime(t, "../../samples/via-persistent-auth/"+f))
	}
	stateFile := filepath.Join(tmp, "frebscan.state")
	outDir := filepath.Join(tmp, "reports")
	args := []string{"scan", "--state", stateFile, "--out-dir", outDir, "--notify-cmd", script, "--format", "json", traces}

	r := frebscan(t, args...)
	if r.code != 1 {
		t.Fatalf("run 1: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "frebscan: notify: sent to the admins") || !strings.Contains(r.stderr, "frebscan: notify: smtp says hi") {
		t.Errorf("notify output not passed through with a prefix: %q", r.stderr)
	}
	docs := notifications(t, got)
	if len(docs) != 1 {
		t.Fatalf("%d notifications after run 1, want 1", len(docs))
	}
	d := docs[0]
	host, _ := os.Hostname()
	if d.SchemaVersion != 1 || d.Host != host || d.Time == "" || d.Threshold != "high" || d.Traces != 4 ||
		d.Tool != version.Get().Tool() {
		t.Errorf("summary header: %+v", d)
	}
	if len(d.NewFindings) != 1 || d.NewFindings[0].Rule != "via-persistent-auth" || d.NewFindings[0].Severity != "high" ||
		d.NewFindings[0].Count != 3 || d.NewFindings[0].Fix == "" || !strings.HasSuffix(d.NewFindings[0].Example, ".xml") {
		t.Errorf("new findings: %+v", d.NewFindings)
	}
	if p := d.Reports["json"]; !filepath.IsAbs(p) || !strings.HasPrefix(filepath.Base(p), "incident-") {
		t.Errorf("report path %q", p)
	} else if _, err := os.Stat(p); err != nil {
		t.Errorf("report the summary links to: %v", err)
	}

	// Run 2: the same handshake again in new files. The rule fires, the
	// exit status says so, but nothing new: no notification.
	again := filepath.Join(traces, "again")
	os.MkdirAll(again, 0o755)
	for _, f := range []string{"fr000001.xml", "fr000002.xml", "fr000003.xml", "fr000004.xml"} {
		copySample(t, "../../samples/via-persistent-auth/"+f, filepath.Join(again, f), fileTime(t, "../../samples/via-persistent-auth/"+f))
	}
	r = frebscan(t, args...)
	if r.code != 1 || !strings.Contains(r.stdout, "via-persistent-auth") {
		t.Fatalf("run 2: exit %d, rule not found again: %s", r.code, r.stderr)
	}
	if n := len(notifications(t, got)); n != 1 {
		t.Errorf("%d notifications after run 2, want still 1", n)
	}

	// Without --state every finding counts as new.
	for i := 0; i < 2; i++ {
		frebscan(t, "scan", "--notify-cmd", script, "--format", "json", traces)
	}
	if n := len(notifications(t, got)); n != 3 {
		t.Errorf("%d notifications after two stateless runs, want 3", n)
	}
	// --fail-on critical: the high finding is below the threshold.
	frebscan(t, "scan", "--notify-cmd", script, "--fail-on", "critical", "--format", "json", traces)
	if n := len(notifications(t, got)); n != 3 {
		t.Errorf("notified below --fail-on: %d", n)
	}
}

// TestNotifyCmdFails: a failing notify command is a warning and exit 2;
// reports and state are still written, and the rule is not marked as
// alerted, so the next run that finds it tries again.
func TestNotifyCmdFails(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	got := filepath.Join(tmp, "notifications")
	script := notifyScript(t, tmp, got, 3)
	stateFile := filepath.Join(tmp, "frebscan.state")
	outDir := filepath.Join(tmp, "reports")
	r := frebscan(t, "scan", "--state", stateFile, "--out-dir", outDir, "--notify-cmd", script, "--format", "json", "../../samples/via-persistent-auth")
	if r.code != 2 || !strings.Contains(r.stderr, "frebscan: warning: notify command") || !strings.Contains(r.stderr, "exit status 3") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "via-persistent-auth") {
		t.Error("report not written")
	}
	b, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatalf("state not saved: %v", err)
	}
	if strings.Contains(string(b), `"alerted"`) {
		t.Errorf("failed alert remembered as sent: %s", b)
	}
	if _, err := os.Stat(filepath.Join(outDir, "latest.json")); err != nil {
		t.Errorf("reports not written: %v", err)
	}

	r = frebscan(t, "scan", "--notify-cmd", "sleep 5", "--notify-timeout", "200ms", "--format", "json", "../../samples/via-persistent-auth")
	if r.code != 2 || !strings.Contains(r.stderr, "did not finish within 200ms") {
		t.Errorf("timeout: exit %d, stderr %q", r.code, r.stderr)
	}
}

// fileTime is a file's modification time, so copies keep the original's.
func fileTime(t *testing.T, path string) (mtime time.Time) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}
