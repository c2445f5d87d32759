package cli

import (
	"github.com/spf13/cobra"

	"github.com/frebscan/frebscan/internal/setuptracing"
)

func newSetupTracingCommand() *cobra.Command {
	o := setuptracing.Defaults()
	var shell string
	cmd := &cobra.Command{
		Use:   "setup-tracing [--site NAME] [--path /EWS] [--status 400-401]",
		Short: "Print the appcmd and PowerShell commands that set up (and undo) Failed Request Tracing",
		Long: `Setup-tracing prints the commands that create the Failed Request Tracing rule
frebscan needs: all content under --path, the WWW Server (headers, authentication,
modules, URL Rewrite), ASP, ASP.NET and ISAPI providers at Verbose, the status
codes (and with --time-taken slow requests) to trace; enable tracing for the site
with room for --max-log-files files of --max-log-file-size-kb; and the commands
that undo it. Everything is stored in applicationHost.config (/commit:apphost),
never in Exchange's web.config files, which updates replace. Nothing is changed
on this machine: run the commands in an elevated prompt on the IIS server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return setuptracing.Write(cmd.OutOrStdout(), o, shell)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Site, "site", o.Site, "IIS site name")
	f.StringVar(&o.Path, "path", o.Path, "URL path the rule covers: /EWS, /owa, / for the whole site")
	f.StringVar(&o.Status, "status", o.Status, "status codes to trace, IIS syntax: 400-401, 400,401.2,500-599 (empty with --time-taken: slow requests only)")
	f.DurationVar(&o.TimeTaken, "time-taken", 0, "also trace requests taking longer than this (10s, 2m)")
	f.IntVar(&o.MaxLogFiles, "max-log-files", o.MaxLogFiles, "trace files IIS keeps for the site (IIS default 50)")
	f.IntVar(&o.MaxLogFileSizeKB, "max-log-file-size-kb", o.MaxLogFileSizeKB, "size at which IIS truncates one trace (IIS default 512)")
	f.StringVar(&o.Directory, "directory", "", `trace directory (default: IIS's, %SystemDrive%\inetpub\logs\FailedReqLogFiles)`)
	f.BoolVar(&o.Rewrite, "rewrite", o.Rewrite, "trace the URL Rewrite area (needs the URL Rewrite module; --rewrite=false without it)")
	f.StringVar(&shell, "shell", "both", "commands for: cmd (appcmd), powershell (WebAdministration), both")
	return cmd
}
