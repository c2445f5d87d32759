package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/frebscan/frebscan/internal/alert"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/notify"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/internal/state"
	"github.com/frebscan/frebscan/internal/winevent"
)

// eventLogOn resolves --event-log: auto writes events on Windows for
// scheduled runs (--state), the unattended case where nobody reads the
// console; interactive scans do not fill the log.
func (o scanFlags) eventLogOn() bool {
	switch o.EventLog {
	case "on":
		return true
	case "off":
		return false
	default:
		return runtime.GOOS == "windows" && o.State != ""
	}
}

// raiseAlerts sends this run's new findings (see package alert) to
// --notify-cmd and the event log, and remembers them in the state so they
// do not alert again within --notify-repeat. It reports whether a channel
// failed; the run then exits 2, since a broken alert path is something an
// admin must fix and the scheduler's "last run result" is where an
// unattended run can say so. A failed alert is not remembered, so the
// rule alerts again when it next fires.
func (o scanFlags) raiseAlerts(ctx context.Context, stderr io.Writer, r *scan.Result, st *state.State, failOn *diagnose.Severity, reports map[string]string, now time.Time) (failed bool) {
	eventLog := o.eventLogOn()
	if failOn == nil || (o.NotifyCmd == "" && !eventLog) || ctx.Err() != nil {
		return false
	}
	if eventLog && !winevent.Supported {
		fmt.Fprintln(stderr, "frebscan: warning: --event-log on: there is no Windows event log on this system")
		eventLog = false
	}
	var mem alert.Memory
	if st != nil {
		mem = st
	}
	groups := alert.New(r, *failOn, mem, o.NotifyRepeat, now)
	if len(groups) == 0 {
		return false
	}
	host, _ := os.Hostname()
	sum := alert.NewSummary(r.Tool, host, now, *failOn, r, groups, reports)
	if o.NotifyCmd != "" {
		if err := notify.Run(ctx, o.NotifyCmd, sum.JSON(), o.NotifyTimeout, stderr, "frebscan: notify: "); err != nil {
			fmt.Fprintln(stderr, "frebscan: warning:", err)
			failed = true
		}
	}
	if eventLog {
		level := winevent.Warning
		if sum.MaxSeverity() >= diagnose.High {
			level = winevent.Error
		}
		warning, err := winevent.Write(level, sum.Text())
		if warning != "" {
			fmt.Fprintln(stderr, "frebscan: warning:", warning)
		}
		if err != nil {
			fmt.Fprintln(stderr, "frebscan: warning:", err)
			failed = true
		}
	}
	if !failed && mem != nil {
		for _, g := range groups {
			mem.MarkAlerted(g.Rule, now)
		}
	}
	return failed
}

// reportPaths turns an archive entry's file names into absolute paths, as
// a notify script run from another directory needs them.
func reportPaths(dir string, files map[string]string) map[string]string {
	if len(files) == 0 {
		return nil
	}
	out := map[string]string{}
	for format, name := range files {
		p := filepath.Join(dir, name)
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out[format] = p
	}
	return out
}
