package report

import (
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// TraceDoc is one trace as reports present it: the trace (already
// redacted unless the user asked otherwise), what frebscan concluded about
// it, and the fingerprints behind those conclusions.
type TraceDoc struct {
	*freb.Trace
	Proxy    *diagnose.ProxyView  `json:"proxy,omitempty"`
	Client   *diagnose.ClientView `json:"client,omitempty"`
	Findings []diagnose.Finding   `json:"findings"`
}
