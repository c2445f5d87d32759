package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/internal/show"
)

func init() { commands = append(commands, newShowCmd) }

func newShowCmd() *cobra.Command {
	var opts show.Options
	var fileSize, eventSize string
	var maxHeaders int
	cmd := &cobra.Command{
		Use:   "show FILE...",
		Short: "Show FREB traces: summary, headers, error status, timeline",
		Long: `Show reads each FREB file and prints what freb.xsl's Request Summary and
Request Details would: the request, its headers and the response headers, the
error status and the module that set it, a compact timeline and the slowest
steps. Secrets (Authorization, cookies) are redacted unless --no-redact.

Exit status: 0 when every file was read (truncated files are fine), 2 when a
file could not be read.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			opts.Style = report.TerminalStyle(stdoutFile(cmd))
			l, err := scan.ParseLimits(fileSize, eventSize, maxHeaders)
			if err != nil {
				return err
			}
			opts.Limits = l
			ok, err := show.Run(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
			if err != nil {
				return err
			}
			if !ok {
				return exitCode(exitError)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Format, "format", "f", "text", "output format: text, json, html (one self-contained page)")
	f.StringVar(&opts.Events, "events", "notable", "events to list: notable, all, none (json includes events only with all)")
	f.BoolVar(&opts.NoRedact, "no-redact", false, "show Authorization tokens, cookie values and user names as recorded")
	f.Int64Var(&opts.SlowMs, "slow", 10000, "time taken in ms above which slow-request fires")
	registerLimitFlags(f, &fileSize, &eventSize, &maxHeaders)
	return cmd
}

// stdoutFile returns the command's stdout when it is the process's real
// stdout, so colour and width are decided on the actual terminal.
func stdoutFile(cmd *cobra.Command) *os.File {
	if f, ok := cmd.OutOrStdout().(*os.File); ok {
		return f
	}
	return nil
}
