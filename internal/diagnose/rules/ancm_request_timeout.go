package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// ancmRequestTimeoutRule returns the ancm-request-timeout rule.
func ancmRequestTimeoutRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "ancm-request-timeout",
		Title:    "ASP.NET Core Module gave up waiting for the app (502.3, requestTimeout)",
		Severity: diagnose.High,
		Explanation: `With out-of-process hosting the ASP.NET Core Module (AspNetCoreModule /
AspNetCoreModuleV2) forwards each request to the app's Kestrel process and waits
for the answer at most requestTimeout, set on the <aspNetCore> element of
web.config (default 2 minutes). When the app takes longer, ANCM answers 502.3 with
ERROR_WINHTTP_TIMEOUT (0x80072EE2) after about that time; the app may still be
working on the request. This is the module's own time-out, not ARR's server-farm
proxy time-out, even though the status and error code are the same.`,
		Looks: []string{
			"status 502.3 set by AspNetCoreModule or AspNetCoreModuleV2",
			"error 0x80072EE2 (ERROR_WINHTTP_TIMEOUT)",
			"time taken near the requestTimeout (120 s by default)",
		},
		Fix: `Raise requestTimeout on the <aspNetCore> element in the site's web.config
(for example requestTimeout="00:10:00"; hh:mm:ss, default 00:02:00) above the
slowest legitimate request, and find out why the app is slow (long work belongs
in a background job). In-process hosting does not apply this time-out. Keep any
load balancer's idle time-out above the value chosen.`,
		References: []string{
			"https://learn.microsoft.com/en-us/aspnet/core/host-and-deploy/iis/web-config#attributes-of-the-aspnetcore-element",
			"https://github.com/aspnet/AspNetCoreModule/issues/287",
			"https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis",
		},
		// The time-out explains both the status and the time taken.
		Supersedes: []string{"arr-backend-timeout", "slow-request"},
		Trace:      ancmRequestTimeout,
	}
}

// isANCM reports whether a module name is the ASP.NET Core Module.
func isANCM(module string) bool {
	return strings.EqualFold(module, "AspNetCoreModule") || strings.EqualFold(module, "AspNetCoreModuleV2")
}

func ancmRequestTimeout(s *diagnose.Subject) *diagnose.Match {
	es := s.Trace.ErrorStatus
	if es == nil || !isANCM(es.Module) || !is(502, s, 3) {
		return nil
	}
	code, ok := s.HasErrorCode(winhttpTimeout)
	if !ok {
		return nil
	}
	// The status tables describe 502.3 and 0x80072EE2 in ARR's terms;
	// here the module is ANCM, so the evidence names them plainly.
	ev := []diagnose.Evidence{{Where: diagnose.InTrace, Name: "statusCode", Value: "502.3 (bad gateway: the ASP.NET Core app did not answer in time)"},
		{Where: diagnose.InEvent, Name: "MODULE_SET_RESPONSE_ERROR_STATUS ErrorCode", Value: codeName(code)},
		{Where: diagnose.InEvent, Name: "MODULE_SET_RESPONSE_ERROR_STATUS", Value: es.Module + " in " + es.Notification},
		{Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms", s.Trace.TimeTakenMs)}}
	m := &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
		Summary: fmt.Sprintf("%s gave up after %d ms waiting for the app", es.Module, s.Trace.TimeTakenMs)}
	if s.Trace.TimeTakenMs >= 119_000 && s.Trace.TimeTakenMs <= 125_000 {
		m.Summary += " (the default requestTimeout of 2 minutes)"
	}
	return m
}
