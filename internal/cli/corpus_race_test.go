//go:build race

package cli

// corpusFiles is the size of the generated folder the scan tests read: 500
// under the race detector, which slows an in-process scan about tenfold;
// the properties tested (status counts, formats, filters) do not depend on
// the size.
const corpusFiles = 500
