// Package show runs `frebscan show`: read the named traces, diagnose them
// (alone and as sequences from the same client), and write one view per
// trace.
package show

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/report"
	"github.com/frebscan/frebscan/internal/scan"
)

// Options are the flags of `frebscan show`.
type Options struct {
	Files    []string
	Format   string // text, json or html
	Events   string // notable, all or none
	NoRedact bool
	SlowMs   int64
	Style    report.Style
	// Limits bound what one file may cost (scan.ParseLimits).
	Limits scan.Limits
}

// Run shows every file. Files that cannot be read are reported on errw and
// make ok false; the others are still shown, because one broken file in a
// list should not hide the rest.
func Run(w, errw io.Writer, opts Options) (ok bool, err error) {
	switch opts.Format {
	case "text", "json", "html":
	default:
		return false, fmt.Errorf("unknown --format %q (want text, json or html)", opts.Format)
	}
	switch opts.Events {
	case "notable", "all", "none":
	default:
		return false, fmt.Errorf("unknown --events %q (want notable, all or none)", opts.Events)
	}
	docs, traced, seqFindings, ok := diagnoseFiles(errw, opts)
	if opts.Format == "html" {
		return ok, writeHTML(w, docs, traced, opts)
	}
	if opts.Format == "json" {
		if len(docs) == 0 {
			return ok, nil
		}
		return ok, report.WriteTracesJSON(w, docs, opts.Events == "all")
	}
	for _, d := range docs {
		if err := report.WriteTraceText(w, d, report.TraceOptions{Style: opts.Style, AllEvents: opts.Events == "all"}); err != nil {
			return ok, err
		}
	}
	if len(seqFindings) > 0 {
		var b strings.Builder
		report.WriteFindingsText(&b, "Across traces (same client, user agent and URL)", seqFindings, opts.Style)
		if _, err := io.WriteString(w, report.Neutralise(b.String(), opts.Style.Color)); err != nil {
			return ok, err
		}
	}
	return ok, nil
}

// diagnoseFiles reads and diagnoses the files. Sequence findings are also
// attached to the last trace of their sequence, so JSON readers see them
// on the request that failed.
func diagnoseFiles(errw io.Writer, opts Options) ([]*scan.TraceDoc, []scan.Traced, []diagnose.Finding, bool) {
	ok := true
	engine := rules.Engine()
	in := scan.InspectOptions{Read: freb.DefaultOptions(), Settings: diagnose.DefaultSettings(), Engine: engine}
	in.Settings.NoRedact = opts.NoRedact
	if opts.SlowMs > 0 {
		in.Settings.SlowMs = opts.SlowMs
	}
	in.Read.KeepEvents = opts.Events != "none"
	opts.Limits.Apply(&in.Read)
	corr := diagnose.NewCorrelator()
	var docs []*scan.TraceDoc
	var traced []scan.Traced
	byFile := map[string]*scan.TraceDoc{}
	for _, path := range opts.Files {
		d, s, err := scan.Inspect(path, in)
		if err != nil {
			fmt.Fprintln(errw, "frebscan:", report.Neutralise(err.Error(), false))
			ok = false
			continue
		}
		corr.Add(s)
		docs = append(docs, d)
		var size int64
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		// The trace's own findings, before sequence findings are added
		// below: the HTML report correlates on its own.
		traced = append(traced, scan.Traced{Subject: s, Findings: d.Findings[:len(d.Findings):len(d.Findings)], Size: size})
		byFile[d.File] = d
	}
	var seqFindings []diagnose.Finding
	for _, seq := range corr.Sequences() {
		for _, f := range engine.Sequence(seq) {
			seqFindings = append(seqFindings, f)
			if d := byFile[f.Traces[len(f.Traces)-1]]; d != nil {
				d.Findings = append(d.Findings, f)
			}
		}
	}
	diagnose.Sort(seqFindings)
	return docs, traced, seqFindings, ok
}

// writeHTML writes the same self-contained page as scan --format html,
// with the given traces in full (they are in memory already).
func writeHTML(w io.Writer, docs []*scan.TraceDoc, traced []scan.Traced, opts Options) error {
	if len(docs) == 0 {
		return nil
	}
	settings := diagnose.DefaultSettings()
	settings.NoRedact = opts.NoRedact
	r := scan.Collect(traced, scan.Options{Inputs: opts.Files, Settings: settings, Tool: "frebscan show"})
	byFile := make(map[string]*scan.TraceDoc, len(docs))
	for _, d := range docs {
		byFile[d.File] = d
	}
	detail := func(file string) (*scan.TraceDoc, error) {
		if d := byFile[file]; d != nil {
			return d, nil
		}
		return nil, fmt.Errorf("%s: not among the files shown", file)
	}
	return report.WriteScan(w, "html", r, report.ScanOptions{Detail: detail})
}
