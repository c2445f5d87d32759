package freb

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestIsChunkFraming(t *testing.T) {
	for _, tc := range []struct {
		buf  string
		want bool
	}{
		{"41\r\n", true},
		{"\r\n", true},
		{"0\r\n\r\n", true},
		{"1a3F\r\n", true},
		{"Bad Request", false},
		{"cafe", false},
		{"<html>\r\n", false},
		{"", false},
		{"123456789\r\n", false},
	} {
		if got := isChunkFraming(tc.buf); got != tc.want {
			t.Errorf("isChunkFraming(%q) = %v, want %v", tc.buf, got, tc.want)
		}
	}
}

func TestBodyJoinsBuffersAndMarksCuts(t *testing.T) {
	b := newBuilder("x.xml", Options{})
	for _, buf := range []string{"41\r\n", "<!-- \r\n", "\r\n", "51\r\n", "[HttpException]: boom\r\n", "page" + iisBufferCut} {
		b.body(buf)
	}
	if want := "<!-- \r\n[HttpException]: boom\r\npage"; b.t.Body != want || !b.t.BodyCut {
		t.Errorf("Body = %q (cut %v), want %q cut", b.t.Body, b.t.BodyCut, want)
	}
}

func TestTrackNamesTheActivityAndModuleOfAGap(t *testing.T) {
	b := newBuilder("x.xml", Options{SlowSteps: 3})
	names := []struct{ name, module string }{
		{"GENERAL_REQUEST_START", ""},
		{"NOTIFY_MODULE_START", "ManagedPipelineHandler"},
		{"AspNetCompileEnter", ""},
		{"AspNetCompileLeave", ""},
		{"AspNetPageLoadEnter", ""},
		{"AspNetPageLoadLeave", ""},
		{"NOTIFY_MODULE_END", "ManagedPipelineHandler"},
		{"GENERAL_REQUEST_END", ""},
	}
	gaps := []int{0, 10, 10, 500, 10, 9000, 10, 10}
	var at int
	for i, n := range names {
		at += gaps[i]
		ev := &Event{Name: n.name, Time: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).Add(time.Duration(at) * time.Millisecond)}
		if n.module != "" {
			ev.Data = []Field{{Name: "ModuleName", Value: n.module}}
		}
		b.add(ev)
	}
	tr := b.finish()
	st := tr.SlowestSteps[0]
	if st.Activity != "AspNetPageLoadEnter" || st.Module != "ManagedPipelineHandler" || st.Name != "AspNetPageLoadEnter" {
		t.Errorf("slowest step = %+v, want Page_Load in ManagedPipelineHandler", st)
	}
	if st := tr.SlowestSteps[1]; st.Activity != "AspNetCompileEnter" {
		t.Errorf("second step = %+v, want the compile", st)
	}
}

// TestNoEventsIsAWarning: a trace IIS wrote with the root only (no
// events) says so, since its time can only come from the file.
func TestNoEventsIsAWarning(t *testing.T) {
	path := t.TempDir() + "/fr000001.xml"
	doc := `<?xml version="1.0" encoding="UTF-8"?><failedRequest url="http://web01:80/x" siteId="1" appPoolId="A" processId="1" verb="GET" authenticationType="NOT_AVAILABLE" activityId="{00000000-0000-0000-0000-000000000000}" failureReason="STATUS_CODE" statusCode="500" triggerStatusCode="500" timeTaken="0" xmlns:freb="http://schemas.microsoft.com/win/2006/06/iis/freb"></failedRequest>`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := ReadFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.EventCount != 0 || len(tr.Warnings) == 0 || !strings.Contains(strings.Join(tr.Warnings, " "), "no events") {
		t.Errorf("events %d, warnings %q", tr.EventCount, tr.Warnings)
	}
}
