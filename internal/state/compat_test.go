package state

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// TestLoadVersion1File loads a state file written by the frebscan that
// introduced the format (testdata/v1.json): a scheduled scan upgraded in
// place must carry on with its files and correlation window, not start
// fresh and report every trace again.
func TestLoadVersion1File(t *testing.T) {
	s, warning, err := Load("testdata/v1.json")
	if warning != "" || err != nil {
		t.Fatalf("warning: %s, err %v", warning, err)
	}
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	want := []*diagnose.Sequence{{
		Key: "10.0.0.7\x00Microsoft Office/16.0\x00/ews/exchange.asmx", Client: "10.0.0.7", UserAgent: "Microsoft Office/16.0",
		Path: "/ews/exchange.asmx", Vendor: "F5 BIG-IP", Family: "Outlook", IgnoresPersistentAuth: true,
		Steps: []diagnose.SequenceStep{
			{File: "fr000001.xml", Time: base.Add(-time.Second), Verb: "POST", Status: "401.2", Code: 401, Sub: 2, Auth: "none"},
			{File: "fr000002.xml", Time: base, Verb: "POST", Status: "401.1", Code: 401, Sub: 1, Auth: "NTLM type 3", NTLMType: 3,
				HasAuth: true, PersistentAuth: "false", FEServer: "EX01", ErrorCode: 0x8009030c, Via: true},
		},
	}}
	if got := s.Seed(); !reflect.DeepEqual(got, want) {
		t.Errorf("window:\n got %+v\nwant %+v", got[0], want[0])
	}
	const file = "/logs/W3SVC1/fr000002.xml"
	if f, _ := s.Lookup(file); f.Size != 5120 || !f.ModTime.Equal(base) {
		t.Errorf("file = %+v", f)
	}
	if !s.AlertedSince("via-persistent-auth", base) {
		t.Errorf("alerted = %v", s.Alerted)
	}
}

// TestSaveVersion1File saves testdata/v1.json and testdata/v2.json
// again and expects testdata/v3.state: the same files, window and alerts
// in the current format (a v2 file's analysis times of counted files, and
// the activity IDs nobody read, are left behind). Loading v3.state and
// saving it gives the same bytes, so neither the window's JSON names nor
// the binary table can drift (loading alone would not notice, as
// encoding/json matches names regardless of case).
func TestSaveVersion1File(t *testing.T) {
	for _, from := range []string{"testdata/v1.json", "testdata/v2.json", "testdata/v3.state"} {
		t.Run(from, func(t *testing.T) {
			s, warning, err := Load(from)
			if warning != "" || err != nil {
				t.Fatalf("warning: %s, err %v", warning, err)
			}
			s.now = func() time.Time { return s.Updated }
			s.SetWindow(s.Seed(), DefaultWindow)
			got, err := s.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if *update && from == "testdata/v1.json" {
				os.WriteFile("testdata/v3.state", got, 0o644)
			}
			want, err := os.ReadFile("testdata/v3.state")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("saved again:\n%q\nwant testdata/v3.state:\n%q", got, want)
			}
		})
	}
}

var update = flag.Bool("update", false, "rewrite testdata/v3.state")
