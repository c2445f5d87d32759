package schedule

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n%s", name, got)
	}
}

var fixedNow = time.Date(2026, 3, 2, 14, 7, 0, 0, time.Local)

func windowsOptions() Options {
	return Options{Target: Windows, Name: "frebscan", Every: 15 * time.Minute, TimeLimit: time.Hour,
		Exe: `C:\Program Files\frebscan\frebscan.exe`, OutDir: `D:\frebscan reports`, FailOn: "medium", Keep: 200, KeepDays: 30,
		NotifyCmd: `powershell -NoProfile -File "C:\frebscan\notify.ps1"`, Now: fixedNow}
}

func linuxOptions() Options {
	return Options{Target: Systemd, Name: "frebscan", Every: 15 * time.Minute, TimeLimit: time.Hour,
		Exe: "/usr/local/bin/frebscan", OutDir: "/srv/frebscan/reports", Inputs: []string{"/mnt/ex01/FailedReqLogFiles", "/mnt/ex 02/100%"},
		NotifyCmd: `curl -fsS -H 'Content-Type: application/json' --data-binary @- https://hooks.example.com/frebscan`, Now: fixedNow}
}

func TestParseEvery(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"15m", 15 * time.Minute, false}, {"1h", time.Hour, false}, {"1h30m", 90 * time.Minute, false},
		{"1d", 24 * time.Hour, false}, {"31d", 31 * 24 * time.Hour, false},
		{"30s", 0, true}, {"90s", 0, true}, {"32d", 0, true}, {"", 0, true}, {"often", 0, true}, {"-5m", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseEvery(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseEvery(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestISODuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Minute: "PT15M", time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 24 * time.Hour: "P1D",
		25 * time.Hour: "P1DT1H", 72 * time.Hour: "P3D", 0: "PT0S", 30 * time.Second: "PT30S",
	} {
		if got := ISODuration(d); got != want {
			t.Errorf("ISODuration(%v) = %s, want %s", d, got, want)
		}
	}
}

func TestCronSpec(t *testing.T) {
	tests := []struct {
		every time.Duration
		want  string // "" : rejected
	}{
		{time.Minute, "* * * * *"}, {15 * time.Minute, "*/15 * * * *"}, {30 * time.Minute, "*/30 * * * *"},
		{time.Hour, "0 * * * *"}, {6 * time.Hour, "0 */6 * * *"}, {24 * time.Hour, "0 0 * * *"},
		{7 * time.Minute, ""}, {45 * time.Minute, ""}, {90 * time.Minute, ""}, {5 * time.Hour, ""}, {48 * time.Hour, ""},
	}
	for _, tt := range tests {
		got, err := CronSpec(tt.every)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("CronSpec(%v) = %q, %v; want %q", tt.every, got, err, tt.want)
		}
	}
}

// splitWindows splits a command line the way CommandLineToArgvW does
// for arguments after the program name, to check WindowsArgs round-trips.
func splitWindows(s string) []string {
	var args []string
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					inQuote = !inQuote
				}
				have = true
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			have = true
		case c == '"':
			inQuote, have = !inQuote, true
		case (c == ' ' || c == '\t') && !inQuote:
			if have {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		args = append(args, cur.String())
	}
	return args
}

func TestWindowsArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--out-dir", `D:\reports`}, `scan --out-dir D:\reports`},
		{[]string{`D:\frebscan reports`}, `"D:\frebscan reports"`},
		{[]string{`C:\dir with space\`}, `"C:\dir with space\\"`},
		{[]string{`say "hi"`}, `"say \"hi\""`},
		{[]string{`a\"b`}, `"a\\\"b"`},
		{[]string{""}, `""`},
	}
	for _, tt := range tests {
		got := WindowsArgs(tt.args)
		if got != tt.want {
			t.Errorf("WindowsArgs(%q) = %s, want %s", tt.args, got, tt.want)
		}
		if back := splitWindows(got); strings.Join(back, "\x00") != strings.Join(tt.args, "\x00") {
			t.Errorf("%s splits back to %q, want %q", got, back, tt.args)
		}
	}
	args := windowsOptions().ScanArgs()
	if back := splitWindows(WindowsArgs(args)); strings.Join(back, "\x00") != strings.Join(args, "\x00") {
		t.Errorf("scan arguments do not round-trip:\n%q\n%q", back, args)
	}
}

func TestSystemdAndShellArgs(t *testing.T) {
	if got, want := SystemdArgs([]string{"/bin/frebscan", "/mnt/ex 02/100%", `a"b`, "$HOME", ";"}),
		`/bin/frebscan "/mnt/ex 02/100%%" "a\"b" $$HOME ";"`; got != want {
		t.Errorf("SystemdArgs = %s, want %s", got, want)
	}
	if got, want := ShellArgs([]string{"/bin/frebscan", "--x", "it's 100%", "a b"}), `/bin/frebscan --x 'it'\''s 100\%' 'a b'`; got != want {
		t.Errorf("ShellArgs = %s, want %s", got, want)
	}
	// What sh makes of the line (cron removes the backslash before %
	// first) must be the arguments as given.
	args := []string{"printf", `%s|`, "it's", "a b", `"q"`, "$HOME"}
	line := strings.ReplaceAll(ShellArgs(args), `\%`, "%")
	out, err := exec.Command("/bin/sh", "-c", line).Output()
	if err != nil {
		t.Skip("no /bin/sh:", err)
	}
	if string(out) != `it's|a b|"q"|$HOME|` {
		t.Errorf("sh ran %s as %q", line, out)
	}
}

// taskDoc is what the tests read back from the XML, by element path.
type taskDoc struct {
	XMLName  xml.Name
	Version  string `xml:"version,attr"`
	Interval string `xml:"Triggers>TimeTrigger>Repetition>Interval"`
	Start    string `xml:"Triggers>TimeTrigger>StartBoundary"`
	UserID   string `xml:"Principals>Principal>UserId"`
	RunLevel string `xml:"Principals>Principal>RunLevel"`
	Policy   string `xml:"Settings>MultipleInstancesPolicy"`
	Limit    string `xml:"Settings>ExecutionTimeLimit"`
	Command  string `xml:"Actions>Exec>Command"`
	Args     string `xml:"Actions>Exec>Arguments"`
}

func TestTaskXML(t *testing.T) {
	o := windowsOptions()
	b, err := TaskXMLUTF16(NewTask(o))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0xFF, 0xFE, '<', 0}) {
		t.Fatalf("not UTF-16 LE with a BOM: % x", b[:8])
	}
	text, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(text, []byte(`<?xml version="1.0" encoding="UTF-16"?>`+"\r\n")) || bytes.Contains(bytes.ReplaceAll(text, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("declaration or line ends wrong:\n%q", text[:80])
	}
	dec := xml.NewDecoder(bytes.NewReader(text))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already decoded
	var d taskDoc
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	want := taskDoc{XMLName: xml.Name{Space: TaskNamespace, Local: "Task"}, Version: "1.2", Interval: "PT15M", Start: "2026-03-02T00:00:00",
		UserID: "S-1-5-18", RunLevel: "HighestAvailable", Policy: "IgnoreNew", Limit: "PT1H", Command: o.Exe}
	got := d
	got.Args = ""
	if got != want {
		t.Errorf("task:\n got %+v\nwant %+v", got, want)
	}
	if back := splitWindows(d.Args); strings.Join(back, "\x00") != strings.Join(o.ScanArgs(), "\x00") {
		t.Errorf("Arguments %s split to %q", d.Args, back)
	}
	for _, want := range []string{`--state C:\ProgramData\frebscan\frebscan.state`, `--out-dir "D:\frebscan reports"`,
		`--output "D:\frebscan reports\last-run.json"`, "--fail-on medium", "--keep 200", "--keep-days 30", "--lock-timeout 7m30s",
		`--notify-cmd "powershell -NoProfile -File \"C:\frebscan\notify.ps1\""`} {
		if !strings.Contains(d.Args, want) {
			t.Errorf("Arguments lack %s: %s", want, d.Args)
		}
	}
	utf8, _ := TaskXML(NewTask(o))
	golden(t, "task.xml.golden", utf8)
}
