package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
)

func init() {
	register(&diagnose.Rule{
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
				{Where: "trace", Name: "timeTaken", Value: fmt.Sprintf("%d ms", t.TimeTakenMs)},
				{Where: "trace", Name: "failureReason", Value: t.FailureReason},
				urlEvidence(s),
			}
			summary := fmt.Sprintf("%d ms", t.TimeTakenMs)
			if len(t.SlowestSteps) > 0 {
				st := t.SlowestSteps[0]
				where := st.Name
				if st.Module != "" {
					where += " (" + st.Module + ")"
				}
				ev = append(ev, diagnose.Evidence{Where: "event", Name: "slowest step",
					Value: fmt.Sprintf("%.0f ms after event #%d %s", st.DurationMs, st.Event, where)})
				summary += fmt.Sprintf(", %.0f ms of it after %s", st.DurationMs, where)
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	})
}
