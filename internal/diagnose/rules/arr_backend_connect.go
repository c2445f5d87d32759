package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// arrBackendConnectRule returns the arr-backend-connect rule.
func arrBackendConnectRule() *diagnose.Rule {
	return arrRule("arr-backend-connect", "ARR cannot connect to the back end (502.3, WinHTTP cannot connect)", winhttpCannotConn, 3,
		`ARR could not open a TCP connection to the back-end server: WinHTTP reports
ERROR_WINHTTP_CANNOT_CONNECT (0x80072EFD, 12029). The service on the back end is
down or listens on another port, a firewall blocks it, the name resolves to the
wrong address, or the proxy ran out of source ports.`,
		`Check that the back end listens on the farm's port (netstat -ano, Test-NetConnection
<server> -Port <port> from the ARR server), the firewall between them, DNS for the
farm member names, and the health test status in IIS Manager.`,
		"status 502.3 with error 0x80072EFD (ERROR_WINHTTP_CANNOT_CONNECT)")
}
