package setuptracing

import (
	"fmt"
	"io"
	"strings"
)

const appcmdExe = `%windir%\system32\inetsrv\appcmd.exe`

// cmdArg quotes one argument for cmd.exe and appcmd's argument parser:
// appcmd receives the text inside the quotes as one argument.
func cmdArg(s string) string {
	if strings.ContainsAny(s, " \t&|<>^") {
		return `"` + s + `"`
	}
	return s
}

func appcmd(w io.Writer, args ...string) {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = cmdArg(a)
	}
	fmt.Fprintf(w, "%s %s\r\n", appcmdExe, strings.Join(q, " "))
}

// WriteAppcmd writes the cmd.exe commands. The rule goes to
// applicationHost.config (/commit:apphost) in a <location> for the path,
// not into the application's web.config: Exchange's web.config files
// are replaced by every cumulative update.
func WriteAppcmd(w io.Writer, o Options) {
	loc := o.location()
	section := "-section:system.webServer/tracing/traceFailedRequests"
	sites := "-section:system.applicationHost/sites"
	site := fmt.Sprintf("/[name='%s'].traceFailedRequestsLogging", o.Site)
	fmt.Fprintf(w, "REM frebscan setup-tracing: %s\r\n", o.describe())
	fmt.Fprint(w, "REM Run in an elevated command prompt. The Tracing role service (Web-Http-Tracing) must be installed.\r\n")
	fmt.Fprint(w, "REM A rule for '*' that already exists here makes the first set-up command fail: run the undo commands first.\r\n\r\n")
	fmt.Fprint(w, "REM 1. Enable tracing for the site and keep enough files.\r\n")
	appcmd(w, "set", "config", sites, site+".enabled:true", "/commit:apphost")
	appcmd(w, "set", "config", sites, fmt.Sprintf("%s.maxLogFiles:%d", site, o.MaxLogFiles), "/commit:apphost")
	appcmd(w, "set", "config", sites, fmt.Sprintf("%s.maxLogFileSizeKB:%d", site, o.MaxLogFileSizeKB), "/commit:apphost")
	if o.Directory != "" {
		appcmd(w, "set", "config", sites, fmt.Sprintf("%s.directory:%s", site, o.Directory), "/commit:apphost")
	}
	fmt.Fprintf(w, "\r\nREM 2. The rule: all content under %s, every provider at Verbose.\r\n", loc)
	appcmd(w, "set", "config", loc, section, "/+[path='*']", "/commit:apphost")
	for _, p := range o.Providers() {
		entry := fmt.Sprintf("provider='%s',verbosity='Verbose'", p.Name)
		if p.Areas != "" {
			entry = fmt.Sprintf("provider='%s',areas='%s',verbosity='Verbose'", p.Name, p.Areas)
		}
		appcmd(w, "set", "config", loc, section, "/+[path='*'].traceAreas.["+entry+"]", "/commit:apphost")
	}
	fmt.Fprint(w, "\r\nREM 3. What counts as failed.\r\n")
	if o.Status != "" {
		appcmd(w, "set", "config", loc, section, "/[path='*'].failureDefinitions.statusCodes:"+o.Status, "/commit:apphost")
	}
	if o.TimeTaken > 0 {
		appcmd(w, "set", "config", loc, section, "/[path='*'].failureDefinitions.timeTaken:"+o.timeTaken(), "/commit:apphost")
	}
}

// WriteAppcmdUndo removes the rule and turns tracing off for the site.
// maxLogFiles and maxLogFileSizeKB stay raised: harmless while tracing
// is off, and the values before are not known.
func WriteAppcmdUndo(w io.Writer, o Options) {
	fmt.Fprintf(w, "REM frebscan setup-tracing: undo %s\r\n", o.describe())
	appcmd(w, "set", "config", o.location(), "-section:system.webServer/tracing/traceFailedRequests", "/-[path='*']", "/commit:apphost")
	appcmd(w, "set", "config", "-section:system.applicationHost/sites", fmt.Sprintf("/[name='%s'].traceFailedRequestsLogging.enabled:false", o.Site), "/commit:apphost")
}
