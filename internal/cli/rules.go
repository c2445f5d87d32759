package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/report"
)

func newRulesCommand(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the failures frebscan diagnoses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc := report.Document{Kind: report.KindRules, Rules: a.engine.Rules(), Outside: rules.OutsideGuide()}
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
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("explain takes one rule ID, e.g. frebscan explain via-persistent-auth (frebscan rules lists them)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := lookupRule(a.engine, args[0])
			if err != nil {
				return err
			}
			return report.WriteExplainText(cmd.OutOrStdout(), r, report.TerminalStyle(stdoutFile(cmd)))
		},
	}
}

// lookupRule finds a rule by ID, in any case (IDs are lower case, but
// people type what they read in a heading), or says which IDs exist.
func lookupRule(e *diagnose.Engine, id string) (*diagnose.Rule, error) {
	id = strings.TrimSpace(id)
	if r := e.Rule(id); r != nil {
		return r, nil
	}
	var ids []string
	for _, r := range e.Rules() {
		if strings.EqualFold(r.ID, id) {
			return r, nil
		}
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return nil, fmt.Errorf("no rule %q; known rules: %s", id, strings.Join(ids, ", "))
}
