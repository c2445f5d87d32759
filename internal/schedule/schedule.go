// Package schedule writes what makes a scheduler run frebscan every few
// minutes: a Windows Task Scheduler task (XML for schtasks /Create /XML),
// a systemd service and timer pair, or a crontab line. The generated
// command is always `frebscan scan --state ... --out-dir ...`, so every
// scheduled run is incremental, locked against overlap and archived.
package schedule

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Targets.
const (
	Windows = "windows"
	Systemd = "systemd"
	Cron    = "cron"
)

// Limits of the repetition interval: Task Scheduler accepts PT1M to P31D,
// and cron and the lock make sub-minute runs pointless.
const (
	MinEvery = time.Minute
	MaxEvery = 31 * 24 * time.Hour
)

// Options describe one schedule.
type Options struct {
	// Target is Windows, Systemd or Cron.
	Target string
	// Name is the task name, or the systemd unit name without suffix.
	Name  string
	Every time.Duration
	// TimeLimit stops a run that takes longer (Task Scheduler's
	// ExecutionTimeLimit, systemd's TimeoutStartSec).
	TimeLimit time.Duration
	// Exe is the absolute path of the frebscan executable to run.
	Exe    string
	OutDir string
	// State is the --state file; StateFor gives the default.
	State    string
	Inputs   []string
	FailOn   string
	Keep     int
	KeepDays int
	// NotifyCmd is passed on to scan --notify-cmd.
	NotifyCmd string
	// Now dates the task's start boundary (tests fix it).
	Now time.Time
}

// DefaultState is where the state lives when --state is not given: a
// machine-wide directory the scheduled account (SYSTEM, root) can write,
// apart from the reports, which admins may share or publish.
func DefaultState(target string) string {
	if target == Windows {
		return `C:\ProgramData\frebscan\frebscan.state`
	}
	return "/var/lib/frebscan/frebscan.state"
}

// ParseEvery reads --every: a Go duration (15m, 1h, 1h30m) or a number
// of days (1d), in whole minutes between MinEvery and MaxEvery.
func ParseEvery(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || s == "" {
		return 0, fmt.Errorf("--every %q: want an interval such as 15m, 1h or 1d", s)
	}
	if d < MinEvery || d > MaxEvery || d%time.Minute != 0 {
		return 0, fmt.Errorf("--every %s: want whole minutes from 1m to 31d (the range Task Scheduler accepts)", s)
	}
	return d, nil
}

// Validate checks what every target needs.
func (o Options) Validate() error {
	switch o.Target {
	case Windows, Systemd, Cron:
	default:
		return fmt.Errorf("unknown schedule target %q (want windows, systemd or cron)", o.Target)
	}
	if o.Every < MinEvery || o.Every > MaxEvery || o.Every%time.Minute != 0 {
		return fmt.Errorf("interval %s: want whole minutes from 1m to 31d", o.Every)
	}
	if o.OutDir == "" {
		return errors.New("--out-dir is required: scheduled runs keep their reports there")
	}
	if o.Name == "" || strings.ContainsAny(o.Name, `/\:*?"<>|`) {
		return fmt.Errorf("--name %q: want a plain name such as frebscan", o.Name)
	}
	if !o.absolute(o.Exe) {
		return fmt.Errorf("the frebscan executable path %q must be absolute: a scheduler does not search PATH the way a shell does", o.Exe)
	}
	if o.Target != Windows && len(o.Inputs) == 0 {
		return errors.New("name the FREB directories to scan (only Windows has a default, %SystemDrive%\\inetpub\\logs\\FailedReqLogFiles)")
	}
	if o.TimeLimit < time.Minute {
		return errors.New("--time-limit must be at least 1m")
	}
	return nil
}

// absolute checks a path for the target's OS, not the one frebscan runs
// on: a Windows task can be generated on Linux.
func (o Options) absolute(p string) bool {
	if o.Target == Windows {
		return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`)
	}
	return strings.HasPrefix(p, "/")
}

// ScanArgs are the arguments of the scheduled `frebscan scan`.
func (o Options) ScanArgs() []string {
	state := o.State
	if state == "" {
		state = DefaultState(o.Target)
	}
	args := []string{"scan", "--state", state, "--out-dir", o.OutDir, "--progress", "never",
		"--format", "json", "--output", o.join(o.OutDir, "last-run.json")}
	if o.FailOn != "" {
		args = append(args, "--fail-on", o.FailOn)
	}
	if o.Keep > 0 {
		args = append(args, "--keep", strconv.Itoa(o.Keep))
	}
	if o.KeepDays > 0 {
		args = append(args, "--keep-days", strconv.Itoa(o.KeepDays))
	}
	if o.NotifyCmd != "" {
		args = append(args, "--notify-cmd", o.NotifyCmd)
	}
	// A run that finds a manual scan in progress waits for it, bounded
	// well inside one interval so it never runs into the next one.
	args = append(args, "--lock-timeout", (o.Every / 2).String())
	return append(args, o.Inputs...)
}

// join joins for the target's OS.
func (o Options) join(dir, name string) string {
	if o.Target == Windows {
		return strings.TrimRight(dir, `\/`) + `\` + name
	}
	return filepath.ToSlash(filepath.Join(dir, name))
}
