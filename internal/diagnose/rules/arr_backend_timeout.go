package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// arrBackendTimeoutRule returns the arr-backend-timeout rule.
func arrBackendTimeoutRule() *diagnose.Rule {
	r := arrRule("arr-backend-timeout", "ARR gave up waiting for the back end (502.3, WinHTTP timeout)", winhttpTimeout, 3,
		`ARR forwarded the request and the back-end server did not answer within ARR's
proxy time-out (server farm → Proxy → Time-out, 30 s by default): WinHTTP reports
ERROR_WINHTTP_TIMEOUT (0x80072EE2, 12002) and ARR answers 502.3. The time taken
is close to the time-out. The back end usually logged a 200 with win32 status 64
because ARR closed the connection before it finished.`,
		`Raise the server farm's proxy time-out above the slowest legitimate request, and
find out why the back end is slow (its own FREB rule on time taken). Keep the
load balancer's idle time-out above ARR's.`,
		"status 502.3 with error 0x80072EE2 (ERROR_WINHTTP_TIMEOUT)", "time taken close to the proxy time-out")
	// The time-out explains the time taken as well.
	r.Supersedes = []string{"slow-request"}
	return r
}
