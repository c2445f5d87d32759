package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/scan"
)

// showCommand is `frebscan show`: a scan of the named files that keeps
// every trace in full and presents them one by one.
type showCommand struct {
	cmd      *cobra.Command
	format   string
	events   string
	noRedact bool
	slowMs   int64
	limits   limitFlags
}

func newShowCommand(a *app) *showCommand {
	c := &showCommand{}
	c.cmd = &cobra.Command{
		Use:   "show FILE...",
		Short: "Show FREB traces: summary, headers, error status, timeline",
		Long: `Show reads each FREB file and prints what freb.xsl's Request Summary and
Request Details would: the request, its headers and the response headers, the
error status and the module that set it, a compact timeline and the slowest
steps. Findings that span several of the files (a client's handshake) follow,
once. Secrets (Authorization, cookies) are redacted unless --no-redact.

Exit status: 0 when every file was read (truncated files are fine), 2 when a
file could not be read.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.run(cmd, a, args)
		},
	}
	f := c.cmd.Flags()
	f.StringVarP(&c.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(report.KindShow), ", ")+" (html: one self-contained page)")
	f.StringVar(&c.events, "events", "notable", "events to list: notable, all, none (json includes events only with all)")
	f.BoolVar(&c.noRedact, "no-redact", false, "show Authorization tokens, cookie values and user names as recorded")
	f.Int64Var(&c.slowMs, "slow", diagnose.DefaultSettings().SlowMs, "time taken in ms above which slow-request fires")
	c.limits.register(f)
	return c
}

func (c *showCommand) run(cmd *cobra.Command, a *app, files []string) error {
	if !contains(report.Formats(report.KindShow), c.format) {
		return fmt.Errorf("unknown --format %q (want %s)", c.format, strings.Join(report.Formats(report.KindShow), ", "))
	}
	switch c.events {
	case "notable", "all", "none":
	default:
		return fmt.Errorf("unknown --events %q (want notable, all or none)", c.events)
	}
	limits, err := c.limits.parse()
	if err != nil {
		return err
	}
	so := scan.Options{Inputs: files, Engine: a.engine, Clock: a.clock, Workers: 1, Settings: diagnose.DefaultSettings(),
		Tool: a.build.Tool(), KeepTraces: true, SkipEvents: c.events == "none", Limits: limits}
	so.Settings.NoRedact = c.noRedact
	if c.slowMs > 0 {
		so.Settings.SlowMs = c.slowMs
	}
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		return err
	}
	// A file show cannot present is an error here, not a table row: the
	// user named it.
	ok := true
	for _, fe := range append(append([]scan.FileError{}, r.Unreadable...), r.NotFREB...) {
		fmt.Fprintln(cmd.ErrOrStderr(), "frebscan:", report.Neutralise(fe.Error, false))
		ok = false
	}
	doc := report.Document{Kind: report.KindShow, Result: r}
	opts := report.Options{Style: report.TerminalStyle(stdoutFile(cmd)), AllEvents: c.events == "all"}
	if err := report.Write(cmd.OutOrStdout(), c.format, doc, opts); err != nil {
		return err
	}
	if !ok {
		return ExitError
	}
	return nil
}
