package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/schedule"
)

func newScheduleCommand() *cobra.Command {
	var (
		o     schedule.Options
		out   schedule.Output
		every string
		cron  bool
	)
	cmd := &cobra.Command{
		Use:   "schedule --every 15m --out-dir DIR [PATH...]",
		Short: "Print or install a Task Scheduler task, systemd timer or crontab line that runs scan",
		Long: `Schedule writes what makes the system run frebscan scan every --every, with
--state (only new traces each run), --out-dir (incident reports, retention) and
a lock wait of half the interval:

  Windows: a Task Scheduler task running as SYSTEM with highest privileges, never
           two instances at once (schtasks /Create /XML); --output FILE writes it
           in the UTF-16 schtasks needs, --install creates it (elevated).
  Linux:   a systemd service + timer pair (hardened oneshot), or with --cron a
           crontab line; --install writes the units to --unit-dir and enables
           the timer.

PATH defaults to %SystemDrive%\inetpub\logs\FailedReqLogFiles on Windows.
See docs/SCHEDULED.md.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := schedule.ParseEvery(every)
			if err != nil {
				return err
			}
			o.Every, o.Inputs = d, args
			if o.Target == "" {
				// Resolved here, not as the flag's default, so help and
				// the man pages read the same on every system.
				o.Target = schedule.Systemd
				if runtime.GOOS == "windows" {
					o.Target = schedule.Windows
				}
			}
			if cron {
				o.Target = schedule.Cron
			}
			if o.Exe == "" {
				if o.Target == schedule.Windows && runtime.GOOS != "windows" {
					// This binary's path means nothing on the Windows server
					// the task is for.
					return errors.New(`--target windows from another system needs --exe, the path of frebscan.exe on the Windows server, e.g. --exe 'C:\Program Files\frebscan\frebscan.exe'`)
				}
				if o.Exe, err = os.Executable(); err != nil {
					return err
				}
				if goRunBinary(o.Exe) {
					return fmt.Errorf("%s is a temporary binary of go run, deleted when it exits: build frebscan (go build -o /usr/local/bin/frebscan ./cmd/frebscan) and schedule that, or pass --exe", o.Exe)
				}
			}
			if o.Target == runtime.GOOS || (o.Target != schedule.Windows && runtime.GOOS != "windows") {
				// Paths for this machine: made absolute, as a scheduler
				// does not start in the current directory.
				o.Exe = absPath(o.Exe)
				o.OutDir = absPath(o.OutDir)
				if o.State != "" {
					o.State = absPath(o.State)
				}
				for i := range o.Inputs {
					o.Inputs[i] = absPath(o.Inputs[i])
				}
			}
			// schtasks exists only on Windows; systemctl wherever systemd is.
			if o.Target != schedule.Windows || runtime.GOOS == "windows" {
				out.Run = func(name string, args ...string) error {
					c := exec.Command(name, args...)
					c.Stdout, c.Stderr = cmd.ErrOrStderr(), cmd.ErrOrStderr()
					return c.Run()
				}
			}
			return schedule.Run(cmd.OutOrStdout(), cmd.ErrOrStderr(), o, out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&every, "every", "15m", "interval between runs: 5m, 15m, 1h, 1d (whole minutes, 1m to 31d)")
	f.StringVar(&o.OutDir, "out-dir", "", "directory for incident reports (required)")
	f.StringVar(&o.State, "state", "", `state file (default C:\ProgramData\frebscan\frebscan.state, /var/lib/frebscan/frebscan.state)`)
	f.StringVar(&o.Name, "name", "frebscan", "task name, or systemd unit name without .service/.timer")
	f.StringVar(&o.Target, "target", "", "windows (Task Scheduler XML) or systemd (default: windows on Windows, systemd elsewhere)")
	f.BoolVar(&cron, "cron", false, "print a crontab line instead of systemd units")
	f.DurationVar(&o.TimeLimit, "time-limit", time.Hour, "stop a run that takes longer than this")
	f.StringVar(&o.Exe, "exe", "", "frebscan executable the scheduler runs (default: this one)")
	f.StringVar(&o.FailOn, "fail-on", "", "passed to scan --fail-on (default: scan's, high)")
	f.IntVar(&o.Keep, "keep", 0, "passed to scan --keep")
	f.IntVar(&o.KeepDays, "keep-days", 0, "passed to scan --keep-days")
	f.StringVar(&o.NotifyCmd, "notify-cmd", "", "passed to scan --notify-cmd")
	f.BoolVar(&out.Install, "install", false, "create the task (schtasks, elevated) or write and enable the systemd units (root)")
	f.StringVarP(&out.File, "output", "o", "", "write the task XML to FILE in UTF-16, as schtasks /XML expects")
	f.StringVar(&out.UnitDir, "unit-dir", schedule.DefaultUnitDir, "with --install: where the systemd units go")
	f.BoolVar(&out.NoEnable, "no-enable", false, "with --install: write the units but print the systemctl commands instead of running them")
	return cmd
}

// goRunBinary reports whether exe is the temporary executable `go run`
// builds ($TMPDIR/go-buildNNN/b001/exe/NAME), which is gone once it exits.
func goRunBinary(exe string) bool {
	dir := filepath.ToSlash(filepath.Dir(exe))
	return strings.HasSuffix(dir, "/exe") && strings.Contains(dir, "/go-build")
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
