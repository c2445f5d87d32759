package scan

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestSplitHandshakeCreditsEveryServer: the sample handshake whose legs
// reached EX16-01 then EX16-02 is credited to both servers (the group's
// Servers, the server × rule table, the finding's ref), and each step
// says which server it reached.
func TestSplitHandshakeCreditsEveryServer(t *testing.T) {
	r := run(t, Options{Inputs: []string{filepath.Join(samples, "auth-handshake-broken")}})
	g, ok := groups(r)["auth-handshake-broken"]
	if !ok {
		t.Fatal("no auth-handshake-broken finding")
	}
	var servers []string
	for _, c := range g.Servers {
		servers = append(servers, c.Key)
	}
	slices.Sort(servers)
	if !slices.Equal(servers, []string{"EX16-01", "EX16-02"}) {
		t.Errorf("group servers %v, want both EX16-01 and EX16-02", g.Servers)
	}
	cells := map[string]int{}
	for _, c := range r.Tables.ServerRules {
		if c.Rule == "auth-handshake-broken" {
			cells[c.Server] = c.Count
		}
	}
	if cells["EX16-01"] == 0 || cells["EX16-02"] == 0 {
		t.Errorf("server × rule table %v lacks a server", r.Tables.ServerRules)
	}
	var steps, withServer int
	for _, ex := range g.Examples {
		for _, st := range ex.Sequence {
			steps++
			if st.Server != "" {
				withServer++
			}
		}
	}
	if steps == 0 || withServer != steps {
		t.Errorf("%d of %d steps carry their server", withServer, steps)
	}
	split := false
	for _, row := range r.Traces {
		for _, ref := range row.Findings {
			if ref.Rule == "auth-handshake-broken" && slices.Equal(ref.Servers, []string{"EX16-01", "EX16-02"}) {
				split = true
			}
		}
	}
	if !split {
		t.Error("no finding ref lists both servers of the split handshake")
	}
}
