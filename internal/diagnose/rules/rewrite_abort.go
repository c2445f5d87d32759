package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// rewriteAbortRule returns the rewrite-abort rule.
func rewriteAbortRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "rewrite-abort",
		Title:    "URL Rewrite rule aborted the request",
		Severity: diagnose.Low,
		Explanation: `A URL Rewrite rule with the action "AbortRequest" matched, so IIS closed the
connection without a response. The client sees a reset or an empty reply; the IIS
log and the trace show status 200 with 0 bytes sent. That is what the rule is for
(blocking scanners, hot-linking, unwanted paths), unless the rule matches more
than intended.`,
		Looks: []string{"ABORT_REQUEST_ACTION (with RULE_EVALUATION_START's rule name and the pattern that matched) or ABORT_REQUEST_FROM_CACHE_ACTION"},
		Fix: `If the request should have been served, narrow the rule's pattern or conditions
(test it with the Test Pattern dialog of URL Rewrite), or change its action to a
CustomResponse with a status (403, 404) so clients and logs show what happened.`,
		References: []string{"Microsoft: URL Rewrite Module configuration reference (AbortRequest action) — https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/ee215207(v=ws.10)"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			a := s.Trace.RewriteAbort
			if a == nil {
				return nil
			}
			ev := []diagnose.Evidence{urlEvidence(s), statusEvidence(s),
				{Where: diagnose.InTrace, Name: "BytesSent", Value: formatInt(s.Trace.BytesSent)}}
			summary := "a URL Rewrite rule aborted the request (the client got no response)"
			switch {
			case a.FromCache:
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "ABORT_REQUEST_FROM_CACHE_ACTION", Value: "the decision came from the rewrite cache; the rule is not named"})
			case a.Rule != "":
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "rule", Value: a.Rule})
				if a.Pattern != "" {
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "pattern matched", Value: a.Pattern})
				}
				summary = "URL Rewrite rule \"" + a.Rule + "\" aborted the request (the client got no response)"
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	}
}
