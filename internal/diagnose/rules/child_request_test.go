package rules

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// TestNoDefaultDocumentInChildRequest: a 403.14 inside a child request
// (the default document module re-executing the request) is found while
// the client gets 200; a child that succeeds is not a finding. The trace
// goes through the generator and the reader, so the event names and
// fields are the ones IIS writes (GENERAL_CHILD_REQUEST_START/END).
func TestNoDefaultDocumentInChildRequest(t *testing.T) {
	var base gen.Scenario
	for _, s := range gen.Samples() {
		if s.Rule == "healthy-direct" {
			base = s.Traces[0]
		}
	}
	if base.Status.Code != 0 && base.Status.Code != 200 {
		t.Fatalf("healthy-direct is not a 200 (%d)", base.Status.Code)
	}
	for _, tc := range []struct {
		status, sub int
		want        bool
	}{{403, 14, true}, {200, 0, false}, {403, 4, false}} {
		s := base
		s.HandlerEvents = append(append([]gen.Extra(nil), s.HandlerEvents...),
			gen.Extra{Name: "GENERAL_CHILD_REQUEST_START", Data: [][2]string{{"SiteId", "1"}, {"RequestURL", "http://web01/docs/"}, {"RequestVerb", "GET"}, {"RecursiveLevel", "1"}}},
			gen.Extra{Name: "GENERAL_CHILD_REQUEST_END", Data: [][2]string{{"BytesSent", "0"}, {"BytesReceived", "0"},
				{"HttpStatus", strconv.Itoa(tc.status)}, {"HttpSubStatus", strconv.Itoa(tc.sub)}}})
		data, err := gen.Bytes(s)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := freb.Read(bytes.NewReader(data), "fr000001.xml", freb.Options{SlowSteps: 5})
		if err != nil {
			t.Fatal(err)
		}
		if tr.StatusCode != 200 || len(tr.Children) != 1 {
			t.Fatalf("status %d, %d child requests read; want 200 and 1", tr.StatusCode, len(tr.Children))
		}
		fs := diagnoseAll([]*freb.Trace{tr})["no-default-document"]
		if got := len(fs) > 0; got != tc.want {
			t.Errorf("child %d.%d: no-default-document fired = %v, want %v", tc.status, tc.sub, got, tc.want)
		}
	}
}
