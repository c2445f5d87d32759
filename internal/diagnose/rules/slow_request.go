package rules

import (
	"fmt"
	"strings"

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
		References: []string{"IIS Failed Request Tracing: timeTaken trigger", "freb.xsl Performance view"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			t := s.Trace
			threshold := s.Settings.SlowMs
			if threshold <= 0 {
				threshold = diagnose.DefaultSettings().SlowMs
			}
			if t.FailureReason != "TIME_TAKEN" && t.TimeTakenMs < threshold {
				return nil
			}
			ev := []diagnose.Evidence{
				{Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms", t.TimeTakenMs)},
				{Where: diagnose.InTrace, Name: "failureReason", Value: t.FailureReason},
				urlEvidence(s),
			}
			summary := fmt.Sprintf("%d ms", t.TimeTakenMs)
			if len(t.SlowestSteps) > 0 {
				st := t.SlowestSteps[0]
				where := fmt.Sprintf("between %s and %s", st.Name, st.Next)
				if st.Module != "" {
					where += " (last module: " + st.Module + ")"
				}
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "slowest step",
					Value: fmt.Sprintf("%.0f ms %s, from event #%d", st.DurationMs, where, st.Event)})
				summary += fmt.Sprintf(", %.0f ms of it %s", st.DurationMs, where)
				if hint := stepHint(st); hint != "" {
					summary += ": " + hint
				}
				if t.Truncated && st.DurationMs*4 < float64(t.TimeTakenMs) {
					summary += "; the trace is truncated, so the events that account for most of the time are missing"
				}
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	}
}

// stepHint names what a gap usually is when the event that ends it gives
// it away.
func stepHint(st freb.Step) string {
	switch {
	case st.Next == "VIRTUAL_MODULE_UNRESOLVED" || st.Next == "AspNetAppDomainEnter":
		return "ASP.NET starting the application (first request after a recycle or deployment)"
	case strings.HasPrefix(st.Name, "AspNetCompile"):
		return "ASP.NET compiling pages"
	case st.Name == "ARR_REQUEST_HEADERS_START" || st.Name == "ANCM_REQUEST_FORWARD_START":
		return "waiting for the back-end server"
	case st.Name == "FASTCGI_WAITING_FOR_RESPONSE":
		return "waiting for the FastCGI process (PHP)"
	case st.Name == "GENERAL_READ_ENTITY_START":
		return "reading the request body from the client"
	case strings.HasPrefix(st.Name, "AUTH_"):
		return "authentication (domain controller)"
	}
	return ""
}
