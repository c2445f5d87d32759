// Package cli is frebscan's command layer: it parses flags into options,
// builds the rule engine once, and hands it, with a clock and the standard
// streams, to the packages that do the work. Commands are structs with no
// package state, so tests run the whole CLI in process through Run.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/version"
)

// ExitCode is frebscan's exit status. Schedulers show it as "last run
// result", so the values are part of the interface (README, "Exit
// status"). A command returns one as its error to exit with it and print
// nothing more.
type ExitCode int

// Exit statuses.
const (
	ExitOK       ExitCode = 0
	ExitFindings ExitCode = 1
	ExitError    ExitCode = 2
	// ExitNoTraces is a scan that found no FREB trace at all under its
	// inputs (only W3C logs, an empty folder): most likely the wrong
	// path, which a scheduled task must not report as a clean run. A
	// --state run whose traces were all analysed before is not this: it
	// exits 0.
	ExitNoTraces ExitCode = 3
	// ExitInterrupted is the status of a scan stopped by Ctrl+C (SIGINT):
	// the shell's 128+2, so a script tells "cut short" from "clean" and
	// "findings". The report (marked partial) and the state cover exactly
	// the files read until then.
	ExitInterrupted ExitCode = 130
)

func (c ExitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// app is what every command shares: the engine, built once per run, the
// clock and the streams.
type app struct {
	engine *diagnose.Engine
	// build names this binary in reports, alerts and `frebscan version`.
	build  version.Info
	clock  func() time.Time
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// Run runs frebscan with args (without the program name) and returns the
// exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(args, stdin, stdout, stderr, time.Now)
}

// run is Run with the clock given, for tests that need the same bytes
// from two runs.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, clock func() time.Time) int {
	return runContext(context.Background(), args, stdin, stdout, stderr, clock)
}

// runContext is run under ctx: a cancelled ctx is a Ctrl+C, for tests of
// interrupted runs without signals.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, clock func() time.Time) int {
	engine, err := diagnose.NewEngine(rules.Catalogue())
	if err != nil {
		// The catalogue is compiled in; TestCatalogue keeps it valid.
		fmt.Fprintln(stderr, "frebscan: rule catalogue:", err)
		return int(ExitError)
	}
	a := &app{engine: engine, build: version.Get(), clock: clock, stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.newRoot()
	root.SetArgs(args)
	err = root.ExecuteContext(ctx)
	if err == nil {
		return int(ExitOK)
	}
	var code ExitCode
	if errors.As(err, &code) {
		return int(code)
	}
	fmt.Fprintln(stderr, "frebscan:", report.Neutralise(err.Error(), false))
	return int(ExitError)
}

// NewRootCommand returns the command tree, for tools that document it
// (man pages, completion); it is not for running.
func NewRootCommand() *cobra.Command {
	engine, _ := diagnose.NewEngine(rules.Catalogue())
	a := &app{engine: engine, build: version.Get(), clock: time.Now, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	return a.newRoot()
}

func (a *app) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "frebscan",
		Short: "Turn IIS Failed Request Tracing (FREB) logs into answers",
		Long: `frebscan reads IIS Failed Request Tracing files (fr000123.xml), pulls out the
request and response headers that matter behind load balancers and proxies,
names known failures (Via + Persistent-Auth, Expect: 100-continue, broken NTLM
handshakes, ARR 502s …) with the evidence and the fix, and writes terminal,
JSON or HTML reports.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version prints one line naming the commit, as `gh --version`
		// and `trivy --version` do; `frebscan version` has the details.
		Version: a.build.String(),
	}
	root.SetVersionTemplate("frebscan {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "print the version, commit and commit date")
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.AddCommand(
		newScanCommand(a).cmd,
		newShowCommand(a).cmd,
		newRulesCommand(a),
		newExplainCommand(a),
		newScheduleCommand(),
		newSetupTracingCommand(),
		newVersionCommand(a),
	)
	return root
}

// stdoutFile returns the command's stdout when it is a real file (the
// terminal), so colour and width are decided on it.
func stdoutFile(cmd *cobra.Command) *os.File {
	if f, ok := cmd.OutOrStdout().(*os.File); ok {
		return f
	}
	return nil
}
