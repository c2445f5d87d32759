package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// A reset connection at a time taken this long, and this close to a round
// number of seconds, points at a timer in a device rather than at the
// application.
const (
	idleMinMs       = 60_000
	idleRoundStepMs = 30_000
	idleToleranceMs = 2_000
	// idleMaxMs bounds the time-outs devices use (hours at most): a reset
	// after a day is a debugger pause or a stuck request, not a timer.
	idleMaxMs = 4 * 3600_000
)

// idleTimeoutResetRule returns the idle-timeout-reset rule.
func idleTimeoutResetRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "idle-timeout-reset",
		Title:    "Long request cut by a load balancer or firewall idle time-out",
		Severity: diagnose.Medium,
		Explanation: `A long-running request (EWS streaming notifications, MAPI/HTTP and RPC/HTTP long
polls, large downloads) ended with the connection reset or gone
(ERROR_NETNAME_DELETED 0x80070040, ERROR_CONNECTION_INVALID 0x800704CD, WSAECONNRESET
0x80072746) after a round amount of time, with a proxy or load balancer in front of
IIS or from a remote client. A load balancer, firewall or NAT device in the path drops
connections that stay idle longer than its time-out, which is shorter than the
application's keep-alive or notification interval.`,
		Looks: []string{
			"a failed write/flush or completion with 0x80070040, 0x800704CD or 0x80072746",
			fmt.Sprintf("time taken of %d s to %d h, within %d s of a multiple of %d s", idleMinMs/1000, idleMaxMs/3600_000, idleToleranceMs/1000, idleRoundStepMs/1000),
			"a proxy in front of IIS, or a client that is not on the server itself (a loopback client has no device in the path)",
		},
		Fix: `Raise the idle time-out of the load balancer / firewall for the Exchange services
above the longest legitimate idle period (Microsoft's guidance for Exchange is at
least 20–30 minutes for MAPI/HTTP and EWS), and set Windows TCP KeepAliveTime on the
servers (HealthChecker recommends 15–60 minutes) so idle connections are refreshed.`,
		VendorFixes: map[string]string{
			kemp:      `KEMP LoadMaster: raise the "Idle Connection Timeout" of the Exchange virtual services (Standard Options; when unset the global L7 "Connection Timeout" applies, 660 s by default) to 1800 s or more.`,
			f5:        `F5 BIG-IP: raise the Idle Timeout of the TCP profile on the Exchange virtual server (e.g. 1800 s).`,
			netscaler: `Citrix NetScaler/ADC: raise the client and server idle time-out (cltTimeout/svrTimeout) of the Exchange vserver and service group.`,
			haproxy:   `HAProxy: raise "timeout client", "timeout server" and "timeout tunnel" for the Exchange frontend/backend.`,
		},
		References: []string{
			"Microsoft: Troubleshooting 502 errors in ARR (0x800704cd on the back end)",
			"CSS-Exchange HealthChecker: TCP KeepAliveTime check",
		},
		Trace: idleTimeoutReset,
	}
}

func idleTimeoutReset(s *diagnose.Subject) *diagnose.Match {
	code, ok := s.HasErrorCode(netnameDeleted, connectionInvalid, connectionReset)
	taken := s.Trace.TimeTakenMs
	if !ok || taken < idleMinMs || taken > idleMaxMs {
		return nil
	}
	// Nothing stands between a loopback client and IIS, so no device can
	// have timed the connection out: on a developer box a long pause is a
	// debugger or the client itself.
	if !s.Proxy.Present && isLoopback(s.Trace.ClientAddress) {
		return nil
	}
	off := taken % idleRoundStepMs
	if off > idleToleranceMs && idleRoundStepMs-off > idleToleranceMs {
		return nil
	}
	ev := []diagnose.Evidence{codeEvidence(s, code),
		{Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms (≈ %d s)", taken, (taken+idleRoundStepMs/2)/1000/30*30)},
		urlEvidence(s)}
	conf := diagnose.ConfidenceMedium
	if s.Proxy.Present {
		conf = diagnose.ConfidenceHigh
		ev = append(ev, s.ProxyEvidence()...)
	}
	return &diagnose.Match{Confidence: conf, Evidence: ev,
		Summary: fmt.Sprintf("the connection was reset after %d s, a round time-out", (taken+500)/1000)}
}
