package cli

import (
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/alert"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/notify"
	"github.com/frebscan/frebscan/internal/report"
)

// scanCommand is `frebscan scan`: its flags and the app it runs in.
type scanCommand struct {
	cmd  *cobra.Command
	opts scanFlags
	prof profileFlags
}

func newScanCommand(a *app) *scanCommand {
	c := &scanCommand{}
	opts := &c.opts
	c.cmd = &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan FREB directories and write an incident report",
		Long: `Scan reads every FREB trace under the given files, directories (recursively:
W3SVC1/, W3SVC2/, …) and glob patterns, diagnoses each trace and each client's
sequence of requests, and writes an incident report: findings grouped by rule with
the evidence, the affected clients and the fix, then the status, URL, client and
proxy distributions. With no PATH on Windows it scans
%SystemDrive%\inetpub\logs\FailedReqLogFiles.

Exit status: 0 no finding at or above --fail-on; 1 such findings; 3 no FREB
trace at all under the paths (wrong folder?; not for a --state run whose traces
were all seen before); 2 usage or I/O error, or no file could be read at all (some unreadable files are listed in the
report and do not change the exit status), or another run holds the --state /
--out-dir lock, or --notify-cmd or the event log failed (reports and state are
still written).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			format, err := outputFormat(cmd, report.KindScan, opts.Format, opts.Output)
			if err != nil {
				return err
			}
			opts.Format = format
			opts.Stdout = stdoutFile(cmd)
			if w, ok := cmd.ErrOrStderr().(*os.File); ok {
				opts.Stderr = w
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			endProfile, err := c.prof.start(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			code, err := a.runScan(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), *opts)
			endProfile()
			if err != nil {
				return err
			}
			if code != ExitOK {
				return code
			}
			return nil
		},
	}
	f := c.cmd.Flags()
	f.StringVarP(&opts.Format, "format", "f", "text", "report format: "+strings.Join(report.Formats(report.KindScan), ", ")+" (default: from the -o extension .html .json .ndjson .csv .txt, else text)")
	f.StringVarP(&opts.Output, "output", "o", "", "write the report to FILE (atomically) instead of stdout; its extension sets the format")
	f.IntVar(&opts.Workers, "workers", 0, "files read in parallel (default: number of CPUs)")
	f.StringVar(&opts.Status, "status", "", "only traces with these statuses: 400,401.2,5xx,400-404")
	f.StringVar(&opts.URL, "url", "", "only URLs containing this text, or matching this glob (/ews/*)")
	f.StringVar(&opts.Since, "since", "", "only traces from this time (2026-03-02, \"2026-03-02 14:00\"; UTC unless a zone is given: 2026-03-02T14:00:00+01:00) or this long ago (24h, 7d)")
	f.StringVar(&opts.Until, "until", "", "only traces up to this time (UTC unless a zone is given; a date includes that whole day) or this long ago")
	f.StringVar(&opts.Site, "site", "", "only these sites: 1,2 or W3SVC1")
	f.StringVar(&opts.Client, "client", "", "only this client address, CIDR block or address substring (original client behind a proxy)")
	f.StringVar(&opts.UserAgent, "user-agent", "", "only user agents containing this text")
	f.StringVar(&opts.Symptom, "symptom", "", "what the client saw: HTTP statuses (400,501,401.1) or reset or tls; when no trace shows it, the report says FREB cannot see it and what to capture instead (HTTPERR, load balancer log, W3C log, network capture)")
	f.StringVar(&opts.Rule, "rule", "", "only findings of these rules (comma-separated IDs; see frebscan rules)")
	f.StringVar(&opts.MinSeverity, "min-severity", "info", "only findings at or above: info, low, medium, high, critical")
	f.StringVar(&opts.FailOn, "fail-on", "high", "exit 1 when a finding is at or above: info, low, medium, high, critical, or none")
	f.BoolVar(&opts.NoRedact, "no-redact", false, "show Authorization tokens, cookie values and user names as recorded")
	f.Int64Var(&opts.SlowMs, "slow", diagnose.DefaultSettings().SlowMs, "time taken in ms above which slow-request fires (1 or more)")
	f.IntVar(&opts.Top, "top", 10, "length of the top-N tables (1 or more)")
	f.StringVar(&opts.Progress, "progress", "auto", "progress bar on stderr: auto (only on a terminal), never")
	f.StringVar(&opts.State, "state", "", "remember analysed traces in FILE and analyse only new or changed ones (scheduled scans)")
	f.StringVar(&opts.OutDir, "out-dir", "", "keep incident reports in DIR: incident-<UTC time>.json/.html per run that finds something, latest.*, index.html")
	f.IntVar(&opts.Keep, "keep", 0, "with --out-dir: keep at most N incident reports (0: no limit)")
	f.IntVar(&opts.KeepDays, "keep-days", 0, "with --out-dir: delete incident reports older than D days (0: no limit)")
	f.DurationVar(&opts.LockTimeout, "lock-timeout", 0, "with --state/--out-dir: wait this long (30s, 5m) for another run holding the lock; 0 exits 2 at once")
	f.StringVar(&opts.NotifyCmd, "notify-cmd", "", "run CMD (sh -c / cmd /C) with a JSON summary on stdin when new findings at or above --fail-on appear")
	f.DurationVar(&opts.NotifyTimeout, "notify-timeout", notify.DefaultTimeout, "stop --notify-cmd after this long")
	f.DurationVar(&opts.NotifyRepeat, "notify-repeat", alert.DefaultRepeat, "with --state: a rule that alerted stays quiet this long (then reminds while it still fires)")
	f.StringVar(&opts.EventLog, "event-log", "auto", "Windows Application event log on new findings: auto (on with --state on Windows), on, off")
	opts.Limits.register(f)
	f.StringVar(&opts.Where, "where", "", "only traces with an event matching this XPath, e.g. \"//Event[RenderingInfo/Opcode='AUTH_SUCCEEDED']\" (reads each trace a second time, slowly)")
	f.StringVar(&opts.Reader, "reader", "auto", "XML reader: auto (fast, falling back to the reference reader for unusual files), fast, reference")
	c.prof.register(c.cmd)
	return c
}
