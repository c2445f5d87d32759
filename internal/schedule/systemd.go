package schedule

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// stateDirectory is what systemd's StateDirectory= creates and makes
// writable under /var/lib.
const stateDirectory = "/var/lib/frebscan"

// Units are a systemd service and the timer that starts it.
type Units struct {
	ServiceName, Service string
	TimerName, Timer     string
}

// writableDirs are the directories the service may write
// (ReadWritePaths): systemd refuses to start a unit when one is missing,
// so --install creates them. The default state directory is systemd's
// own StateDirectory.
func (o Options) writableDirs() []string {
	state := o.State
	if state == "" {
		state = DefaultState(Systemd)
	}
	writable := []string{o.OutDir}
	if dir := path.Dir(state); dir != stateDirectory {
		writable = append(writable, dir)
	}
	return writable
}

// NewUnits writes the service and timer for o.
func NewUnits(o Options) Units {
	writable := o.writableDirs()
	var svc strings.Builder
	fmt.Fprintf(&svc, `[Unit]
Description=frebscan: scan IIS Failed Request Tracing logs and alert on new findings
Documentation=https://github.com/frebscan/frebscan/blob/main/docs/SCHEDULED.md
After=local-fs.target network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=%s
# 1 means "findings at or above --fail-on": the alert goes out through
# --notify-cmd; only 2 (an error) should mark the unit failed.
SuccessExitStatus=1
TimeoutStartSec=%s
StateDirectory=frebscan
StateDirectoryMode=0700
Nice=10
IOSchedulingClass=idle
# Hardening: frebscan only reads traces and writes its state and reports.
ProtectSystem=strict
ReadWritePaths=%s
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
UMask=0022
`, SystemdArgs(append([]string{o.Exe}, o.ScanArgs()...)), systemdSpan(o.TimeLimit), SystemdArgs(writable))

	timer := fmt.Sprintf(`[Unit]
Description=Run frebscan every %s
Documentation=https://github.com/frebscan/frebscan/blob/main/docs/SCHEDULED.md

[Timer]
OnBootSec=%s
OnUnitActiveSec=%s
AccuracySec=30s
Unit=%s.service

[Install]
WantedBy=timers.target
`, human(o.Every), systemdSpan(min(o.Every, 5*time.Minute)), systemdSpan(o.Every), o.Name)
	return Units{ServiceName: o.Name + ".service", Service: svc.String(), TimerName: o.Name + ".timer", Timer: timer}
}

// systemdSpan writes a systemd time span: 15min, 1h, 1h 30min, 2d.
func systemdSpan(d time.Duration) string {
	var parts []string
	for _, u := range []struct {
		unit string
		size time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"min", time.Minute}, {"s", time.Second}} {
		if n := d / u.size; n > 0 {
			parts = append(parts, fmt.Sprintf("%d%s", n, u.unit))
			d -= n * u.size
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " ")
}

// CronSpec is the schedule field of a crontab line for every, or an error
// when cron cannot repeat at that interval evenly (cron restarts its
// step count every hour or day, so */7 minutes leaves a 4-minute gap at
// the hour).
func CronSpec(every time.Duration) (string, error) {
	m := int(every / time.Minute)
	switch {
	case every%time.Minute != 0:
	case m < 60 && 60%m == 0:
		if m == 1 {
			return "* * * * *", nil
		}
		return fmt.Sprintf("*/%d * * * *", m), nil
	case m%60 == 0 && m/60 < 24 && 24%(m/60) == 0:
		if h := m / 60; h > 1 {
			return fmt.Sprintf("0 */%d * * *", h), nil
		}
		return "0 * * * *", nil
	case m == 24*60:
		return "0 0 * * *", nil
	}
	return "", fmt.Errorf("cron cannot run every %s evenly: use an interval that divides an hour (1m, 5m, 10m, 15m, 20m, 30m) or a day (1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d), or the systemd timer", human(every))
}

// CronLine is a line for root's crontab. Output goes to syslog through
// logger, so cron does not mail every run.
func CronLine(o Options) (string, error) {
	spec, err := CronSpec(o.Every)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s 2>&1 | logger -t %s\n", spec, ShellArgs(append([]string{o.Exe}, o.ScanArgs()...)), o.Name), nil
}
