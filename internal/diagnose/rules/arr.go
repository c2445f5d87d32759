package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// arrRule builds the rules for ARR's 502 failures, which share their
// shape: ApplicationRequestRouting sets 502.x and records the WinHTTP
// error of the back-end request.
func arrRule(id, title string, code uint32, sub int, explanation, fix string, looks ...string) *diagnose.Rule {
	refs := []string{
		"Microsoft: Troubleshooting 502 errors in ARR (502.3 / 502.4 and WinHTTP error codes)",
		"KB 943891: IIS HTTP status codes (502.x) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
	}
	return &diagnose.Rule{
		ID:          id,
		Title:       title,
		Severity:    diagnose.High,
		Explanation: explanation,
		Looks:       looks,
		Fix:         fix,
		References:  refs,
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			return arrMatch(s, code, sub)
		},
	}
}

func arrMatch(s *diagnose.Subject, code uint32, sub int) *diagnose.Match {
	if es := s.Trace.ErrorStatus; es != nil && isANCM(es.Module) {
		// The ASP.NET Core Module reports its own 502.3 with the same
		// WinHTTP codes; ARR's farm settings do not apply to it.
		return nil
	}
	if code == 0 {
		if !is(502, s, sub) {
			return nil
		}
		ev := []diagnose.Evidence{statusEvidence(s)}
		if es := s.Trace.ErrorStatus; es != nil {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "MODULE_SET_RESPONSE_ERROR_STATUS", Value: es.Module + " in " + es.Notification})
		}
		return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: "ARR found no server to route to (502.4)"}
	}
	found, ok := s.HasErrorCode(code)
	if !ok {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s), codeEvidence(s, found)}
	conf := diagnose.ConfidenceMedium
	if s.Trace.StatusCode == 502 {
		conf = diagnose.ConfidenceHigh
	}
	if es := s.Trace.ErrorStatus; es != nil && es.Description != "" {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "SET_RESPONSE_ERROR_DESCRIPTION", Value: es.Description})
	}
	ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms", s.Trace.TimeTakenMs)})
	info := status.Code(found)
	return &diagnose.Match{Confidence: conf, Evidence: ev,
		Summary: fmt.Sprintf("%s after %d ms: %s", s.Status(), s.Trace.TimeTakenMs, firstNonEmpty(info.Name, info.Hex))}
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
