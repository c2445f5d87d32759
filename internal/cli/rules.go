package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/report"
)

func newRulesCommand(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the failures frebscan diagnoses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc := report.Document{Kind: report.KindRules, Rules: a.engine.Rules()}
			return report.Write(cmd.OutOrStdout(), format, doc, report.Options{Style: report.TerminalStyle(stdoutFile(cmd))})
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Formats(report.KindRules), ", "))
	return cmd
}

func newExplainCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Explain one rule: what happens, the evidence, fixes per vendor, references",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := lookupRule(a.engine, args[0])
			if err != nil {
				return err
			}
			return report.WriteExplainText(cmd.OutOrStdout(), r, report.TerminalStyle(stdoutFile(cmd)))
		},
	}
}

// lookupRule finds a rule by ID, or says which IDs exist.
func lookupRule(e *diagnose.Engine, id string) (*diagnose.Rule, error) {
	if r := e.Rule(strings.TrimSpace(id)); r != nil {
		return r, nil
	}
	var ids []string
	for _, r := range e.Rules() {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return nil, fmt.Errorf("no rule %q; known rules: %s", id, strings.Join(ids, ", "))
}
