//go:build !race

package cli

// corpusFiles is the size of the generated folder the scan tests read:
// 2,000 traces of realistic size (20–500 KB).
const (
	corpusFiles    = 2000
	corpusUnpadded = false
)
