//go:build race

package cli

// corpusFiles is the size of the generated folder the scan tests read: 500
// traces without their padding under the race detector, which slows an
// in-process scan about tenfold. The properties tested (status counts,
// formats, filters, concurrency) do not depend on the bytes; the padded
// 2,000-trace folder is scanned by make test's second pass, without -race.
const (
	corpusFiles    = 500
	corpusUnpadded = true
)
