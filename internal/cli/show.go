package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	output   string
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
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New(showWhat)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.run(cmd, a, args)
		},
	}
	f := c.cmd.Flags()
	f.StringVarP(&c.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(report.KindShow), ", ")+" (default: from the -o extension, else text)")
	f.StringVarP(&c.output, "output", "o", "", "write to FILE (atomically) instead of stdout; its extension sets the format")
	f.StringVar(&c.events, "events", "notable", "events to list: notable, all, none (json includes events only with all)")
	f.BoolVar(&c.noRedact, "no-redact", false, "show Authorization tokens, cookie values and user names as recorded")
	f.Int64Var(&c.slowMs, "slow", diagnose.DefaultSettings().SlowMs, "time taken in ms above which slow-request fires")
	c.limits.register(f)
	return c
}

// showWhat is what show says when it is given nothing to show.
const showWhat = `show needs one or more trace files, e.g. frebscan show W3SVC1/fr000123.xml
(the "Open" line of a scan report names one); to diagnose a whole folder run: frebscan scan FOLDER`

// quoteShell quotes a path for a command line a user copies.
func quoteShell(p string) string {
	if strings.ContainsAny(p, " \t'\"$&|;()<>") {
		return `"` + strings.ReplaceAll(p, `"`, `\"`) + `"`
	}
	return p
}

func (c *showCommand) run(cmd *cobra.Command, a *app, files []string) error {
	format, err := outputFormat(cmd, report.KindShow, c.format, c.output)
	if err != nil {
		return err
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a folder: show presents single traces, so name its files (%s); to diagnose the whole folder run: frebscan scan %s",
				f, filepath.Join(f, "fr000001.xml"), quoteShell(f))
		}
	}
	if c.slowMs <= 0 {
		return fmt.Errorf("--slow must be 1 ms or more (the default is %d)", diagnose.DefaultSettings().SlowMs)
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
	so.Settings.SlowMs = c.slowMs
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
	if c.output != "" {
		opts.Style = report.Style{}
	}
	if err := writeReport(cmd.OutOrStdout(), c.output, format, doc, opts); err != nil {
		return err
	}
	if !ok {
		return ExitError
	}
	return nil
}
