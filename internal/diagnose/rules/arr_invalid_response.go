package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// arrInvalidResponseRule returns the arr-invalid-response rule.
func arrInvalidResponseRule() *diagnose.Rule {
	return arrRule("arr-invalid-response", "Back end sent an invalid HTTP response (502.3, invalid server response)", winhttpInvalidResp, 3,
		`WinHTTP could not parse what the back end sent: ERROR_WINHTTP_INVALID_SERVER_RESPONSE
(0x80072F78, 12152). The back end wrote malformed headers, closed after a partial
response or flush, or something between them altered the stream.`,
		`Capture the back-end response (FREB on the back end with GENERAL_RESPONSE_HEADERS,
or a network trace between ARR and the back end) and fix the application or
device that breaks the response framing.`,
		"error 0x80072F78 (ERROR_WINHTTP_INVALID_SERVER_RESPONSE)")
}
