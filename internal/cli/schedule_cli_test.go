package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestScheduleCLI(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	xmlFile := filepath.Join(tmp, "task.xml")
	r := frebscan(t, "schedule", "--target", "windows", "--exe", `C:\frebscan\frebscan.exe`, "--out-dir", `D:\frebscan`, "--every", "30m", "-o", xmlFile)
	if r.code != 0 || !strings.Contains(r.stderr, "schtasks /Create /TN frebscan /XML") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(xmlFile); !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		t.Error("task file is not UTF-16 with a BOM")
	}

	if r := frebscan(t, "schedule", "--cron", "--every", "7m", "--out-dir", tmp, tmp); r.code != 2 || !strings.Contains(r.stderr, "cron cannot run every 7m") {
		t.Errorf("--cron 7m: exit %d %s", r.code, r.stderr)
	}
	if r := frebscan(t, "schedule", "--every", "soon", "--out-dir", tmp, tmp); r.code != 2 || !strings.Contains(r.stderr, "--every") {
		t.Errorf("--every soon: exit %d %s", r.code, r.stderr)
	}
	r = frebscan(t, "schedule", "--cron", "--every", "15m", "--out-dir", "reports", "traces")
	abs, _ := filepath.Abs("reports")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "*/15 * * * * ") || !strings.Contains(r.stdout, "--out-dir "+abs) {
		t.Errorf("--cron: relative paths not made absolute or wrong spec: %s %s", r.stdout, r.stderr)
	}

	units := filepath.Join(tmp, "units")
	os.MkdirAll(units, 0o755)
	r = frebscan(t, "schedule", "--target", "systemd", "--install", "--unit-dir", units, "--no-enable", "--out-dir", tmp, tmp)
	if r.code != 0 || !strings.Contains(r.stderr, "systemctl enable --now frebscan.timer") {
		t.Fatalf("--install: exit %d %s", r.code, r.stderr)
	}
	svc, err := os.ReadFile(filepath.Join(units, "frebscan.service"))
	exe, _ := os.Executable()
	if err != nil || !strings.Contains(string(svc), "ExecStart="+exe+" scan --state") {
		t.Errorf("service: %v\n%s", err, svc)
	}
}

// TestScheduleMessages: a go run binary is refused, a Windows task made
// elsewhere asks for --exe, and --install creates the --out-dir the unit
// writes to.
func TestScheduleMessages(t *testing.T) {
	if !goRunBinary("/tmp/go-build123456/b001/exe/frebscan") || goRunBinary("/usr/local/bin/frebscan") || goRunBinary("/tmp/go-build1/b001/cli.test") {
		t.Error("goRunBinary misjudges a path")
	}
	if runtime.GOOS != "windows" {
		r := frebscan(t, "schedule", "--target", "windows", "--out-dir", `D:\frebscan`)
		if r.code != 2 || !strings.Contains(r.stderr, "needs --exe") || strings.Contains(r.stderr, "must be absolute") {
			t.Errorf("windows task without --exe: exit %d %s", r.code, r.stderr)
		}
	}
	tmp := t.TempDir()
	units := filepath.Join(tmp, "units")
	os.MkdirAll(units, 0o755)
	outDir := filepath.Join(tmp, "reports", "frebscan")
	r := frebscan(t, "schedule", "--target", "systemd", "--install", "--unit-dir", units, "--no-enable", "--out-dir", outDir, tmp)
	if r.code != 0 {
		t.Fatalf("--install: exit %d %s", r.code, r.stderr)
	}
	if fi, err := os.Stat(outDir); err != nil || !fi.IsDir() {
		t.Errorf("--install did not create the --out-dir the unit writes to: %v", err)
	}
}

func TestSetupTracingCLI(t *testing.T) {
	t.Parallel()
	r := frebscan(t, "setup-tracing", "--site", "Default Web Site", "--path", "/EWS", "--status", "400-401")
	if r.code != 0 || !strings.Contains(r.stdout, `set config "Default Web Site/EWS" -section:system.webServer/tracing/traceFailedRequests /+[path='*']`) ||
		!strings.Contains(r.stdout, "Add-WebConfigurationProperty") || !strings.Contains(r.stdout, "/-[path='*']") {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := frebscan(t, "setup-tracing", "--status", "4xx"); r.code != 2 || !strings.Contains(r.stderr, "--status") {
		t.Errorf("bad status: exit %d %s", r.code, r.stderr)
	}
}
