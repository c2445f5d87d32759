package schedule

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"
)

// parseUnit reads a unit file into section → key → values, failing on
// lines that are neither.
func parseUnit(t *testing.T, text string) map[string]map[string][]string {
	t.Helper()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("not a key=value line in a section: %q", line)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	return out
}

func TestUnits(t *testing.T) {
	o := linuxOptions()
	u := NewUnits(o)
	svc, timer := parseUnit(t, u.Service), parseUnit(t, u.Timer)
	checks := []struct {
		unit             map[string]map[string][]string
		section, key, is string
	}{
		{svc, "Service", "Type", "oneshot"},
		{svc, "Service", "SuccessExitStatus", "1"},
		{svc, "Service", "TimeoutStartSec", "1h"},
		{svc, "Service", "StateDirectory", "frebscan"},
		{svc, "Service", "ProtectSystem", "strict"},
		{svc, "Service", "NoNewPrivileges", "yes"},
		{svc, "Service", "ReadWritePaths", "/srv/frebscan/reports"},
		{timer, "Timer", "OnUnitActiveSec", "15min"},
		{timer, "Timer", "OnBootSec", "5min"},
		{timer, "Timer", "Unit", "frebscan.service"},
		{timer, "Install", "WantedBy", "timers.target"},
	}
	for _, c := range checks {
		if got := c.unit[c.section][c.key]; len(got) != 1 || got[0] != c.is {
			t.Errorf("[%s] %s = %q, want %q", c.section, c.key, got, c.is)
		}
	}
	exec := svc["Service"]["ExecStart"][0]
	for _, want := range []string{"/usr/local/bin/frebscan scan --state /var/lib/frebscan/frebscan.state --out-dir /srv/frebscan/reports",
		"--output /srv/frebscan/reports/last-run.json", `"/mnt/ex 02/100%%"`, "--lock-timeout 7m30s",
		`--notify-cmd "curl -fsS -H 'Content-Type: application/json' --data-binary @- https://hooks.example.com/frebscan"`} {
		if !strings.Contains(exec, want) {
			t.Errorf("ExecStart lacks %s:\n%s", want, exec)
		}
	}
	golden(t, "frebscan.service.golden", []byte(u.Service))
	golden(t, "frebscan.timer.golden", []byte(u.Timer))

	// A state outside /var/lib/frebscan must be writable too.
	o.State = "/opt/frebscan/state.json"
	if got := parseUnit(t, NewUnits(o).Service)["Service"]["ReadWritePaths"]; len(got) != 1 || got[0] != "/srv/frebscan/reports /opt/frebscan" {
		t.Errorf("ReadWritePaths = %q", got)
	}
}

// TestUnitsVerify runs systemd's own checker where it exists.
func TestUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	dir := t.TempDir()
	o := linuxOptions()
	o.Exe = "/bin/true" // verify checks that the program exists
	o.Inputs = []string{dir}
	u := NewUnits(o)
	os.WriteFile(filepath.Join(dir, u.ServiceName), []byte(u.Service), 0o644)
	os.WriteFile(filepath.Join(dir, u.TimerName), []byte(u.Timer), 0o644)
	cmd := exec.Command(analyze, "verify", filepath.Join(dir, u.ServiceName), filepath.Join(dir, u.TimerName))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	if len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify warns:\n%s", out)
	}
}

func TestCronLine(t *testing.T) {
	o := linuxOptions()
	o.Target = Cron
	line, err := CronLine(o)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "cron.golden", []byte(line))
	o.Every = 45 * time.Minute
	var out, errb bytes.Buffer
	if err := Run(&out, &errb, o, Output{}); err == nil || !strings.Contains(err.Error(), "cron cannot run every 45m") {
		t.Errorf("45m: %v", err)
	}
}

type recorder struct{ calls []string }

func (r *recorder) run(name string, args ...string) error {
	r.calls = append(r.calls, name+" "+strings.Join(args, " "))
	return nil
}

func TestRunInstallSystemd(t *testing.T) {
	dir := t.TempDir()
	var rec recorder
	var out, errb bytes.Buffer
	if err := Run(&out, &errb, linuxOptions(), Output{Install: true, UnitDir: dir, Run: rec.run}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"frebscan.service", "frebscan.timer"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if got := strings.Join(rec.calls, "; "); got != "systemctl daemon-reload; systemctl enable --now frebscan.timer" {
		t.Errorf("commands run: %s", got)
	}
	rec.calls = nil
	errb.Reset()
	if err := Run(&out, &errb, linuxOptions(), Output{Install: true, UnitDir: dir, NoEnable: true, Run: rec.run}); err != nil {
		t.Fatal(err)
	}
	if len(rec.calls) != 0 || !strings.Contains(errb.String(), "now run: systemctl daemon-reload && systemctl enable --now frebscan.timer") {
		t.Errorf("--no-enable ran %q, said %q", rec.calls, errb.String())
	}
}

func TestRunInstallWindows(t *testing.T) {
	var seen []byte
	run := func(name string, args ...string) error {
		if name != "schtasks.exe" || strings.Join(args[:3], " ") != "/Create /TN frebscan" || args[3] != "/XML" || args[5] != "/F" {
			t.Errorf("ran %s %q", name, args)
		}
		seen, _ = os.ReadFile(args[4])
		return nil
	}
	var out, errb bytes.Buffer
	if err := Run(&out, &errb, windowsOptions(), Output{Install: true, Run: run, TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(seen, []byte{0xFF, 0xFE}) {
		t.Errorf("schtasks got no UTF-16 file: % x", seen[:min(len(seen), 4)])
	}
	if err := Run(&out, &errb, windowsOptions(), Output{Install: true}); err == nil {
		t.Error("--install without schtasks should fail")
	}
	file := filepath.Join(t.TempDir(), "task.xml")
	if err := Run(&out, &errb, windowsOptions(), Output{File: file}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	text, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
	if err != nil || !bytes.Contains(text, []byte("<Interval>PT15M</Interval>")) {
		t.Errorf("--output file: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"relative exe", func(o *Options) { o.Exe = "frebscan.exe" }, "must be absolute"},
		{"linux exe for windows", func(o *Options) { o.Exe = "/usr/bin/frebscan" }, "must be absolute"},
		{"no out-dir", func(o *Options) { o.OutDir = "" }, "--out-dir is required"},
		{"bad name", func(o *Options) { o.Name = `a\b` }, "--name"},
		{"short limit", func(o *Options) { o.TimeLimit = time.Second }, "--time-limit"},
		{"odd interval", func(o *Options) { o.Every = 90 * time.Second }, "whole minutes"},
		{"systemd without inputs", func(o *Options) { o.Target, o.Exe = Systemd, "/usr/bin/frebscan" }, "name the FREB directories"},
	}
	for _, tt := range tests {
		o := windowsOptions()
		tt.change(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if err := windowsOptions().Validate(); err != nil {
		t.Errorf("valid options: %v", err)
	}
}
