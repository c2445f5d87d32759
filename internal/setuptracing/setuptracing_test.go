package setuptracing

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestGolden(t *testing.T) {
	ews := Defaults()
	ews.Path, ews.Status = "/EWS", "400-401"
	slow := Defaults()
	slow.Path, slow.Status, slow.TimeTaken, slow.Rewrite, slow.Directory = "/owa/", "", 15*time.Second, false, `D:\FREB`
	tests := []struct {
		name  string
		opts  Options
		shell string
	}{
		{"ews-both", ews, "both"},
		{"site-defaults-cmd", Defaults(), "cmd"},
		{"slow-owa-powershell", slow, "powershell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.opts, tt.shell); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				os.WriteFile(path, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("output differs from %s (go test -update to accept):\n%s", path, b.String())
			}
		})
	}
}

// TestAppcmdLines checks the parts that IIS is strict about, whatever
// the golden files say.
func TestAppcmdLines(t *testing.T) {
	o := Defaults()
	o.Path, o.Status, o.TimeTaken = "/EWS", "400-401", 10*time.Second
	var b bytes.Buffer
	if err := Write(&b, o, "cmd"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`appcmd.exe set config -section:system.applicationHost/sites "/[name='Default Web Site'].traceFailedRequestsLogging.enabled:true" /commit:apphost`,
		`"/[name='Default Web Site'].traceFailedRequestsLogging.maxLogFiles:200"`,
		`"/[name='Default Web Site'].traceFailedRequestsLogging.maxLogFileSizeKB:1024"`,
		`set config "Default Web Site/EWS" -section:system.webServer/tracing/traceFailedRequests /+[path='*'] /commit:apphost`,
		`"/+[path='*'].traceAreas.[provider='WWW Server',areas='Authentication,Security,Filter,StaticFile,CGI,Compression,Cache,RequestNotifications,Module,FastCGI,WebSocket,Rewrite',verbosity='Verbose']"`,
		`/+[path='*'].traceAreas.[provider='ASPNET',areas='Infrastructure,Module,Page,AppServices',verbosity='Verbose']`,
		`"/+[path='*'].traceAreas.[provider='ISAPI Extension',verbosity='Verbose']"`,
		`/+[path='*'].traceAreas.[provider='ASP',verbosity='Verbose']`,
		`/[path='*'].failureDefinitions.statusCodes:400-401 /commit:apphost`,
		`/[path='*'].failureDefinitions.timeTaken:00:00:10 /commit:apphost`,
		`set config "Default Web Site/EWS" -section:system.webServer/tracing/traceFailedRequests /-[path='*'] /commit:apphost`,
		`"/[name='Default Web Site'].traceFailedRequestsLogging.enabled:false"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("appcmd output lacks\n  %s", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\r\n") {
		if line != "" && !strings.HasPrefix(line, "REM") && !strings.HasPrefix(line, `%windir%\system32\inetsrv\appcmd.exe set config `) {
			t.Errorf("line is neither a comment nor an appcmd command: %q", line)
		}
		if strings.Count(line, `"`)%2 != 0 {
			t.Errorf("unbalanced quotes: %q", line)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Options)
		err    string // "" : valid
	}{
		{"defaults", func(*Options) {}, ""},
		{"substatus and list", func(o *Options) { o.Status = "400,401.2, 500-599" }, ""},
		{"time only", func(o *Options) { o.Status, o.TimeTaken = "", time.Minute }, ""},
		{"nothing to trace", func(o *Options) { o.Status = "" }, "--status, --time-taken"},
		{"bad status", func(o *Options) { o.Status = "4xx" }, "--status"},
		{"substatus range", func(o *Options) { o.Status = "401.1-401.3" }, "--status"},
		{"backwards range", func(o *Options) { o.Status = "500-400" }, "ends before"},
		{"relative path", func(o *Options) { o.Path = "EWS" }, "--path"},
		{"quote in site", func(o *Options) { o.Site = "O'Brien" }, "--site"},
		{"fractional time", func(o *Options) { o.TimeTaken = 1500 * time.Millisecond }, "--time-taken"},
		{"no files", func(o *Options) { o.MaxLogFiles = 0 }, "--max-log-files"},
	}
	for _, tt := range tests {
		o := Defaults()
		tt.change(&o)
		err := o.Validate()
		if (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.err)
		}
	}
	o := Defaults()
	o.Path = "/owa/"
	o.Validate()
	if o.location() != "Default Web Site/owa" {
		t.Errorf("location %q", o.location())
	}
}
