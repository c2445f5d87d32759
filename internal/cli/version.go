package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

// newVersionCommand prints the build's identity: text for a person, JSON
// for an inventory script that checks which build each Exchange server
// runs.
func newVersionCommand(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the frebscan version, commit, commit date, Go version and platform",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := a.build
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				b, err := json.MarshalIndent(in, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(w, "%s\n", b)
				return err
			case "text":
				commit := in.Commit
				if commit == "" {
					commit = "unknown (built without VCS information)"
				} else if in.Modified {
					commit += " (modified tree)"
				}
				date := in.Date
				if date == "" {
					date = "unknown"
				}
				_, err := fmt.Fprintf(w, "frebscan %s\ncommit:   %s\ndate:     %s\ngo:       %s\nplatform: %s\n",
					in.Version, commit, date, in.GoVersion, in.Platform)
				return err
			}
			return fmt.Errorf("unknown --format %q (want text, json)", format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	return cmd
}
