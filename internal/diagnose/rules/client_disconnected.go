package rules

import (
	"fmt"
	"strconv"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// Error codes of a connection the client closed.
const (
	operationAborted uint32 = 0x800703E3 // ERROR_OPERATION_ABORTED: the I/O was cancelled
	connAbortedLocal uint32 = 0x800704D4 // ERROR_CONNECTION_ABORTED (1236)
)

// clientDisconnectedRule returns the client-disconnected rule.
func clientDisconnectedRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "client-disconnected",
		Title:    "The client went away before the response was complete",
		Severity: diagnose.Low,
		Explanation: `IIS could not finish sending the response (or reading the request body) because
the connection was closed from the other side: the user navigated away, closed the
browser or cancelled a download, or a mobile client lost its network. The write
fails with ERROR_OPERATION_ABORTED (0x800703E3), ERROR_CONNECTION_INVALID
(0x800704CD), ERROR_NETNAME_DELETED (0x80070040) or a reset (0x80072746). That is
not a server fault. It is different from an idle time-out, where a device in the
path cuts long requests after a fixed time (idle-timeout-reset).`,
		Looks: []string{"a failed GENERAL_FLUSH_RESPONSE_END or GENERAL_READ_ENTITY_END", "fewer bytes sent than the file (GENERAL_RESPONSE_ENTITY_FILE Size) or the Content-Length"},
		Fix: `Usually nothing. When it happens to many downloads, look at the size and time
taken: slow clients on large files (enable resumable downloads, a CDN), or a proxy
with a short time-out in front of IIS.`,
		References: []string{"Microsoft: HTTP.sys and IIS client disconnect errors (0x800703E3, 0x800704CD)"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			if idleTimeoutReset(s) != nil {
				return nil
			}
			t := s.Trace
			for _, e := range t.IOErrors {
				if !clientGone(e.ErrorCode) {
					continue
				}
				ev := []diagnose.Evidence{urlEvidence(s), statusEvidence(s), codeEvidence(s, e.ErrorCode)}
				switch e.Name {
				case "GENERAL_READ_ENTITY_END":
					ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "BytesReceived", Value: formatInt(t.BytesReceived)})
					return &diagnose.Match{Confidence: diagnose.ConfidenceMedium, Evidence: ev,
						Summary: fmt.Sprintf("the client stopped sending the request body after %d bytes", t.BytesReceived)}
				case "GENERAL_FLUSH_RESPONSE_END":
					want, cut := s.DownloadCut()
					if !cut {
						continue
					}
					ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "BytesSent", Value: fmt.Sprintf("%d of %d", t.BytesSent, want)})
					return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
						Summary: fmt.Sprintf("the client closed the connection after %d of %d bytes (%.0f%%)", t.BytesSent, want, 100*float64(t.BytesSent)/float64(want))}
				}
			}
			return nil
		},
	}
}

func clientGone(code uint32) bool {
	switch code {
	case operationAborted, connectionInvalid, connAbortedLocal, netnameDeleted, connectionReset:
		return true
	}
	return false
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
