// Package scan runs frebscan's pipeline over files and directories: find
// the traces, read and diagnose them in parallel, correlate each client's
// requests, and aggregate everything a report needs.
package scan

import (
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/redact"
)

// DiagnosedTrace is one trace as reports present it in full: the trace
// (redacted unless the user asked otherwise), what frebscan concluded
// about it, and the fingerprints behind those conclusions. A scan keeps
// one per trace only when asked (Options.KeepTraces); otherwise it keeps
// a compact Row.
type DiagnosedTrace struct {
	*freb.Trace
	Proxy    *diagnose.ProxyView  `json:"proxy,omitempty"`
	Client   *diagnose.ClientView `json:"client,omitempty"`
	Findings []diagnose.Finding   `json:"findings"`
}

// newDiagnosedTrace presents a diagnosed subject; the trace is redacted
// here, after the rules saw it as recorded.
func newDiagnosedTrace(s *diagnose.Subject, findings []diagnose.Finding) *DiagnosedTrace {
	fs := append([]diagnose.Finding{}, findings...)
	diagnose.Sort(fs)
	t := s.Trace
	if !s.Settings.NoRedact {
		t = redact.Trace(t)
	}
	d := &DiagnosedTrace{Trace: t, Client: &s.Client, Findings: fs}
	if s.Proxy.Present {
		d.Proxy = &s.Proxy
	}
	return d
}
