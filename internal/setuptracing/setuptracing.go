// Package setuptracing writes the IIS commands that turn on Failed
// Request Tracing the way frebscan needs it: a rule for all content
// with the providers and areas that record request and response headers
// and authentication, the status codes (and optionally slow requests) to
// trace, tracing enabled for the site with room for enough files, and
// the commands that undo it. It prints commands rather than changing IIS
// itself so an admin can read, adapt and run them, on the server or
// through their change process.
package setuptracing

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Options are the flags of `frebscan setup-tracing`.
type Options struct {
	// Site is the IIS site name ("Default Web Site").
	Site string
	// Path is the URL path the rule covers ("/EWS"; "/" for the site).
	Path string
	// Status is the failure definition's status codes, in IIS syntax
	// (400-401, 400,401.2,500-599).
	Status string
	// TimeTaken also traces requests that take longer (0: off).
	TimeTaken time.Duration
	// MaxLogFiles is how many trace files IIS keeps per site (its
	// default, 50, is a few minutes of 401s on a busy Exchange server).
	MaxLogFiles int
	// MaxLogFileSizeKB is where IIS truncates one trace (default 512;
	// verbose traces of large EWS requests exceed it).
	MaxLogFileSizeKB int
	// Directory is the trace directory; "" leaves IIS's.
	Directory string
	// Rewrite adds the URL Rewrite area, which exists only where the URL
	// Rewrite module is installed.
	Rewrite bool
}

// Defaults are the flag defaults.
func Defaults() Options {
	return Options{Site: "Default Web Site", Path: "/", Status: "400-599", MaxLogFiles: 200, MaxLogFileSizeKB: 1024, Rewrite: true}
}

// Provider is one trace provider with its areas.
type Provider struct {
	Name  string
	Areas string
}

// Providers are what the rule traces, all at Verbose: WWW Server's areas
// carry the request and response headers (GENERAL_REQUEST_HEADERS,
// GENERAL_RESPONSE_HEADERS), authentication (AUTH_*), module and
// notification events; ASP.NET's show Exchange's managed handlers.
func (o Options) Providers() []Provider {
	www := "Authentication,Security,Filter,StaticFile,CGI,Compression,Cache,RequestNotifications,Module,FastCGI,WebSocket"
	if o.Rewrite {
		www += ",Rewrite"
	}
	return []Provider{
		{Name: "WWW Server", Areas: www},
		{Name: "ASP"},
		{Name: "ASPNET", Areas: "Infrastructure,Module,Page,AppServices"},
		{Name: "ISAPI Extension"},
	}
}

// statusSyntax is IIS's failureDefinitions statusCodes: codes with an
// optional substatus, or ranges without, separated by commas.
var statusSyntax = regexp.MustCompile(`^([1-9]\d\d(\.\d{1,3})?|[1-9]\d\d-[1-9]\d\d)(,([1-9]\d\d(\.\d{1,3})?|[1-9]\d\d-[1-9]\d\d))*$`)

// Validate checks the options and normalises the path.
func (o *Options) Validate() error {
	if o.Site == "" || strings.ContainsAny(o.Site, `'"/\`) {
		return fmt.Errorf("--site %q: want a site name as IIS Manager shows it, without quotes or slashes", o.Site)
	}
	if !strings.HasPrefix(o.Path, "/") || strings.ContainsAny(o.Path, `'"*?\`) {
		return fmt.Errorf("--path %q: want a URL path such as /EWS, or / for the whole site", o.Path)
	}
	o.Path = "/" + strings.Trim(o.Path, "/")
	o.Status = strings.ReplaceAll(o.Status, " ", "")
	if o.Status == "" && o.TimeTaken == 0 {
		return errors.New("give --status, --time-taken or both: IIS traces nothing without a failure definition")
	}
	if o.Status != "" && !statusSyntax.MatchString(o.Status) {
		return fmt.Errorf("--status %q: want IIS status codes such as 400-401 or 400,401.2,500-599", o.Status)
	}
	for _, r := range strings.Split(o.Status, ",") {
		if lo, hi, ok := strings.Cut(r, "-"); ok && hi < lo {
			return fmt.Errorf("--status %q: range %s ends before it starts", o.Status, r)
		}
	}
	if o.TimeTaken < 0 || o.TimeTaken%time.Second != 0 || o.TimeTaken >= 24*time.Hour {
		return errors.New("--time-taken: want whole seconds under a day, such as 10s or 2m")
	}
	if o.MaxLogFiles < 1 || o.MaxLogFileSizeKB < 1 {
		return errors.New("--max-log-files and --max-log-file-size-kb must be at least 1")
	}
	if strings.ContainsAny(o.Directory, `"'`) {
		return fmt.Errorf("--directory %q: no quotes", o.Directory)
	}
	return nil
}

// location is the configuration path the rule is stored for: the site,
// or the application or directory under it.
func (o Options) location() string {
	if o.Path == "/" {
		return o.Site
	}
	return o.Site + o.Path
}

// timeTaken is the duration in IIS's hh:mm:ss form.
func (o Options) timeTaken() string {
	d := o.TimeTaken
	return fmt.Sprintf("%02d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

func (o Options) describe() string {
	var conds []string
	if o.Status != "" {
		conds = append(conds, "status "+o.Status)
	}
	if o.TimeTaken > 0 {
		conds = append(conds, "taking longer than "+o.TimeTaken.String())
	}
	return fmt.Sprintf("Failed Request Tracing for %s (requests with %s), up to %d files of %d KB", o.location(), strings.Join(conds, " or "), o.MaxLogFiles, o.MaxLogFileSizeKB)
}
