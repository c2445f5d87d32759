package report

import (
	"container/heap"
	"slices"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// maxTableRows bounds the trace table of a page. Past a few thousand rows
// a browser can neither lay out nor usefully filter the table, and every
// row held for the page costs memory in the scan (a report must stay
// within 256 MB whatever the number of traces, issue #18): a page lists
// the traces that matter most (see tablePriority) and says how to get
// the others. The summary, findings, charts and tables still count every
// trace. A scan of up to maxTableRows traces lists them all, as before.
const maxTableRows = 10_000

// tableRows is the trace table of a page: the rows chosen, in table order
// (time, then file), and how many rows the scan had in all.
type tableRows struct {
	rows  []scan.Row
	total int
}

// leftOut is how many traces the table does not list.
func (t tableRows) leftOut() int { return t.total - len(t.rows) }

// pickRows streams the scan's rows once and keeps at most limit of them
// (maxTableRows when limit is 0), the most important by tablePriority,
// so a page of a million traces holds limit rows, never all of them. The
// order is total (the file breaks every tie), so the choice does not
// depend on the order the rows come in, nor on the scan's worker count.
func pickRows(r *scan.Result, limit int) (tableRows, error) {
	if limit <= 0 {
		limit = maxTableRows
	}
	examples := exampleFiles(r)
	h := &rowHeap{}
	var t tableRows
	err := r.EachRow(func(row *scan.Row) error {
		t.total++
		c := candidate{row: *row}
		c.tier, c.sev = tablePriority(row, examples)
		switch {
		case h.Len() < limit:
			heap.Push(h, c)
		case ranksBefore(&c, &(*h)[0]):
			(*h)[0] = c
			heap.Fix(h, 0)
		}
		return nil
	})
	if err != nil {
		return tableRows{}, err
	}
	t.rows = make([]scan.Row, 0, h.Len())
	for _, c := range *h {
		t.rows = append(t.rows, c.row)
	}
	slices.SortFunc(t.rows, tableOrder)
	return t, nil
}

// Tiers of tablePriority, most important first.
const (
	tierExample  = iota // a finding's example or evidence, a drawn handshake step: the page links to it
	tierFinding         // has a finding above Info
	tierFailed          // status 400 or more
	tierOrdinary        // the rest, slowest first
)

// tablePriority ranks a row for the table: the traces the findings and
// the drawn handshakes cite first (their links must land on a row), then traces with findings
// above Info (the most severe first), then failed requests, then the
// rest; within a tier the slowest first, then by time and file. Info
// notes do not lift a trace: one can be on every trace.
func tablePriority(row *scan.Row, examples map[string]bool) (tier int, sev diagnose.Severity) {
	for _, f := range row.Findings {
		if f.Severity > diagnose.Info && f.Severity > sev {
			sev = f.Severity
		}
	}
	switch {
	case examples[row.File]:
		return tierExample, sev
	case sev > diagnose.Info:
		return tierFinding, sev
	case row.StatusCode >= 400:
		return tierFailed, sev
	}
	return tierOrdinary, sev
}

// exampleFiles are the traces the page links to outside its table: each
// finding group's example, its examples' traces, handshake steps and the
// files their evidence names, and the steps of the handshakes it draws. Groups keep
// a bounded number of examples and the page draws a bounded number of
// steps, so the set is small.
func exampleFiles(r *scan.Result) map[string]bool {
	out := map[string]bool{}
	for _, d := range drawnSequences(r) {
		for _, st := range d.steps {
			if st.File != "" {
				out[st.File] = true
			}
		}
	}
	for _, g := range r.Findings {
		if g.Example != "" {
			out[g.Example] = true
		}
		for _, f := range g.Examples {
			for _, t := range f.Traces {
				out[t] = true
			}
			for _, st := range f.Sequence {
				if st.File != "" {
					out[st.File] = true
				}
			}
			for _, e := range f.Evidence {
				if e.File != "" {
					out[e.File] = true
				}
			}
		}
	}
	return out
}

// candidate is a row with its rank in tablePriority.
type candidate struct {
	row  scan.Row
	tier int
	sev  diagnose.Severity
}

// ranksBefore reports whether a belongs in the table before b.
func ranksBefore(a, b *candidate) bool {
	if a.tier != b.tier {
		return a.tier < b.tier
	}
	if a.sev != b.sev {
		return a.sev > b.sev
	}
	if a.row.TimeTakenMs != b.row.TimeTakenMs {
		return a.row.TimeTakenMs > b.row.TimeTakenMs
	}
	return tableOrder(a.row, b.row) < 0
}

// tableOrder is the order of the table: by time, then file, as every
// report lists rows.
func tableOrder(a, b scan.Row) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	switch {
	case a.File < b.File:
		return -1
	case a.File > b.File:
		return 1
	}
	return 0
}

// rowHeap keeps the least important candidate at its root, the one a
// more important row replaces once the table is full.
type rowHeap []candidate

func (h rowHeap) Len() int           { return len(h) }
func (h rowHeap) Less(i, j int) bool { return ranksBefore(&h[j], &h[i]) }
func (h rowHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rowHeap) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *rowHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
