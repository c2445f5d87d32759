package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// Kind is what a command prints.
type Kind int

// The kinds of document: a scan's incident report, the traces `show`
// presents one by one, and the rule catalogue.
const (
	KindScan Kind = iota
	KindShow
	KindRules
)

func (k Kind) String() string {
	return [...]string{"scan", "show", "rules"}[k]
}

// Document is what a command hands a writer: a scan result (scan and show;
// show's result keeps its traces in full) or the rules.
type Document struct {
	Kind   Kind
	Result *scan.Result
	Rules  []*diagnose.Rule
	// Outside is the guide to failures FREB cannot show, which the rule
	// catalogue prints after the rules (rules.OutsideGuide).
	Outside []diagnose.OutsideNote
}

// Options are what writers may need besides the document.
type Options struct {
	Style Style
	// Detail re-reads one trace in full for formats that show traces
	// expanded (HTML of a scan); nil means compact rows only. A show
	// result needs none: it holds its traces.
	Detail func(file string) (*scan.DiagnosedTrace, error)
	// AllEvents lists every event of a shown trace (text) or includes the
	// events at all (JSON), instead of the notable ones.
	AllEvents bool
	// tableRows bounds the trace table of an HTML page (maxTableRows when
	// 0); tests lower it rather than scan ten thousand traces.
	tableRows int
}

// Writer writes one document in one format.
type Writer func(w io.Writer, d Document, o Options) error

// Format is one output format and the writer it has for each kind of
// document; nil where the format does not apply. Adding a format is one
// file with its writers plus one line in formats.
type Format struct {
	Name              string
	Scan, Show, Rules Writer
}

var formats = []Format{
	{Name: "text", Scan: onResult(writeScanText), Show: writeShowText, Rules: writeRulesText},
	{Name: "json", Scan: onResult(writeScanJSON), Show: writeShowJSON, Rules: writeRulesJSON},
	{Name: "ndjson", Scan: onResult(writeScanNDJSON)},
	{Name: "ndjson-flat", Scan: onResult(writeScanNDJSONFlat)},
	{Name: "csv", Scan: onResult(writeScanCSV)},
	{Name: "html", Scan: onResult(writeScanHTML), Show: writeShowHTML},
	{Name: "markdown", Rules: writeRulesMarkdown},
}

func (f Format) writer(k Kind) Writer {
	switch k {
	case KindScan:
		return f.Scan
	case KindShow:
		return f.Show
	}
	return f.Rules
}

// Formats lists the formats a kind of document can be written in, in the
// order help texts name them.
func Formats(k Kind) []string {
	var out []string
	for _, f := range formats {
		if f.writer(k) != nil {
			out = append(out, f.Name)
		}
	}
	return out
}

// Write writes d in the named format.
func Write(w io.Writer, format string, d Document, o Options) error {
	for _, f := range formats {
		if f.Name == format {
			if wr := f.writer(d.Kind); wr != nil {
				return wr(w, d, o)
			}
		}
	}
	return fmt.Errorf("unknown --format %q for %s (want %s)", format, d.Kind, strings.Join(Formats(d.Kind), ", "))
}

// onResult adapts a writer of scan results.
func onResult(f func(io.Writer, *scan.Result, Options) error) Writer {
	return func(w io.Writer, d Document, o Options) error { return f(w, d.Result, o) }
}
