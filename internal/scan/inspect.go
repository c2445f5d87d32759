// Package scan runs frebscan's pipeline over files and directories: find
// the traces, read and diagnose them in parallel, correlate each client's
// requests, and aggregate everything a report needs.
package scan

import (
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/redact"
)

// TraceDoc is one trace as reports present it: the trace (redacted unless
// the user asked otherwise), what frebscan concluded about it, and the
// fingerprints behind those conclusions.
type TraceDoc struct {
	*freb.Trace
	Proxy    *diagnose.ProxyView  `json:"proxy,omitempty"`
	Client   *diagnose.ClientView `json:"client,omitempty"`
	Findings []diagnose.Finding   `json:"findings"`
}

// InspectOptions say how to read and present one trace in full.
type InspectOptions struct {
	Read     freb.Options
	Settings diagnose.Settings
	Engine   *diagnose.Engine
}

// Inspect reads one file in full and diagnoses it on its own. The subject
// is returned too so callers can correlate several files.
func Inspect(path string, opts InspectOptions) (*TraceDoc, *diagnose.Subject, error) {
	t, err := freb.ReadFile(path, opts.Read)
	if err != nil {
		return nil, nil, err
	}
	engine := opts.Engine
	if engine == nil {
		engine = rules.Engine()
	}
	s := diagnose.NewSubject(t, opts.Settings)
	findings := engine.Trace(s)
	diagnose.Sort(findings)
	if !opts.Settings.NoRedact {
		t = redact.Trace(t)
	}
	d := &TraceDoc{Trace: t, Client: &s.Client, Findings: findings}
	if s.Proxy.Present {
		d.Proxy = &s.Proxy
	}
	return d, s, nil
}
