package setuptracing

import (
	"fmt"
	"io"
	"strings"
)

// psString is a PowerShell single-quoted string.
func psString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

const apphost = "-PSPath 'MACHINE/WEBROOT/APPHOST'"

// WritePowerShell writes the same set-up with the WebAdministration
// module, storing everything in applicationHost.config as appcmd does.
func WritePowerShell(w io.Writer, o Options) {
	loc := "-Location " + psString(o.location())
	site := psString(fmt.Sprintf("system.applicationHost/sites/site[@name='%s']/traceFailedRequestsLogging", strings.ReplaceAll(o.Site, "'", "''")))
	rules := psString("system.webServer/tracing/traceFailedRequests")
	rule := "system.webServer/tracing/traceFailedRequests/add[@path='*']"
	fmt.Fprintf(w, "# frebscan setup-tracing: %s\r\n", o.describe())
	fmt.Fprint(w, "# Run in an elevated PowerShell. The Tracing role service (Web-Http-Tracing) must be installed.\r\n")
	fmt.Fprint(w, "Import-Module WebAdministration\r\n\r\n")
	fmt.Fprint(w, "# 1. Enable tracing for the site and keep enough files.\r\n")
	fmt.Fprintf(w, "Set-WebConfigurationProperty %s -Filter %s -Name enabled -Value $true\r\n", apphost, site)
	fmt.Fprintf(w, "Set-WebConfigurationProperty %s -Filter %s -Name maxLogFiles -Value %d\r\n", apphost, site, o.MaxLogFiles)
	fmt.Fprintf(w, "Set-WebConfigurationProperty %s -Filter %s -Name maxLogFileSizeKB -Value %d\r\n", apphost, site, o.MaxLogFileSizeKB)
	if o.Directory != "" {
		fmt.Fprintf(w, "Set-WebConfigurationProperty %s -Filter %s -Name directory -Value %s\r\n", apphost, site, psString(o.Directory))
	}
	fmt.Fprintf(w, "\r\n# 2. The rule: all content under %s, every provider at Verbose.\r\n", o.location())
	fmt.Fprintf(w, "Add-WebConfigurationProperty %s %s -Filter %s -Name '.' -Value @{path='*'}\r\n", apphost, loc, rules)
	for _, p := range o.Providers() {
		value := fmt.Sprintf("@{provider=%s;verbosity='Verbose'}", psString(p.Name))
		if p.Areas != "" {
			value = fmt.Sprintf("@{provider=%s;areas=%s;verbosity='Verbose'}", psString(p.Name), psString(p.Areas))
		}
		fmt.Fprintf(w, "Add-WebConfigurationProperty %s %s -Filter %s -Name '.' -Value %s\r\n", apphost, loc, psString(rule+"/traceAreas"), value)
	}
	fmt.Fprint(w, "\r\n# 3. What counts as failed.\r\n")
	if o.Status != "" {
		fmt.Fprintf(w, "Set-WebConfigurationProperty %s %s -Filter %s -Name statusCodes -Value %s\r\n", apphost, loc, psString(rule+"/failureDefinitions"), psString(o.Status))
	}
	if o.TimeTaken > 0 {
		fmt.Fprintf(w, "Set-WebConfigurationProperty %s %s -Filter %s -Name timeTaken -Value %s\r\n", apphost, loc, psString(rule+"/failureDefinitions"), psString(o.timeTaken()))
	}
}

// WritePowerShellUndo mirrors WriteAppcmdUndo.
func WritePowerShellUndo(w io.Writer, o Options) {
	fmt.Fprintf(w, "# frebscan setup-tracing: undo %s\r\n", o.describe())
	fmt.Fprint(w, "Import-Module WebAdministration\r\n")
	fmt.Fprintf(w, "Remove-WebConfigurationProperty %s -Location %s -Filter 'system.webServer/tracing/traceFailedRequests' -Name '.' -AtElement @{path='*'}\r\n", apphost, psString(o.location()))
	fmt.Fprintf(w, "Set-WebConfigurationProperty %s -Filter %s -Name enabled -Value $false\r\n", apphost,
		psString(fmt.Sprintf("system.applicationHost/sites/site[@name='%s']/traceFailedRequestsLogging", o.Site)))
}

// Write writes what shell asks for ("cmd", "powershell" or "both"), set
// up then undo, each block ready to paste.
func Write(w io.Writer, o Options, shell string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	blocks := map[string][]func(io.Writer, Options){
		"cmd":        {WriteAppcmd, WriteAppcmdUndo},
		"powershell": {WritePowerShell, WritePowerShellUndo},
	}
	var order []string
	switch shell {
	case "cmd", "powershell":
		order = []string{shell}
	case "both", "":
		order = []string{"cmd", "powershell"}
	default:
		return fmt.Errorf("unknown --shell %q (want cmd, powershell or both)", shell)
	}
	for i, s := range order {
		if i > 0 {
			fmt.Fprint(w, "\r\n")
		}
		fmt.Fprintf(w, "%s ===== %s: set up =====\r\n", comment(s), title(s))
		blocks[s][0](w, o)
		fmt.Fprintf(w, "\r\n%s ===== %s: undo =====\r\n", comment(s), title(s))
		blocks[s][1](w, o)
	}
	return nil
}

func comment(shell string) string {
	if shell == "cmd" {
		return "REM"
	}
	return "#"
}

func title(shell string) string {
	if shell == "cmd" {
		return "appcmd (cmd.exe)"
	}
	return "PowerShell (WebAdministration)"
}
