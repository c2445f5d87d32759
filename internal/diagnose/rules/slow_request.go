package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/freb"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// slowRequestRule returns the slow-request rule.
func slowRequestRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "slow-request",
		Title:    "Slow request",
		Severity: diagnose.Low,
		Explanation: `The request took longer than the threshold (the FREB rule's time-taken trigger,
or frebscan's --slow setting, 10 s by default). The slowest step names the module
or event after which the time went: a handler waiting on a back end (ARR,
FastCGI, ASP.NET Core), authentication against a slow domain controller, a large
body read from a slow client, or a load balancer holding the request.`,
		Looks: []string{"failureReason TIME_TAKEN or time taken over the threshold", "the longest gap between two events and the module around it"},
		Fix: `Open the trace with "frebscan show" and look at the slowest steps: the module
named there is where the time went. Check that component (back-end server, domain
controller, database) at the time of the trace.`,
		References:  []string{"IIS Failed Request Tracing: timeTaken trigger", "freb.xsl Performance view"},
		Performance: true,
		Trace:       slowRequest,
	}
}

func slowRequest(s *diagnose.Subject) *diagnose.Match {
	t := s.Trace
	if !slow(s) {
		return nil
	}
	if _, _, ok := warmupStep(s); ok {
		return nil // app-warmup names it, with its own fixes
	}
	ev := []diagnose.Evidence{
		{Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms", t.TimeTakenMs)},
		{Where: diagnose.InTrace, Name: "failureReason", Value: t.FailureReason},
		urlEvidence(s),
	}
	summary := fmt.Sprintf("%d ms", t.TimeTakenMs)
	covered := traceSpanMs(t)
	if t.Truncated && covered*2 < float64(t.TimeTakenMs) {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "events cover", Value: fmt.Sprintf("%.0f ms of %d ms", covered, t.TimeTakenMs)})
		summary += fmt.Sprintf("; the trace is truncated and its events cover only %.0f ms, so it cannot tell where the time went", covered)
		return &diagnose.Match{Confidence: diagnose.ConfidenceLow, Evidence: ev, Summary: summary}
	}
	if len(t.SlowestSteps) > 0 {
		st := t.SlowestSteps[0]
		what := stepHint(st)
		where := what
		if where == "" {
			where = fmt.Sprintf("between %s and %s", st.Name, st.Next)
		}
		if st.Module != "" {
			where += " (module running: " + st.Module + ")"
		}
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "slowest step",
			Value: fmt.Sprintf("%.0f ms from event #%d %s to %s, activity %s, module %s", st.DurationMs, st.Event, st.Name, st.Next, orNone(st.Activity), orNone(st.Module))})
		summary += fmt.Sprintf(", %.0f ms of it %s", st.DurationMs, where)
	}
	return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// traceSpanMs is the time between the first and the last event kept.
func traceSpanMs(t *freb.Trace) float64 {
	if t.Start.IsZero() || t.End.IsZero() {
		return 0
	}
	return float64(t.End.Sub(t.Start)) / float64(time.Millisecond)
}

// stepHint names what ran during a gap: the activity open during it
// first, then what the event that ended it gives away.
func stepHint(st freb.Step) string {
	switch a := st.Activity; {
	case a == "AspNetCompileEnter":
		return "ASP.NET compiling pages"
	case a == "AspNetPageLoadEnter":
		return "in the page's Page_Load (application code)"
	case strings.HasPrefix(a, "AspNetPage"):
		return "in the page life cycle (" + strings.TrimSuffix(strings.TrimPrefix(a, "AspNetPage"), "Enter") + ", application code)"
	case a == "AspNetHttpHandlerEnter":
		return "in the ASP.NET handler (application code)"
	case a == "AspNetPipelineEnter":
		return "in a managed module"
	case a == "ASP_SCRIPT_TRACE_COM_CALL_START":
		return "in one Classic ASP script statement (a COM call)"
	case a == "FASTCGI_WAITING_FOR_RESPONSE" || a == "FASTCGI_START":
		return "waiting for the FastCGI process (PHP)"
	case a == "ARR_REQUEST_HEADERS_START" || a == "ANCM_REQUEST_FORWARD_START":
		return "waiting for the back-end server"
	case a == "GENERAL_READ_ENTITY_START":
		return "reading the request body from the client"
	case a == "AUTH_START" || strings.HasPrefix(a, "AUTH_"):
		return "authentication (domain controller)"
	case a == "GENERAL_FLUSH_RESPONSE_START":
		return "sending the response to the client"
	}
	switch {
	case st.Next == "VIRTUAL_MODULE_UNRESOLVED" || st.Next == "AspNetAppDomainEnter":
		return "ASP.NET loading the application"
	case st.Name == "GENERAL_READ_ENTITY_START":
		return "reading the request body from the client"
	}
	return ""
}
