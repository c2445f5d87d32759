package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// arrBackendAbortedRule returns the arr-backend-aborted rule.
func arrBackendAbortedRule() *diagnose.Rule {
	return arrRule("arr-backend-aborted", "Back end closed the connection mid-response (502.3, connection aborted)", winhttpAborted, 3,
		`The back-end server closed the connection while ARR was reading the response:
WinHTTP reports ERROR_WINHTTP_CONNECTION_ERROR / connection aborted (0x80072EFE,
12030). The application called Response.Close or crashed, the worker process was
recycled, or a device between ARR and the back end reset an idle connection.
The back end's HTTPERR log shows Connection_Dropped.`,
		`Look at the back end: application errors and recycles at that time, HTTPERR
Connection_Dropped entries; align keep-alive and idle time-outs of ARR, the back
end and any firewall between them.`,
		"error 0x80072EFE (connection aborted) on the ARR request")
}
