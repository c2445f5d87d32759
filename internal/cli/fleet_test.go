package cli

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/frebscan/frebscan/internal/gen"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// groupOf returns the scan JSON's group for a rule above info.
func groupOf(doc map[string]any, rule string) map[string]any {
	for _, g := range doc["findings"].([]any) {
		g := g.(map[string]any)
		if g["rule"] == rule && g["severity"] != "info" {
			return g
		}
	}
	return nil
}

func keys(counts any) []string {
	var out []string
	list, _ := counts.([]any)
	for _, c := range list {
		out = append(out, c.(map[string]any)["key"].(string))
	}
	slices.Sort(out)
	return out
}

// TestFleetSplitHandshake: a handshake whose legs reached two servers,
// each server's traces in its own share as a central scan reads them
// (\\EX16-01\c$\…, \\EX16-02\c$\…, here two folders named for the share,
// not the server). One scan over both finds it at high confidence,
// credits both servers and names each step's server; a scan of either
// share alone cannot.
func TestFleetSplitHandshake(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "share-a"), filepath.Join(dir, "share-b")
	src := "../../samples/auth-handshake-broken/"
	copyFile(t, src+"fr000001.xml", filepath.Join(a, "W3SVC1", "fr000001.xml")) // EX16-01
	copyFile(t, src+"fr000002.xml", filepath.Join(b, "W3SVC1", "fr000001.xml")) // EX16-02
	copyFile(t, src+"fr000003.xml", filepath.Join(b, "W3SVC1", "fr000002.xml")) // EX16-02

	doc, _ := scanJSON(t, a, b)
	g := groupOf(doc, "auth-handshake-broken")
	if g == nil {
		t.Fatal("central scan: no auth-handshake-broken finding")
	}
	if g["confidence"] != "high" {
		t.Errorf("central scan: confidence %v", g["confidence"])
	}
	if got := keys(g["servers"]); !slices.Equal(got, []string{"EX16-01", "EX16-02"}) {
		t.Errorf("central scan credits %v, want both servers", got)
	}
	var stepServers []string
	for _, ex := range g["examples"].([]any) {
		seq, _ := ex.(map[string]any)["sequence"].([]any)
		for _, st := range seq {
			srv, _ := st.(map[string]any)["server"].(string)
			stepServers = append(stepServers, srv)
		}
	}
	if !slices.Contains(stepServers, "EX16-01") || !slices.Contains(stepServers, "EX16-02") || slices.Contains(stepServers, "") {
		t.Errorf("steps' servers %v", stepServers)
	}
	for _, one := range []string{a, b} {
		doc, _ := scanJSON(t, one)
		if g := groupOf(doc, "auth-handshake-broken"); g != nil && len(keys(g["servers"])) > 1 {
			t.Errorf("a scan of %s alone credits %v", filepath.Base(one), keys(g["servers"]))
		}
	}
}

// TestFleetScheduledCentralScan: a scheduled central scan (--state) over
// every server's share takes each trace's server from the trace, whatever
// the folder is called, and ships each trace once: the second run over
// the same shares reports nothing new.
func TestFleetScheduledCentralScan(t *testing.T) {
	dir := t.TempDir()
	gdir := filepath.Join(dir, "gen")
	const servers, traces = 3, 20
	if err := gen.WriteFleet(gdir, gen.FleetOptions{Servers: servers, Traces: traces, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	var shares []string
	for i := range servers {
		share := filepath.Join(dir, "share"+string(rune('a'+i)))
		if err := os.Rename(filepath.Join(gdir, gen.FleetServer(i)), share); err != nil {
			t.Fatal(err)
		}
		shares = append(shares, share)
	}
	state := filepath.Join(dir, "ndjson.state")
	first, _ := scanJSON(t, append([]string{"--state", state}, shares...)...)
	sum := first["summary"].(map[string]any)
	if num(sum["matched"]) != servers*traces {
		t.Errorf("first run matched %v traces, want %d", sum["matched"], servers*traces)
	}
	if got := keys(sum["servers"]); !slices.Equal(got, []string{"EX01", "EX02", "EX03"}) {
		t.Errorf("servers %v, want the traces' Computer names", got)
	}
	second, _ := scanJSON(t, append([]string{"--state", state}, shares...)...)
	sum = second["summary"].(map[string]any)
	if num(sum["matched"]) != 0 || num(sum["unchanged"]) != servers*traces {
		t.Errorf("second run: matched %v, unchanged %v; want 0 and %d", sum["matched"], sum["unchanged"], servers*traces)
	}
}
