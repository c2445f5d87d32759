package main

import (
	"github.com/spf13/pflag"
)

// registerLimitFlags adds the per-file limits scan and show share
// (scan.ParseLimits reads them; docs/SECURITY.md explains them).
func registerLimitFlags(f *pflag.FlagSet, fileSize, eventSize *string, headers *int) {
	f.StringVar(fileSize, "max-file-size", "1GB", "read at most this much of one file (0: no limit); the rest is skipped with a warning")
	f.StringVar(eventSize, "max-event-size", "64MB", "largest <Event> held in memory; a larger one is skipped with a warning")
	f.IntVar(headers, "max-headers", 1000, "headers kept per header block; the rest are dropped with a warning")
}
