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

// prepareAlert builds this run's alert: the new findings (see package
// alert) for --notify-cmd and the event log, or nil when nothing is new
// or no channel is on. st may be nil (no --state: every finding at or
// above --fail-on is new).
func (o scanFlags) prepareAlert(stderr io.Writer, r *scan.Result, st *state.State, failOn *diagnose.Severity, reports map[string]string, now time.Time, id string) *state.PendingAlert {
	eventLog := o.eventLogOn()
	if failOn == nil || (o.NotifyCmd == "" && !eventLog) {
		return nil
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
	if len(groups) == 0 || (o.NotifyCmd == "" && !eventLog) {
		return nil
	}
	host, _ := os.Hostname()
	sum := alert.NewSummary(id, r.Tool, host, now, *failOn, r, groups, reports)
	a := &state.PendingAlert{ID: id, Time: now.UTC(), Summary: string(sum.JSON()), Text: sum.Text(),
		Error: sum.MaxSeverity() >= diagnose.High, Notify: o.NotifyCmd != "", EventLog: eventLog}
	for _, g := range groups {
		a.Rules = append(a.Rules, g.Rule)
	}
	return a
}

// deliver sends a on every channel that has not confirmed it yet and
// clears each that does. It reports whether a channel failed; the run then
// exits 2, since a broken alert path is something an admin must fix and
// the scheduler's "last run result" is where an unattended run can say
// so. With --state the unconfirmed channels are tried again next run.
func (o scanFlags) deliver(ctx context.Context, stderr io.Writer, a *state.PendingAlert) (failed bool) {
	if a.Notify {
		if o.NotifyCmd == "" {
			// Committed by a run that had --notify-cmd; this one has not.
			a.Notify = false
		} else if err := notify.Run(ctx, o.NotifyCmd, []byte(a.Summary), o.NotifyTimeout, stderr, "frebscan: notify: "); err != nil {
			fmt.Fprintln(stderr, "frebscan: warning:", err)
			failed = true
		} else {
			a.Notify = false
		}
	}
	if a.EventLog {
		level := winevent.Warning
		if a.Error {
			level = winevent.Error
		}
		warning, err := winevent.Write(level, a.Text)
		if warning != "" {
			fmt.Fprintln(stderr, "frebscan: warning:", warning)
		}
		if err != nil {
			fmt.Fprintln(stderr, "frebscan: warning:", err)
			failed = true
		} else {
			a.EventLog = false
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
