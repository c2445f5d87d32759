package diagnose

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/status"
)

// Failure is why a trace counts as a failed request and what the trace
// itself says about it, for reports that must list every failure no rule
// explained.
type Failure struct {
	// Status is the status that failed: the final one, the trigger, a
	// child request's, or the final 200 under an abort or error page.
	Status string `json:"status"`
	// Reason says which of those it is.
	Reason    string `json:"reason"`
	Module    string `json:"module,omitempty"`
	ErrorCode string `json:"errorCode,omitempty"`
	// Says is the trace's own words: the error description, the decoded
	// HRESULT, the exception or the first line of the error page.
	Says string `json:"says,omitempty"`
}

// Failure reports whether the request failed: a status of 400 or more
// (final, trigger or a child request's), or an abort or error page under
// a final status below 400.
func (s *Subject) Failure() (Failure, bool) {
	t := s.Trace
	f := Failure{Status: t.Status()}
	if es := t.ErrorStatus; es != nil {
		f.Module = es.Module
		if es.ErrorCode != 0 {
			f.ErrorCode = fmt.Sprintf("0x%08X", es.ErrorCode)
			if n := status.Code(es.ErrorCode).Name; n != "" {
				f.ErrorCode += " " + n
			}
		}
	}
	switch {
	case t.StatusCode >= 400:
		f.Reason = "status"
	case t.TriggerStatusCode >= 400:
		f.Status, f.Reason = freb.FormatStatus(t.TriggerStatusCode, t.TriggerSubStatusCode), "trigger status"
	default:
		if c, ok := s.FailedChild(); ok {
			f.Status, f.Reason = freb.FormatStatus(c.HTTPStatus, c.HTTPSubStatus), "child request "+freb.URLPath(c.URL)
			break
		}
		if p, ok := s.FailedPass(); ok {
			f.Status, f.Reason = freb.FormatStatus(p.HTTPStatus, p.HTTPSubStatus), "inner request "+freb.URLPath(p.URL)
			break
		}
		if t.RewriteAbort != nil {
			f.Reason = "aborted by URL Rewrite"
			break
		}
		if s.ErrorPageUnderSuccess() {
			f.Reason = "error page under status " + t.Status()
			break
		}
		if exp, ok := s.DownloadCut(); ok {
			f.Reason = fmt.Sprintf("response cut after %d of %d bytes", t.BytesSent, exp)
			break
		}
		return Failure{}, false
	}
	f.Says = s.says()
	return f, true
}

// FailedChild returns the first child request that ended with 400 or more.
func (s *Subject) FailedChild() (freb.Child, bool) {
	for _, c := range s.Trace.Children {
		if c.Ended && c.HTTPStatus >= 400 {
			return c, true
		}
	}
	return freb.Child{}, false
}

// FailedPass returns an inner execution of the request (a default
// document, a rewrite) that ended with 400 or more while the last one did
// not.
func (s *Subject) FailedPass() (freb.Pass, bool) {
	ps := s.Trace.Passes
	for i := 0; i+1 < len(ps); i++ {
		if ps[i].Ended && ps[i].HTTPStatus >= 400 {
			return ps[i], true
		}
	}
	return freb.Pass{}, false
}

// ErrorPageUnderSuccess reports whether a response below 400 carries an
// error: an ASP.NET unhandled-exception page appended after the headers
// were sent, an ASP.NET error web event, or iisnode's error page (which it
// sends with 200 when devErrorsEnabled is on).
func (s *Subject) ErrorPageUnderSuccess() bool {
	if s.Trace.StatusCode >= 400 {
		return false
	}
	if p := s.Page; p != nil && (p.Kind == PageIISNode || (p.Kind == PageASPNET && (p.ExceptionType != "" || p.RootType != ""))) {
		return true
	}
	for _, w := range s.Trace.WebEvents {
		if w.Code >= 3000 && w.Code < 4000 {
			return true
		}
	}
	return false
}

// DownloadCut reports whether the connection failed before the response
// was sent in full: a failed flush, and fewer bytes sent than the file or
// the Content-Length. It returns the size the response should have had.
func (s *Subject) DownloadCut() (int64, bool) {
	t := s.Trace
	failed := false
	for _, e := range t.IOErrors {
		if e.Name == "GENERAL_FLUSH_RESPONSE_END" {
			failed = true
		}
	}
	// HEAD, 204 and 304 responses carry a Content-Length but no body.
	if !failed || strings.EqualFold(t.Verb, "HEAD") || t.StatusCode == 204 || t.StatusCode == 304 {
		return 0, false
	}
	var want int64
	if f := t.ResponseFile; f != nil {
		want = f.Size
	}
	if cl, err := strconv.ParseInt(strings.TrimSpace(s.Response.Value("Content-Length")), 10, 64); err == nil && cl > want {
		want = cl
	}
	if want > 0 && t.BytesSent < want {
		return want, true
	}
	return 0, false
}

// says is the trace's own description of the failure, most specific first.
func (s *Subject) says() string {
	t := s.Trace
	if es := t.ErrorStatus; es != nil {
		if es.Description != "" {
			return s.RevealText(es.Description)
		}
		if es.ConfigException != "" {
			return s.RevealText(oneLine(es.ConfigException))
		}
	}
	for _, w := range t.ModuleWarnings {
		if w.Data2 != "" {
			return s.RevealText(shorten(oneLine(w.Data2), 200))
		}
	}
	if p := s.Page; p != nil {
		switch {
		case p.ExceptionType != "" || p.Message != "":
			return s.RevealText(strings.TrimPrefix(p.ExceptionType+": "+p.Message, ": "))
		case p.Description != "":
			return s.RevealText(p.Description)
		case p.Heading != "":
			return s.RevealText(p.Heading)
		case p.FirstLine != "":
			return s.RevealText(p.FirstLine)
		}
	}
	if es := t.ErrorStatus; es != nil && es.ErrorCode != 0 {
		return status.Code(es.ErrorCode).String()
	}
	for _, e := range t.IOErrors {
		return e.Name + " " + status.Code(e.ErrorCode).String()
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
