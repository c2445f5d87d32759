package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/state"
)

// copyVia copies the via-persistent-auth samples into dir.
func copyVia(t *testing.T, dir string) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	for _, f := range []string{"fr000001.xml", "fr000002.xml", "fr000003.xml", "fr000004.xml"} {
		src := "../../samples/via-persistent-auth/" + f
		copySample(t, src, filepath.Join(dir, f), fileTime(t, src))
	}
}

// indexEntries reads index.json's entries: incident names and trace
// counts.
func indexEntries(t *testing.T, dir string) []struct {
	Files  map[string]string
	Traces int
} {
	t.Helper()
	var idx struct {
		Entries []struct {
			Files  map[string]string
			Traces int
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return idx.Entries
}

// killedRun leaves what a scheduled run over copyVia's four traces
// commits before it is killed half-way: the state with its journal
// (incident stamp reserved, not written) and, in out, the incident JSON
// it got to write (incident).
func killedRun(t *testing.T, traces, out, stateFile, stamp, incident string) {
	t.Helper()
	st := state.New()
	for _, f := range []string{"fr000001.xml", "fr000002.xml", "fr000003.xml", "fr000004.xml"} {
		st.Record(filepath.Join(traces, f), nil, nil)
	}
	st.Journal = &state.Journal{Started: time.Now(), Incident: stamp, Traces: st.Recorded()}
	if err := st.Save(stateFile); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "incident-"+stamp+".json"), []byte(incident), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestJournalCompletesUnfinishedIncident replays a run killed after its
// journal was committed and its incident half written (the campaign's
// kill between the first report file and the state save): the next run
// writes that same incident again with every trace, and no second one.
func TestJournalCompletesUnfinishedIncident(t *testing.T) {
	tmp := t.TempDir()
	traces, out, stateFile := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "frebscan.state")
	copyVia(t, traces)
	args := []string{"scan", "--state", stateFile, "--out-dir", out, "--format", "json", "--event-log", "off", traces}
	// The killed run: what it committed before it died.
	const stamp = "20260301T120000Z"
	killedRun(t, traces, out, stateFile, stamp, `{"half`)

	r := frebscan(t, args...)
	if r.code != 1 {
		t.Fatalf("recovery run: exit %d: %s", r.code, r.stderr)
	}
	entries := indexEntries(t, out)
	if len(entries) != 1 || entries[0].Files["json"] != "incident-"+stamp+".json" || entries[0].Traces != 4 {
		t.Fatalf("index after recovery: %+v, want the one incident %s with 4 traces", entries, stamp)
	}
	b, _ := os.ReadFile(filepath.Join(out, "incident-"+stamp+".json"))
	if !json.Valid(b) || !strings.Contains(string(b), "via-persistent-auth") {
		t.Errorf("the unfinished incident was not completed: %.100s", b)
	}
	matches, _ := filepath.Glob(filepath.Join(out, "incident-*.json"))
	if len(matches) != 1 {
		t.Errorf("incident files %v, want one", matches)
	}
	loaded, _, err := state.Load(stateFile)
	if err != nil || loaded.Journal != nil {
		t.Errorf("journal after a completed run: %+v %v", loaded.Journal, err)
	}
	if r := frebscan(t, args...); r.code != 0 {
		t.Errorf("run after recovery: exit %d: %s", r.code, r.stderr)
	}
	if n := len(indexEntries(t, out)); n != 1 {
		t.Errorf("%d incidents after a run with nothing new", n)
	}
}

// TestJournalInterruptedRecovery replays the kill campaign's lost alert:
// a run killed after committing its journal and writing its incident's
// JSON, then a run stopped by Ctrl+C before it read those traces again.
// The interrupted run must leave the incident unfinished, not done: the
// run after it writes the incident whole and sends its alert, with the
// incident's name as the alert ID.
func TestJournalInterruptedRecovery(t *testing.T) {
	tmp := t.TempDir()
	got := filepath.Join(tmp, "notifications")
	traces, out, stateFile := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "frebscan.state")
	copyVia(t, traces)
	args := []string{"scan", "--state", stateFile, "--out-dir", out, "--format", "json", "--event-log", "off",
		"--notify-cmd", notifyScript(t, tmp, got, 0), "--progress", "never", traces}
	// The killed run: its journal, and the incident JSON it got to write.
	const stamp = "20260301T120000Z"
	killedRun(t, traces, out, stateFile, stamp, `{"traces": []}`)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := runContext(ctx, args, strings.NewReader(""), &stdout, &stderr, time.Now); code != int(ExitInterrupted) {
		t.Fatalf("interrupted run: exit %d, want %d: %s", code, ExitInterrupted, stderr.String())
	}
	loaded, _, err := state.Load(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	if j := loaded.Journal; j == nil || j.Written || j.Incident != stamp || len(j.Traces) != 4 {
		t.Fatalf("journal after the interrupted run: %+v, want incident %s unfinished with its 4 traces", j, stamp)
	}
	if docs := notifications(t, got); len(docs) != 0 {
		t.Errorf("the interrupted run sent %v", ids(docs))
	}

	if r := frebscan(t, args...); r.code != 1 {
		t.Fatalf("run after the interruption: exit %d: %s", r.code, r.stderr)
	}
	entries := indexEntries(t, out)
	if len(entries) != 1 || entries[0].Files["json"] != "incident-"+stamp+".json" || entries[0].Traces != 4 {
		t.Fatalf("index: %+v, want the one incident %s with 4 traces", entries, stamp)
	}
	host, _ := os.Hostname()
	if docs := notifications(t, got); len(docs) != 1 || docs[0].ID != host+"-"+stamp {
		t.Errorf("alerts %v, want the one of incident %s", ids(docs), stamp)
	}
}

// TestJournalResendsUnconfirmedAlert: an alert committed by a run that
// wrote its incident but died (or failed to notify) is sent by the next
// run with the same ID, once; then no more.
func TestJournalResendsUnconfirmedAlert(t *testing.T) {
	tmp := t.TempDir()
	got := filepath.Join(tmp, "notifications")
	traces, out, stateFile := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "frebscan.state")
	copyVia(t, traces)
	failing := notifyScript(t, tmp, got, 3)
	args := func(script string) []string {
		return []string{"scan", "--state", stateFile, "--out-dir", out, "--format", "json", "--event-log", "off", "--notify-cmd", script, traces}
	}
	r := frebscan(t, args(failing)...)
	if r.code != 2 {
		t.Fatalf("run with a failing notify: exit %d: %s", r.code, r.stderr)
	}
	first := notifications(t, got)
	if len(first) != 1 || first[0].ID == "" || len(first[0].NewFindings) != 1 || first[0].NewFindings[0].ID != first[0].ID+"/via-persistent-auth" {
		t.Fatalf("first attempt: %+v", first)
	}
	ok := filepath.Join(tmp, "ok")
	os.MkdirAll(ok, 0o755)
	working := notifyScript(t, ok, got, 0)
	r = frebscan(t, args(working)...)
	if r.code != 0 {
		t.Fatalf("retry run: exit %d: %s", r.code, r.stderr)
	}
	docs := notifications(t, got)
	if len(docs) != 2 || docs[1].ID != first[0].ID {
		t.Fatalf("retry: %d notifications, ids %v; want the same alert again", len(docs), ids(docs))
	}
	frebscan(t, args(working)...)
	if n := len(notifications(t, got)); n != 2 {
		t.Errorf("%d notifications after the alert was confirmed, want 2", n)
	}
	if n := len(indexEntries(t, out)); n != 1 {
		t.Errorf("%d incidents, want 1", n)
	}
}

func ids(docs []notifyDoc) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}

// TestQuietRunWithUnreadableFile: a scheduled run that finds nothing new
// but one unreadable file exits 0 (README: unreadable files are reported
// and change the status only when no file could be read at all).
func TestQuietRunWithUnreadableFile(t *testing.T) {
	tmp := t.TempDir()
	traces, stateFile := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "frebscan.state")
	copyVia(t, traces)
	args := []string{"scan", "--state", stateFile, "--format", "json", "--fail-on", "none", traces}
	if r := frebscan(t, args...); r.code != 0 {
		t.Fatalf("run 1: exit %d: %s", r.code, r.stderr)
	}
	os.WriteFile(filepath.Join(traces, "fr000009.xml"), []byte("<failedRequest <<<"), 0o644)
	r := frebscan(t, args...)
	if r.code != 0 || !strings.Contains(r.stdout, "fr000009.xml") {
		t.Fatalf("quiet run with one unreadable file: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestJournalWithForeignIncidentName: a journal whose incident name is
// not one frebscan makes (a damaged or edited state) is not used as a
// file name; the run picks its own and reports the traces.
func TestJournalWithForeignIncidentName(t *testing.T) {
	tmp := t.TempDir()
	traces, out, stateFile := filepath.Join(tmp, "W3SVC1"), filepath.Join(tmp, "out"), filepath.Join(tmp, "frebscan.state")
	copyVia(t, traces)
	st := state.New()
	st.Record(filepath.Join(traces, "fr000001.xml"), nil, nil)
	st.Journal = &state.Journal{Incident: "../../outside/x", Traces: st.Recorded()}
	if err := st.Save(stateFile); err != nil {
		t.Fatal(err)
	}
	r := frebscan(t, "scan", "--state", stateFile, "--out-dir", out, "--format", "json", "--event-log", "off", traces)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if entries := indexEntries(t, out); len(entries) != 1 || entries[0].Traces != 4 {
		t.Errorf("index: %+v", entries)
	}
	if _, err := os.Stat(filepath.Join(tmp, "outside")); err == nil {
		t.Error("the journal's name was used as a path")
	}
}
