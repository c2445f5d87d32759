package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/report"
)

func init() { commands = append(commands, newRulesCmd, newExplainCmd) }

func newRulesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the failures frebscan diagnoses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e := rules.Engine()
			switch format {
			case "text":
				return report.WriteRulesText(cmd.OutOrStdout(), e.Rules(), report.TerminalStyle(stdoutFile(cmd)))
			case "json":
				type row struct {
					ID       string `json:"id"`
					Severity string `json:"severity"`
					Title    string `json:"title"`
				}
				var out []row
				for _, r := range e.Rules() {
					out = append(out, row{r.ID, r.Severity.String(), r.Title})
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			case "markdown":
				return report.WriteRulesMarkdown(cmd.OutOrStdout(), rules.All())
			}
			return fmt.Errorf("unknown --format %q (want text, json or markdown)", format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json, markdown")
	return cmd
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Explain one rule: what happens, the evidence, fixes per vendor, references",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e := rules.Engine()
			r := e.Rule(strings.TrimSpace(args[0]))
			if r == nil {
				var ids []string
				for _, r := range e.Rules() {
					ids = append(ids, r.ID)
				}
				sort.Strings(ids)
				return fmt.Errorf("no rule %q; known rules: %s", args[0], strings.Join(ids, ", "))
			}
			return report.WriteExplainText(cmd.OutOrStdout(), r, report.TerminalStyle(stdoutFile(cmd)))
		},
	}
}
