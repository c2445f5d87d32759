package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/frebscan/frebscan/internal/archive"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/internal/state"
)

// commitRun finishes a scheduled run (--state) through the state's run
// journal (see state.Journal): commit what the run will do, write the
// incident under the committed name, commit that, send the alerts, commit
// that. A run killed at any point is completed by the next: no trace is
// in two incidents, no alert is lost, and an alert may be sent twice only
// with the same ID. When the state cannot be saved nothing is written or
// sent, so a full or read-only disk does not raise the same alert every
// run (the run exits 2, which the scheduler shows).
func (o scanFlags) commitRun(ctx context.Context, stderr io.Writer, r *scan.Result, ro report.Options, st *state.State, failOn *diagnose.Severity, now time.Time) (alertFailed bool, err error) {
	prev := st.Journal
	j := &state.Journal{Started: now.UTC(), Traces: st.Recorded()}
	if prev != nil {
		// Alerts of earlier runs that no channel confirmed yet. The
		// previous run's own alert is among them only if its incident was
		// written; otherwise its traces are analysed again in this run and
		// alert again (with the same ID: the same incident name).
		for _, a := range prev.Alerts {
			if !a.Done() {
				j.Alerts = append(j.Alerts, a)
			}
		}
	}
	if prev != nil && !prev.Written && r.Partial {
		return false, o.keepUnfinished(st, prev, j)
	}
	if o.OutDir != "" {
		if prev != nil && !prev.Written && archive.ValidStamp(prev.Incident) {
			j.Incident = prev.Incident // complete the unfinished incident
		} else {
			j.Incident = archive.NewStamp(o.OutDir, now)
		}
	}
	var reports map[string]string
	if o.OutDir != "" && len(r.Findings) > 0 {
		files := map[string]string{}
		for _, f := range archiveFormats() {
			files[f] = "incident-" + j.Incident + "." + f
		}
		reports = reportPaths(o.OutDir, files)
	}
	own := o.prepareAlert(stderr, r, st, failOn, reports, now, alertID(j.Incident, now))
	written := func() {
		j.Written = true
		if own != nil {
			j.Alerts = append(j.Alerts, own)
		}
	}
	if o.OutDir == "" {
		written()
	}
	st.Journal = j
	st.SetWindow(r.Correlation, state.DefaultWindow)
	st.Prune()
	// A quiet run (no incident to write, nothing to send: most runs) has
	// no effect to protect and saves the state once, at the end.
	incident := o.OutDir != "" && len(r.Findings) > 0
	if incident || len(j.Alerts) > 0 {
		if err := st.Save(o.State); err != nil {
			return false, fmt.Errorf("save state (nothing was reported or sent; the next run will try again): %w", err)
		}
	}
	if incident {
		if _, err := updateArchive(o, r, ro, stderr, j.Incident); err != nil {
			return false, err
		}
		written()
		if err := st.Save(o.State); err != nil {
			return false, fmt.Errorf("save state after writing incident %s (the next run completes it): %w", j.Incident, err)
		}
	} else if !j.Written {
		written()
	}
	if ctx.Err() == nil {
		for _, a := range j.Alerts {
			if o.deliver(ctx, stderr, a) {
				alertFailed = true
			}
			if a.Done() {
				for _, rule := range a.Rules {
					st.MarkAlerted(rule, a.Time)
				}
			}
		}
	}
	// Interrupted, or a channel failed: what is not confirmed stays in
	// the journal and the next run sends it again.
	var left []*state.PendingAlert
	for _, a := range j.Alerts {
		if !a.Done() {
			left = append(left, a)
		}
	}
	st.Journal = nil
	if left != nil {
		st.Journal = &state.Journal{Started: j.Started, Incident: j.Incident, Written: true, Alerts: left}
	}
	if err := st.Save(o.State); err != nil {
		return alertFailed, fmt.Errorf("save state: %w", err)
	}
	return alertFailed, nil
}

// keepUnfinished ends a run that was interrupted (Ctrl+C) while it was to
// complete an incident an earlier run left unwritten. It may not have read
// all of that run's traces again, and the earlier run may have written part
// of the incident (its JSON whole, even) before it died: writing the
// incident from what was read, or marking it done with nothing written,
// left the rest of its traces recorded as read, in no incident the run
// would finish, and the incident without its alert (the kill campaign's
// "alert never sent"). So nothing is written or sent: the journal stays
// unfinished under the same name, now with this run's traces too, and the
// next run reads them all again and writes the incident whole.
func (o scanFlags) keepUnfinished(st *state.State, prev, j *state.Journal) error {
	j.Incident = prev.Incident
	seen := map[string]bool{}
	var traces state.Names
	for _, k := range append(append(state.Names{}, prev.Traces...), j.Traces...) {
		if !seen[k] {
			seen[k] = true
			traces = append(traces, k)
		}
	}
	j.Traces = traces
	st.Journal = j
	if err := st.Save(o.State); err != nil {
		return fmt.Errorf("save state (nothing was reported or sent; the next run will try again): %w", err)
	}
	return nil
}

// uncommittedRun is a one-off scan's out-dir and alerts: nothing is
// remembered between runs, so there is nothing to complete.
func (o scanFlags) uncommittedRun(ctx context.Context, stderr io.Writer, r *scan.Result, ro report.Options, failOn *diagnose.Severity, now time.Time) (alertFailed bool, err error) {
	stamp := ""
	var reports map[string]string
	if o.OutDir != "" {
		stamp = archive.NewStamp(o.OutDir, now)
		if reports, err = updateArchive(o, r, ro, stderr, stamp); err != nil {
			return false, err
		}
	}
	if ctx.Err() != nil {
		return false, nil
	}
	a := o.prepareAlert(stderr, r, nil, failOn, reports, now, alertID(stamp, now))
	if a == nil {
		return false, nil
	}
	return o.deliver(ctx, stderr, a), nil
}

// alertID names an alert: the host and the incident stamp (or the time,
// to the millisecond, without --out-dir), unique per host and run.
func alertID(stamp string, now time.Time) string {
	host, _ := os.Hostname()
	if stamp == "" {
		stamp = now.UTC().Format("20060102T150405.000Z")
	}
	return host + "-" + stamp
}
