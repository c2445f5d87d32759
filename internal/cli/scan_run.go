package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/archive"
	"github.com/frebscan/frebscan/internal/atomicfile"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/internal/state"
)

// scanFlags are the flags of `frebscan scan`.
type scanFlags struct {
	Inputs    []string
	Format    string
	Output    string
	Workers   int
	Status    string
	URL       string
	Since     string
	Until     string
	Site      string
	Client    string
	UserAgent string
	Rule      string
	// Symptom is what the user saw at the client (--symptom 400,reset):
	// when no trace shows it, the report says where to look instead.
	Symptom     string
	MinSeverity string
	FailOn      string
	NoRedact    bool
	SlowMs      int64
	Top         int
	Progress    string
	Reader      string
	// Where is an XPath expression an event must match (--where).
	Where string
	// State is the --state file of scheduled scans; empty for one-off
	// scans.
	State string
	// OutDir keeps incident reports (--out-dir) with retention.
	OutDir   string
	Keep     int
	KeepDays int
	// LockTimeout is how long to wait for another run holding the state
	// or out-dir lock (0: refuse at once).
	LockTimeout time.Duration
	// NotifyCmd runs when new findings at or above FailOn appear, with
	// the alert summary on stdin; see package alert for "new".
	NotifyCmd     string
	NotifyTimeout time.Duration
	NotifyRepeat  time.Duration
	// EventLog is auto, on or off (Windows Application log).
	EventLog string
	Limits   limitFlags
	// Stdout and Stderr are the real terminal files, when they are, for
	// colour, width and the progress bar.
	Stdout, Stderr *os.File
}

// runScan scans and reports. It returns the exit status, or an error for
// usage problems and for failures to write the report (exit 2).
func (a *app) runScan(ctx context.Context, stdout, stderr io.Writer, o scanFlags) (ExitCode, error) {
	so, failOn, err := o.scanOptions(a)
	if err != nil {
		return ExitError, err
	}
	var symptoms []diagnose.Symptom
	if o.Symptom != "" {
		if symptoms, err = diagnose.ParseSymptoms(o.Symptom); err != nil {
			return ExitError, err
		}
	}
	// endProgress clears the bar as soon as the scan ends, before
	// anything else is printed: left for a deferred call, the bar stayed
	// on the terminal line where the report then began.
	endProgress := func() {}
	switch o.Progress {
	case "auto", "":
		update, done := report.Progress(o.Stderr)
		so.Progress, endProgress = update, done
		defer done()
	case "never":
	default:
		return ExitError, fmt.Errorf("unknown --progress %q (want auto or never)", o.Progress)
	}
	release, err := lockRun(ctx, o)
	if err != nil {
		return ExitError, err
	}
	defer release()
	if err := checkOwned(o, a.clock()); err != nil {
		return ExitError, err
	}
	var st *state.State
	var archives *archiveState
	if o.State != "" {
		var warning string
		if st, warning, err = state.Load(o.State); err != nil {
			return ExitError, fmt.Errorf("--state: %w", err)
		}
		if warning != "" {
			fmt.Fprintln(stderr, "frebscan: warning:", warning)
		}
		st.SetClock(a.clock)
		archives = newArchiveState(st)
		archives.options(&so)
	}
	o.rowsFor(&so)
	softMemoryLimit()
	r, err := scan.Run(ctx, so)
	endProgress()
	if err != nil {
		return ExitError, err
	}
	defer r.Close()
	if archives != nil {
		archives.commit(r)
	}
	// Failures the traces cannot contain are judged on the whole result
	// (statuses, findings, sequences), before any report or alert.
	r.Outside = rules.Outside(symptoms, r.OutsideFacts())
	ro := report.Options{Style: report.Style{Width: 100}, Detail: scan.Detailer(so)}
	var alertFailed bool
	if st != nil {
		alertFailed, err = o.commitRun(ctx, stderr, r, ro, st, failOn, a.clock())
	} else {
		alertFailed, err = o.uncommittedRun(ctx, stderr, r, ro, failOn, a.clock())
	}
	if err != nil {
		return ExitError, err
	}
	if o.Output == "" {
		ro.Style = report.TerminalStyle(o.Stdout)
	}
	if err := writeReport(stdout, o.Output, o.Format, report.Document{Kind: report.KindScan, Result: r}, ro, o.OutDir, stateDir(o.State)); err != nil {
		return ExitError, err
	}
	if r.Partial {
		fmt.Fprintln(stderr, "frebscan: interrupted: the report covers only the files read so far")
		return ExitInterrupted, nil
	}
	// "No file could be read at all": files skipped as unchanged were read
	// by an earlier run, so one new unreadable file in a quiet scheduled
	// run is reported, not a failure (README, exit status).
	if r.Summary.Traces == 0 && r.Summary.Failed > 0 && r.Summary.Unchanged == 0 {
		fmt.Fprintf(stderr, "frebscan: none of the %d file(s) could be read (see the report's unreadable files)\n", r.Summary.Failed)
		return ExitError, nil
	}
	if report.NoTraces(r.Summary) {
		// A scheduled task pointed at the wrong folder (W3C logs, an
		// empty tree) must not stay green: a status of its own.
		fmt.Fprintf(stderr, "frebscan: no FREB trace found under %s (%d file(s) looked at); exit status %d\n", strings.Join(so.Inputs, ", "), r.Summary.Files, ExitNoTraces)
		return ExitNoTraces, nil
	}
	if alertFailed {
		return ExitError, nil
	}
	if failOn != nil {
		if worst, any := r.MaxSeverity(); any && worst >= *failOn {
			return ExitFindings, nil
		}
	}
	return ExitOK, nil
}

func (o scanFlags) scanOptions(a *app) (scan.Options, *diagnose.Severity, error) {
	now := a.clock()
	so := scan.Options{Inputs: o.Inputs, Engine: a.engine, Clock: a.clock, Workers: o.Workers, Top: o.Top, Settings: diagnose.DefaultSettings(), Tool: a.build.Tool()}
	so.Settings.NoRedact = o.NoRedact
	if o.Reader == "" {
		o.Reader = freb.ReaderAuto.String()
	}
	reader, err := freb.ParseReaderKind(o.Reader)
	if err != nil {
		return so, nil, fmt.Errorf("--reader: %w", err)
	}
	so.Reader = reader
	if so.Limits, err = o.Limits.parse(); err != nil {
		return so, nil, err
	}
	if o.SlowMs <= 0 {
		return so, nil, fmt.Errorf("--slow must be 1 ms or more (the default is %d)", diagnose.DefaultSettings().SlowMs)
	}
	so.Settings.SlowMs = o.SlowMs
	if o.Top <= 0 {
		return so, nil, errors.New("--top must be 1 or more (the default is 10)")
	}
	if len(so.Inputs) == 0 {
		def, err := defaultInput()
		if err != nil {
			return so, nil, err
		}
		so.Inputs = []string{def}
	}
	f := &so.Filter
	// filters records the filters as given, so a report says what it omits.
	filters := map[string]string{}
	if o.Status != "" {
		if f.Status, err = parseStatusList(o.Status); err != nil {
			return so, nil, err
		}
		filters["status"] = o.Status
	}
	if f.Since, err = parseTime(o.Since, now, false); err != nil {
		return so, nil, fmt.Errorf("--since: %w", err)
	}
	if f.Until, err = parseTime(o.Until, now, true); err != nil {
		return so, nil, fmt.Errorf("--until: %w", err)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return so, nil, errors.New("--until is before --since")
	}
	for k, v := range map[string]string{"since": o.Since, "until": o.Until, "url": o.URL, "site": o.Site, "client": o.Client, "user-agent": o.UserAgent, "rule": o.Rule} {
		if v != "" {
			filters[k] = v
		}
	}
	f.URL, f.Client, f.UserAgent = o.URL, o.Client, o.UserAgent
	if o.Client != "" {
		if err := checkClient(o.Client); err != nil {
			return so, nil, err
		}
	}
	if o.Site != "" {
		if f.Sites, err = parseSites(o.Site); err != nil {
			return so, nil, err
		}
	}
	if o.Rule != "" {
		f.Rules = map[string]bool{}
		for _, id := range strings.Split(o.Rule, ",") {
			r, err := lookupRule(a.engine, id)
			if err != nil {
				return so, nil, fmt.Errorf("--rule: %w", err)
			}
			f.Rules[r.ID] = true
		}
	}
	if o.Where != "" {
		if f.Where, err = freb.CompileWhere(o.Where); err != nil {
			return so, nil, fmt.Errorf("--where: %w", err)
		}
		filters["where"] = o.Where
	}
	if f.MinSeverity, err = diagnose.ParseSeverity(o.MinSeverity); err != nil {
		return so, nil, fmt.Errorf("--min-severity: %w", err)
	}
	if o.MinSeverity != "" && o.MinSeverity != "info" {
		filters["min-severity"] = o.MinSeverity
	}
	so.FilterDesc = filters
	var failOn *diagnose.Severity
	if !strings.EqualFold(o.FailOn, "none") {
		s, err := diagnose.ParseSeverity(o.FailOn)
		if err != nil {
			return so, nil, fmt.Errorf("--fail-on: %w (or none)", err)
		}
		failOn = &s
	}
	if o.Workers < 0 {
		return so, nil, errors.New("--workers must be 0 (one per CPU) or more")
	}
	switch o.EventLog {
	case "", "auto", "on", "off":
	default:
		return so, nil, fmt.Errorf("unknown --event-log %q (want auto, on or off)", o.EventLog)
	}
	if o.NotifyTimeout < 0 || o.NotifyRepeat < 0 {
		return so, nil, errors.New("--notify-timeout and --notify-repeat must be 0 or more")
	}
	if o.LockTimeout < 0 {
		return so, nil, errors.New("--lock-timeout must be 0 (do not wait) or more")
	}
	if o.Keep < 0 || o.KeepDays < 0 {
		return so, nil, errors.New("--keep and --keep-days must be 0 (no limit) or more")
	}
	return so, failOn, nil
}

// defaultInput is where IIS writes FREB traces on the machine frebscan
// runs on; only Windows has one.
func defaultInput() (string, error) {
	if runtime.GOOS != "windows" {
		return "", errors.New("name the FREB files or directories to scan, e.g. frebscan scan ./FailedReqLogFiles (on Windows the default is %SystemDrive%\\inetpub\\logs\\FailedReqLogFiles)")
	}
	drive := os.Getenv("SystemDrive")
	if drive == "" {
		drive = "C:"
	}
	return filepath.Join(drive+`\`, "inetpub", "logs", "FailedReqLogFiles"), nil
}

// stateDir is the folder of --state, or "" without one.
func stateDir(path string) string {
	if path == "" {
		return ""
	}
	return filepath.Dir(path)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// rowsFor says what the reports of this run need of the per-trace rows:
// none for text (counted, then dropped), else streamed through a spill
// file, so memory stays flat in the number of traces. HTML (the page, the
// --out-dir incident) streams them too and keeps a bounded table.
func (o scanFlags) rowsFor(so *scan.Options) {
	if o.Format == "text" && o.OutDir == "" {
		so.NoRows = true
	}
}

// scanMemoryLimit is the heap size past which the garbage collector
// works harder: a scan holds a bounded working set, and without a limit
// the collector lets garbage grow to the size of that set again before
// collecting (GOGC=100), which doubled the resident memory for nothing.
// GOMEMLIMIT in the environment overrides it. It is a soft limit: a scan
// that needs more (very large traces read for a page's details) still
// gets it.
const scanMemoryLimit = 96 << 20

func softMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(scanMemoryLimit)
	}
}

// updateArchive writes this run's incident reports into --out-dir and
// returns their paths by format (none when the run found nothing).
func updateArchive(o scanFlags, r *scan.Result, ro report.Options, stderr io.Writer, stamp string) (map[string]string, error) {
	formats := archiveFormats()
	e, _, err := archive.Update(archive.Options{Dir: o.OutDir, Formats: formats, Keep: o.Keep, KeepDays: o.KeepDays, Stamp: stamp,
		Warn: func(msg string) { fmt.Fprintln(stderr, "frebscan: warning: --out-dir:", msg) }}, r,
		func(format string, w io.Writer) error {
			return report.Write(w, format, report.Document{Kind: report.KindScan, Result: r}, ro)
		})
	if err != nil {
		return nil, fmt.Errorf("--out-dir %s: %w (previous reports are unchanged)", o.OutDir, err)
	}
	return reportPaths(o.OutDir, e.Files), nil
}

// archiveFormats are the formats of each incident report in --out-dir.
func archiveFormats() []string {
	formats := []string{"json"}
	if contains(report.Formats(report.KindScan), "html") {
		formats = append(formats, "html")
	}
	return formats
}

// checkOwned runs once the locks are held, before anything is read or
// written: every fixed name a scheduled run will replace in --out-dir and
// beside --state must be absent or a regular file, so a planted link or
// pipe stops the run with exit 2 and nothing written (the state itself is
// checked as it is loaded). It also removes temporary files a killed run
// left beside the state.
func checkOwned(o scanFlags, now time.Time) error {
	if o.OutDir != "" {
		if err := archive.Check(o.OutDir, archiveFormats()); err != nil {
			return fmt.Errorf("--out-dir %s: %w", o.OutDir, err)
		}
	}
	if o.Output != "" && o.Output != "-" && inDirs(o.Output, []string{o.OutDir, stateDir(o.State)}) {
		if err := atomicfile.Check(o.Output); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
	}
	if o.State != "" {
		atomicfile.RemoveStaleTemps(o.State, staleTemp, now)
	}
	return nil
}

// staleTemp is how old a temporary file beside the state must be before
// a run removes it: older than any run still writing one.
const staleTemp = time.Hour
