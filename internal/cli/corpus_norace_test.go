//go:build !race

package cli

// corpusFiles is the size of the generated folder the scan tests read.
const corpusFiles = 2000
