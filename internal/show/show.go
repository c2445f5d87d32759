// Package show runs `frebscan show`: read the named traces and write one
// view per trace.
package show

import (
	"fmt"
	"io"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/redact"
	"github.com/frebscan/frebscan/internal/report"
)

// Options are the flags of `frebscan show`.
type Options struct {
	Files    []string
	Format   string // text or json
	Events   string // notable, all or none
	NoRedact bool
	Style    report.Style
}

// Run shows every file. Files that cannot be read are reported on errw and
// make ok false; the others are still shown, because one broken file in a
// list should not hide the rest.
func Run(w, errw io.Writer, opts Options) (ok bool, err error) {
	switch opts.Format {
	case "text", "json":
	default:
		return false, fmt.Errorf("unknown --format %q (want text or json)", opts.Format)
	}
	switch opts.Events {
	case "notable", "all", "none":
	default:
		return false, fmt.Errorf("unknown --events %q (want notable, all or none)", opts.Events)
	}
	ok = true
	var traces []*freb.Trace
	readOpts := freb.DefaultOptions()
	readOpts.KeepEvents = opts.Events != "none"
	for _, path := range opts.Files {
		t, rerr := freb.ReadFile(path, readOpts)
		if rerr != nil {
			fmt.Fprintln(errw, "frebscan:", rerr)
			ok = false
			continue
		}
		if !opts.NoRedact {
			t = redact.Trace(t)
		}
		traces = append(traces, t)
	}
	if opts.Format == "json" {
		if len(traces) == 0 {
			return ok, nil
		}
		return ok, report.WriteTracesJSON(w, traces, opts.Events == "all")
	}
	for _, t := range traces {
		if err := report.WriteTraceText(w, t, report.TraceOptions{Style: opts.Style, AllEvents: opts.Events == "all"}); err != nil {
			return ok, err
		}
	}
	return ok, nil
}
