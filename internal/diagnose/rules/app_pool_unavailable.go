package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// appModules are handlers whose 503 is the application's own answer, not
// IIS saying the pool or queue is unavailable.
var appModules = map[string]bool{
	"ManagedPipelineHandler": true, "FastCgiModule": true, "IsapiModule": true,
	"AspNetCoreModule": true, "AspNetCoreModuleV2": true, "CgiModule": true, "iisnode": true,
}

// appPoolUnavailableRule returns the app-pool-unavailable rule.
func appPoolUnavailableRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "app-pool-unavailable",
		Title:    "Application pool or request queue unavailable (503)",
		Severity: diagnose.High,
		Explanation: `IIS answered 503 Service Unavailable itself. 503.0: the application pool is
stopped or disabled (rapid-fail protection stops it after 5 crashes in 5 minutes
by default, WAS events 5002/5011). 503.2: the site or pool reached its
concurrent request limit (appConcurrentRequestLimit). 503.3: the ASP.NET request
queue is full. 503.4: the FastCGI queue is full. Behind a load balancer, a health
check that does not notice this keeps sending users to the broken server.`,
		Looks: []string{"status 503.0, 503.2, 503.3 or 503.4 set by IIS (not by the application's own handler)"},
		Fix: `503.0: start the application pool and find why it stopped (System/Application
event log, WAS 5002/5011, crash dumps with DebugDiag). 503.2/503.3/503.4: raise
the limit (serverRuntime appConcurrentRequestLimit, processModel/requestQueueLimit,
FastCGI queueLength) after checking why requests pile up. Point the load balancer
health check at a URL served by the same application pool.`,
		References: []string{
			"KB 943891: IIS HTTP status codes (503.0, 503.2, 503.3, 503.4) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
			"IIS: rapid-fail protection; WAS events 5002 and 5011",
		},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			if !is(503, s, 0, 2, 3, 4) {
				return nil
			}
			es := s.Trace.ErrorStatus
			if s.Trace.SubStatusCode == 0 && (es == nil || appModules[es.Module] && !infrastructure503(es.Description)) {
				return nil
			}
			ev := []diagnose.Evidence{statusEvidence(s)}
			if es != nil {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "MODULE_SET_RESPONSE_ERROR_STATUS", Value: es.Module + " in " + es.Notification})
			}
			ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "appPoolId", Value: s.Trace.AppPoolID})
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
				Summary: status.Describe(503, s.Trace.SubStatusCode) + " (" + s.Trace.AppPoolID + ")"}
		},
	}
}

// infrastructure503 recognises ASP.NET's own 503 texts (app domain
// shutting down or restarting, queue full), which are the pool failing
// rather than the application answering 503 on purpose.
func infrastructure503(desc string) bool {
	d := strings.ToLower(desc)
	for _, k := range []string{"application domain", "shutting down", "restarting", "queue", "too busy"} {
		if strings.Contains(d, k) {
			return true
		}
	}
	return false
}
