package freb

import (
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
