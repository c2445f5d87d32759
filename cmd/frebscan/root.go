package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/report"
)

// Exit statuses. Schedulers show them as "last run result", so they are
// part of the interface and documented in the README.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// exitCode carries a chosen exit status out of a command without printing
// anything more.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

var version = "dev"

// commands holds every subcommand constructor; each command's file adds
// its own from init, so adding a command touches one file.
var commands []func() *cobra.Command

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
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
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	for _, c := range commands {
		root.AddCommand(c())
	}
	return root
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	fmt.Fprintln(stderr, "frebscan:", report.Neutralise(err.Error(), false))
	return exitError
}

func init() { commands = append(commands, newVersionCmd) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the frebscan version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "frebscan", version)
			return err
		},
	}
}
