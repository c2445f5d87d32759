package report

import (
	"io"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/scan"
)

// testEngine is the whole catalogue, built once for the package's tests.
var testEngine = func() *diagnose.Engine {
	e, err := diagnose.NewEngine(rules.Catalogue())
	if err != nil {
		panic(err)
	}
	return e
}()

// scanOptions fills what the command layer would: the engine, a clock and
// the default settings.
func scanOptions(o scan.Options) scan.Options {
	if o.Settings.SlowMs == 0 {
		o.Settings = diagnose.DefaultSettings()
	}
	if o.Engine == nil {
		o.Engine = testEngine
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// writeScan writes a scan result in a format, as `frebscan scan` does.
func writeScan(w io.Writer, format string, r *scan.Result, o Options) error {
	return Write(w, format, Document{Kind: KindScan, Result: r}, o)
}
