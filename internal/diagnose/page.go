package diagnose

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// PageKind names who wrote an error page.
type PageKind string

// Kinds of error page frebscan reads.
const (
	// PageASPNET is ASP.NET's "Server Error in '/' Application" page.
	PageASPNET PageKind = "ASP.NET error page"
	// PageIIS is IIS's detailed error page ("IIS 10.0 Detailed Error").
	PageIIS PageKind = "IIS detailed error page"
	// PageIISNode is iisnode's page for a failed node.exe.
	PageIISNode PageKind = "iisnode error page"
	// PageANCM is the ASP.NET Core Module's start-up failure page.
	PageANCM PageKind = "ASP.NET Core Module error page"
	// PageClassicASP is a Classic ASP script error ("Microsoft VBScript
	// runtime error '800a000b'").
	PageClassicASP PageKind = "Classic ASP error"
	// PagePHP is PHP's error text.
	PagePHP PageKind = "PHP error"
	// PageOther is any other body: the application's own page.
	PageOther PageKind = "response body"
)

// Page is what the response body of a trace says about a failure. The
// fields are decoded text (no markup); empty when the page does not say.
type Page struct {
	Kind  PageKind
	Title string
	// Heading is IIS's "HTTP Error 404.0 - Not Found" or ASP.NET's
	// headline (the exception message).
	Heading string
	// Description is IIS's explanation sentence or ASP.NET's Description.
	Description string
	// ExceptionType and Message are the exception ASP.NET reports
	// ("System.InvalidOperationException"); RootType and RootMessage are the
	// innermost exception of the page's trailing comment, the root cause.
	ExceptionType, Message string
	RootType, RootMessage  string
	CompilerMessage        string
	ParserMessage          string
	ConfigurationError     bool
	SourceFile             string
	Line                   int
	// Frame is the first stack frame in application code.
	Frame string
	// Stack is the page's stack trace text.
	Stack string
	// PhysicalPath is the file IIS mapped the URL to (IIS pages).
	PhysicalPath string
	// ScriptError is a Classic ASP or PHP error line; Script its file.
	ScriptError string
	ScriptCode  string
	Script      string
	// NodeStatus is the status iisnode reports (500.1013) and NodeHRESULT
	// its HRESULT; NodeOutput the first lines of node.exe's stderr.
	NodeStatus, NodeHRESULT, NodeOutput string
	// FirstLine is the first line of readable text: what a person would
	// read first.
	FirstLine string
	// Lines are the first few lines of readable text, joined by " | ".
	Lines string
	// Cut is set when IIS cut the traced body, so parts may be missing.
	Cut bool
}

var (
	reTitle       = regexp.MustCompile(`(?is)<title>(.*?)</title>`)
	reExcDetails  = regexp.MustCompile(`(?is)Exception Details:\s*</b>\s*(.*?)<br`)
	reCompiler    = regexp.MustCompile(`(?is)Compiler Error Message:\s*</b>\s*(.*?)<br`)
	reParser      = regexp.MustCompile(`(?is)Parser Error Message:\s*</b>\s*(.*?)<br`)
	reDescription = regexp.MustCompile(`(?is)Description:\s*</b>\s*(.*?)(?:<br|\r?\n\s*\r?\n)`)
	reSource      = regexp.MustCompile(`(?is)Source File:\s*</b>\s*([^<\r\n]+?)\s*(?:<b>)?(?:&nbsp;|[\s\x{a0}])*(?:<b>)?\s*Line:\s*</b>\s*(\d+)`)
	reComment     = regexp.MustCompile(`<!--\s*\r?\n\[([^\]\r\n]+)\]: ([^\r\n]*)`)
	reStackPre    = regexp.MustCompile(`(?is)Stack Trace:\s*</b>.*?<pre>(.*?)</pre>`)
	reH2          = regexp.MustCompile(`(?is)<h2>\s*<i>(.*?)</i>\s*</h2>`)
	reH3          = regexp.MustCompile(`(?is)<h3>(.*?)</h3>`)
	reH4          = regexp.MustCompile(`(?is)<h4>(.*?)</h4>`)
	rePhysical    = regexp.MustCompile(`(?is)<th>Physical Path</th>\s*<td>(.*?)</td>`)
	reTag         = regexp.MustCompile(`(?s)<[^>]*>`)
	reNodeStatus  = regexp.MustCompile(`HTTP status:\s*(\d+)\s*HTTP subStatus:\s*(\d+)`)
	reNodeHRESULT = regexp.MustCompile(`HRESULT:\s*(0x[0-9a-fA-F]+)`)
	reASPError    = regexp.MustCompile(`((?:Microsoft [A-Za-z ]+?|ADODB\.\w+|Active Server Pages|Provider))\s*error\s*'([0-9a-fA-F]{8})'\s+(.+?)\s+(/\S+?\.as[pa])\s*,\s*line\s*(\d+)`)
	rePHPError    = regexp.MustCompile(`PHP (Fatal error|Parse error|Warning|Notice|Deprecated|Catchable fatal error|Recoverable fatal error):\s+(.*?)\s+in\s+(\S.*?)(?::| on line )(\d+)`)
	reANCMTitle   = regexp.MustCompile(`HTTP Error (50[02]\.\d+) - ([^<\r\n]+)`)
	reFrame       = regexp.MustCompile(`^\s*(?:at\s+)?([A-Za-z_][\w.+<>\x60\[\], ]*\.[\w<>\x60]+\([^)]*\))(.*)$`)
)

// near returns the text of body from marker on, at most n bytes, or ""
// when body does not contain marker. Every pattern below runs on such a
// window: a trace can carry 64 KB of body, and scans read thousands of
// traces.
func near(body, marker string, n int) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	end := min(len(body), i+n)
	return body[i:end]
}

// mayBeErrorPage reports whether body can hold one of the pages ParsePage
// reads: a cheap test so successful pages cost a few substring searches.
func mayBeErrorPage(body string) bool {
	for _, m := range []string{"Server Error in '", "Exception Details:", "Compiler Error Message", "Parser Error Message", "iisnode encountered an error", "PHP ", " error '", "HTTP Error 50"} {
		if strings.Contains(body, m) {
			return true
		}
	}
	return false
}

// ParsePage reads the error page in body. It returns nil for an empty
// body. cut says IIS cut the body.
func ParsePage(body string, cut bool) *Page {
	if strings.TrimSpace(body) == "" {
		return nil
	}
	// The trace stores the body XML-escaped once; the reader decoded that,
	// so HTML entities of the page itself remain (&nbsp;, &#39;).
	p := &Page{Kind: PageOther, Cut: cut}
	head := body[:min(len(body), 16<<10)]
	text := pageText(head)
	p.FirstLine = firstLine(text)
	p.Lines = shorten(firstLines(text, 3), 300)
	if i := strings.LastIndex(strings.ToLower(head), "<title>"); i >= 0 {
		if m := reTitle.FindStringSubmatch(head[i:min(len(head), i+2048)]); m != nil {
			p.Title = clean(m[1])
		}
	}
	switch {
	case strings.Contains(body, "Server Error in '") || strings.Contains(body, "Exception Details:") || strings.Contains(body, "Compiler Error Message:") || strings.Contains(body, "Parser Error Message:"):
		p.aspnet(body)
	case strings.Contains(body, "iisnode encountered an error"):
		p.iisnode(body, pageText(body))
	case strings.Contains(head, "HTTP Error 50") && reANCMTitle.MatchString(head) && (strings.Contains(head, "ASP.NET Core") || strings.Contains(head, "ANCM")):
		p.Kind = PageANCM
		m := reANCMTitle.FindStringSubmatch(head)
		p.Heading = clean("HTTP Error " + m[1] + " - " + m[2])
		if h := reH4.FindStringSubmatch(near(head, "<h4>", 2048)); h != nil {
			p.Description = clean(h[1])
		}
	case strings.Contains(p.Title, "Detailed Error") || strings.Contains(head, "<th>Physical Path</th>"):
		p.Kind = PageIIS
		if m := reH3.FindStringSubmatch(near(head, "<h3>", 2048)); m != nil {
			p.Heading = clean(m[1])
		}
		if m := reH4.FindStringSubmatch(near(head, "<h4>", 2048)); m != nil {
			p.Description = clean(m[1])
		}
		if m := rePhysical.FindStringSubmatch(near(head, "<th>Physical Path</th>", 2048)); m != nil {
			p.PhysicalPath = clean(m[1])
		}
	default:
		p.script(text)
	}
	return p
}

func (p *Page) aspnet(body string) {
	p.Kind = PageASPNET
	if m := reH2.FindStringSubmatch(near(body, "<h2>", 4096)); m != nil {
		p.Heading = clean(m[1])
	}
	if m := reDescription.FindStringSubmatch(near(body, "Description:", 4096)); m != nil {
		p.Description = clean(m[1])
	}
	if m := reExcDetails.FindStringSubmatch(near(body, "Exception Details:", 8192)); m != nil {
		d := clean(m[1])
		if typ, msg, ok := strings.Cut(d, ": "); ok && !strings.Contains(typ, " ") {
			p.ExceptionType, p.Message = typ, msg
		} else {
			p.Message = d
		}
	}
	if m := reCompiler.FindStringSubmatch(near(body, "Compiler Error Message:", 8192)); m != nil {
		p.CompilerMessage = clean(m[1])
	}
	if m := reParser.FindStringSubmatch(near(body, "Parser Error Message:", 8192)); m != nil {
		p.ParserMessage = clean(m[1])
	}
	p.ConfigurationError = strings.Contains(body, "Configuration Error")
	if m := reSource.FindStringSubmatch(near(body, "Source File:", 2048)); m != nil {
		p.SourceFile = clean(m[1])
		p.Line, _ = strconv.Atoi(m[2])
	}
	if m := reComment.FindStringSubmatch(near(body, "<!--", 16<<10)); m != nil {
		p.RootType, p.RootMessage = strings.TrimSpace(m[1]), clean(m[2])
		if i := strings.Index(p.RootType, " ("); i > 0 {
			p.RootType = p.RootType[:i]
		}
	}
	if m := reStackPre.FindStringSubmatch(near(body, "Stack Trace:", 32<<10)); m != nil {
		p.Stack = html.UnescapeString(reTag.ReplaceAllString(m[1], ""))
	} else if i := strings.Index(body, "<!--"); i >= 0 && p.RootType != "" {
		p.Stack = body[i:]
	}
	p.Frame = appFrame(p.Stack)
	if p.Message == "" && p.RootMessage != "" {
		p.Message = p.RootMessage
	}
	if p.Heading == "" {
		p.Heading = p.Title
	}
}

func (p *Page) iisnode(body, text string) {
	p.Kind = PageIISNode
	if m := reNodeStatus.FindStringSubmatch(near(body, "HTTP status:", 512)); m != nil {
		p.NodeStatus = m[1]
		if m[2] != "0" {
			p.NodeStatus += "." + m[2]
		}
	}
	if m := reNodeHRESULT.FindStringSubmatch(near(body, "HRESULT:", 256)); m != nil {
		p.NodeHRESULT = m[1]
	}
	const marker = "to stderr is shown below:"
	if i := strings.Index(text, marker); i >= 0 {
		out := strings.TrimSpace(text[i+len(marker):])
		// node writes warnings before the exception; the line after
		// iisnode's "uncaught exception" banner is the error itself.
		if j := strings.Index(out, "uncaught exception"); j >= 0 {
			if k := strings.IndexByte(out[j:], '\n'); k >= 0 {
				out = strings.TrimSpace(out[j+k:])
				p.NodeOutput = "uncaught exception: "
			}
		}
		p.NodeOutput += firstLines(out, 1)
		for _, l := range strings.Split(out, "\n") {
			if f := appFrame(l); f != "" {
				p.Frame = f
				break
			}
		}
	}
	p.Heading = "iisnode encountered an error when processing the request"
}

// script reads Classic ASP and PHP error text from a page that is not one
// of the known error pages.
func (p *Page) script(text string) {
	flat := strings.Join(strings.Fields(text), " ")
	if i := strings.Index(flat, " error '"); i >= 0 {
		flat = flat[max(0, i-200):min(len(flat), i+2048)]
	} else if i := strings.Index(flat, "PHP "); i >= 0 {
		flat = flat[i:min(len(flat), i+2048)]
	} else {
		return
	}
	if m := reASPError.FindStringSubmatch(flat); m != nil {
		p.Kind = PageClassicASP
		p.ScriptError = strings.TrimSpace(m[1]) + " error '" + m[2] + "': " + m[3]
		p.ScriptCode = m[2]
		p.Script = m[4] + ", line " + m[5]
		return
	}
	if m := rePHPError.FindStringSubmatch(flat); m != nil {
		p.Kind = PagePHP
		p.ScriptError = "PHP " + m[1] + ": " + m[2]
		p.Script = m[3] + ", line " + m[4]
	}
}

// ParsePHPError reads a PHP error line (FastCGI's stderr in MODULE_WARNING
// or the body): the error and the file and line, ok false when text is not
// one.
func ParsePHPError(text string) (msg, where string, ok bool) {
	i := strings.Index(text, "PHP ")
	if i < 0 {
		return "", "", false
	}
	flat := strings.Join(strings.Fields(text[i:min(len(text), i+4096)]), " ")
	m := rePHPError.FindStringSubmatch(flat)
	if m == nil {
		return "", "", false
	}
	return "PHP " + m[1] + ": " + m[2], m[3] + ", line " + m[4], true
}

// frameworkPrefixes are namespaces of framework code; the first frame
// outside them is where the application's code was running.
var frameworkPrefixes = []string{"System.", "Microsoft.", "Owin.", "Newtonsoft.", "EntityFramework", "lambda_method", "__", "Castle.", "Autofac.", "Ninject."}

// appFrame returns the first stack frame in application code from a .NET
// stack trace (ASP.NET's "   Type.Method(args) +12" or "   at Type.Method()
// in file:line N") or a Node.js one ("    at fn (C:\app\server.js:17:15)").
func appFrame(stack string) string {
	for _, l := range strings.Split(stack, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "at "))
		if l == "" || strings.HasPrefix(l, "[") {
			continue
		}
		if strings.Contains(l, ".js:") {
			if !strings.Contains(l, "node:internal") && !strings.Contains(l, `\node_modules\`) && !strings.Contains(l, "(node:") {
				return l
			}
			continue
		}
		m := reFrame.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		name := m[1]
		framework := false
		for _, pre := range frameworkPrefixes {
			if strings.HasPrefix(name, pre) {
				framework = true
				break
			}
		}
		if framework {
			continue
		}
		rest := strings.TrimSpace(m[2])
		if strings.HasPrefix(rest, "+") {
			rest = ""
		}
		return strings.TrimSpace(name + " " + rest)
	}
	return ""
}

// pageText is the readable text of an HTML page: no scripts, styles,
// comments or tags, entities decoded, one line per block. It is a single
// pass, not a regular expression, since it runs on every failed trace.
func pageText(body string) string {
	if !strings.Contains(body, "<") {
		return html.UnescapeString(body)
	}
	var b strings.Builder
	b.Grow(len(body) / 2)
	lower := strings.ToLower(body)
	for i := 0; i < len(body); {
		c := body[i]
		if c != '<' {
			b.WriteByte(c)
			i++
			continue
		}
		end := ""
		switch {
		case strings.HasPrefix(lower[i:], "<!--"):
			end = "-->"
		case strings.HasPrefix(lower[i:], "<script"):
			end = "</script>"
		case strings.HasPrefix(lower[i:], "<style"):
			end = "</style>"
		default:
			end = ">"
		}
		k := strings.Index(lower[i+1:], end)
		if k < 0 {
			break
		}
		i += 1 + k + len(end)
		b.WriteByte('\n')
	}
	return html.UnescapeString(b.String())
}

// firstLine is the first non-blank line of text, shortened.
func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if l = clean(l); l != "" {
			return shorten(l, 200)
		}
	}
	return ""
}

func firstLines(text string, n int) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = clean(l); l != "" {
			out = append(out, l)
			if len(out) == n {
				break
			}
		}
	}
	return strings.Join(out, " | ")
}

// clean decodes entities, drops tags and folds white space (including the
// no-break spaces error pages use for indentation).
func clean(s string) string {
	s = html.UnescapeString(reTag.ReplaceAllString(s, " "))
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.Join(strings.Fields(s), " ")
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
