package scan

import (
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
)

// Traced is one trace read and diagnosed on its own by a caller that reads
// traces itself (frebscan show reads the files it is given in full).
type Traced struct {
	// Subject holds the trace as read, not redacted: the aggregate redacts
	// what it keeps exactly as a scan does.
	Subject *diagnose.Subject
	// Findings are the trace's own findings, without sequence findings:
	// Collect correlates the traces itself.
	Findings []diagnose.Finding
	Size     int64
}

// Collect aggregates traces read elsewhere into a Result, the way Run
// aggregates the files it reads, so every report format can present them.
// Filters in opts apply as in Run; Inputs and Tool are copied.
func Collect(items []Traced, opts Options) *Result {
	agg := newAggregator(opts, rules.Engine())
	for _, it := range items {
		agg.add(outcome{path: it.Subject.Trace.File, size: it.Size, trace: it.Subject.Trace, subject: it.Subject, findings: it.Findings})
	}
	r := agg.finish()
	r.Correlation = agg.corr.All()
	r.Filters = opts.FilterDesc
	r.DurationSeconds = time.Since(agg.started).Seconds()
	return r
}
