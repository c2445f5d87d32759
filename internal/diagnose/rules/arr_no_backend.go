package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// arrNoBackendRule returns the arr-no-backend rule.
func arrNoBackendRule() *diagnose.Rule {
	return arrRule("arr-no-backend", "ARR found no healthy back-end server (502.4)", 0, 4,
		`Every server in the ARR server farm is offline or marked unhealthy, so ARR
answered "502.4 No appropriate server could be found to route the request".
Health tests failing (wrong URL, expected text, time-out) take servers out of the
farm even when they work.`,
		`In IIS Manager → Server Farms → Monitoring and Management, check each server's
state and health; fix the health test URL/response match, or bring the servers
online.`,
		"status 502.4")
}
