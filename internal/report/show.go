package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// writeShowText writes one view per trace, then the findings that span
// several traces (a client's handshake), once.
func writeShowText(w io.Writer, d Document, o Options) error {
	var across []diagnose.Finding
	for _, dt := range d.Result.Diagnosed {
		own := *dt
		own.Findings = nil
		for _, f := range dt.Findings {
			if len(f.Sequence) > 0 {
				across = append(across, f)
				continue
			}
			own.Findings = append(own.Findings, f)
		}
		if err := WriteTraceText(w, &own, TraceOptions{Style: o.Style, AllEvents: o.AllEvents}); err != nil {
			return err
		}
	}
	if len(across) == 0 {
		return nil
	}
	diagnose.Sort(across)
	var b strings.Builder
	WriteFindingsText(&b, "Across traces (same client, user agent and URL)", across, o.Style)
	_, err := io.WriteString(w, Neutralise(b.String(), o.Style.Color))
	return err
}

// writeShowJSON writes the traces: one object for one file named, an
// array when several were named (or one pattern matched several), whatever
// number of them could be read.
func writeShowJSON(w io.Writer, d Document, o Options) error {
	r := d.Result
	array := len(r.Inputs) > 1 || len(r.Diagnosed) > 1
	if len(r.Diagnosed) == 0 && !array {
		return nil
	}
	return WriteTracesJSON(w, r.Diagnosed, o.AllEvents, array)
}

// writeShowHTML writes the same self-contained page as a scan, with every
// trace in full (they are in the result already).
func writeShowHTML(w io.Writer, d Document, o Options) error {
	r := d.Result
	if len(r.Diagnosed) == 0 {
		return nil
	}
	byFile := make(map[string]*scan.DiagnosedTrace, len(r.Diagnosed))
	for _, dt := range r.Diagnosed {
		byFile[dt.File] = dt
	}
	o.Detail = func(file string) (*scan.DiagnosedTrace, error) {
		if dt := byFile[file]; dt != nil {
			return dt, nil
		}
		return nil, fmt.Errorf("%s: not among the files shown", file)
	}
	// The user named these traces: each carries its events in full.
	o.AllEvents = true
	return writeScanHTML(w, r, o)
}
