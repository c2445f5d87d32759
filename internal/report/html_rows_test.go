package report

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/scan"
)

// TestPickRows: the page's table keeps at most its bound of rows, chosen
// by priority (a finding's example, then findings above Info by
// severity, then failed, then the rest; slowest first within each; ties
// by time then file), listed in table order whatever order they come in.
func TestPickRows(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	row := func(file string, sec, status int, ms int64, sev ...diagnose.Severity) scan.Row {
		r := scan.Row{File: file, Time: t0.Add(time.Duration(sec) * time.Second), StatusCode: status, TimeTakenMs: ms, Findings: []scan.Ref{}}
		for _, s := range sev {
			r.Findings = append(r.Findings, scan.Ref{Rule: "r", Severity: s})
		}
		return r
	}
	example := scan.Group{Rule: "x", Severity: diagnose.High, Example: "ex.xml",
		Examples: []diagnose.Finding{{Traces: []string{"leg.xml"}, Evidence: []diagnose.Evidence{{File: "evid.xml"}}}}}
	tests := []struct {
		name     string
		rows     []scan.Row
		findings []scan.Group
		seqs     []*diagnose.Sequence
		limit    int
		want     []string // files, in table order
	}{
		{
			name:  "bound respected: the slowest",
			rows:  []scan.Row{row("a", 1, 200, 10), row("b", 2, 200, 50), row("c", 3, 200, 30), row("d", 4, 200, 40), row("e", 5, 200, 20)},
			limit: 3,
			want:  []string{"b", "c", "d"},
		},
		{
			name:  "ties by time then file",
			rows:  []scan.Row{row("z", 5, 200, 10), row("b", 2, 200, 10), row("a", 2, 200, 10), row("c", 1, 200, 10)},
			limit: 2,
			want:  []string{"c", "a"},
		},
		{
			name: "examples, then findings, then failed, then slowest",
			rows: []scan.Row{
				row("slow", 1, 200, 90000), row("fail", 2, 500, 1), row("find", 3, 200, 1, diagnose.Low),
				row("ex.xml", 4, 200, 1), row("leg.xml", 5, 401, 1), row("evid.xml", 6, 200, 1),
			},
			findings: []scan.Group{example},
			limit:    5,
			want:     []string{"fail", "find", "ex.xml", "leg.xml", "evid.xml"},
		},
		{
			name:     "every example before any finding",
			rows:     []scan.Row{row("find", 1, 500, 9000, diagnose.Critical), row("ex.xml", 2, 200, 1)},
			findings: []scan.Group{example},
			limit:    1,
			want:     []string{"ex.xml"},
		},
		{
			name: "the steps of a drawn handshake, a finding's sequence",
			rows: []scan.Row{row("slow", 1, 500, 9000), row("s1", 2, 401, 1), row("s2", 3, 403, 1), row("q2", 4, 200, 1)},
			findings: []scan.Group{{Rule: "y", Severity: diagnose.Medium,
				Examples: []diagnose.Finding{{Sequence: []diagnose.SequenceStep{{File: "q2"}}}}}},
			seqs: []*diagnose.Sequence{{Key: "k", Steps: []diagnose.SequenceStep{
				{File: "s1", Time: t0.Add(2 * time.Second), Code: 401, Status: "401.2"},
				{File: "s2", Time: t0.Add(3 * time.Second), Code: 403, Status: "403.4"}}}},
			limit: 3,
			want:  []string{"s1", "s2", "q2"},
		},
		{
			name:  "findings by severity, then slowest",
			rows:  []scan.Row{row("low", 1, 200, 900, diagnose.Low), row("high", 2, 200, 1, diagnose.Info, diagnose.High), row("med1", 3, 200, 5, diagnose.Medium), row("med2", 4, 200, 6, diagnose.Medium)},
			limit: 2,
			want:  []string{"high", "med2"},
		},
		{
			name:  "an Info note lifts nothing",
			rows:  []scan.Row{row("info", 1, 200, 5, diagnose.Info), row("fail", 2, 404, 1), row("slow", 3, 200, 6)},
			limit: 2,
			want:  []string{"fail", "slow"},
		},
		{
			name:  "within the bound: every row, table order",
			rows:  []scan.Row{row("c", 3, 200, 1), row("a", 1, 500, 1), row("b", 1, 200, 1, diagnose.High)},
			limit: 3,
			want:  []string{"a", "b", "c"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Any order of arrival chooses the same rows.
			for seed := range uint64(4) {
				rows := slices.Clone(tc.rows)
				rand.New(rand.NewPCG(seed, 1)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
				got, err := pickRows(&scan.Result{Traces: rows, Findings: tc.findings, Correlation: tc.seqs}, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				var files []string
				for _, r := range got.rows {
					files = append(files, r.File)
				}
				if !slices.Equal(files, tc.want) {
					t.Errorf("seed %d: table %v, want %v", seed, files, tc.want)
				}
				if got.total != len(tc.rows) || got.leftOut() != len(tc.rows)-len(tc.want) {
					t.Errorf("seed %d: total %d, left out %d; want %d, %d", seed, got.total, got.leftOut(), len(tc.rows), len(tc.rows)-len(tc.want))
				}
			}
		})
	}
}

var rowLinkRe = regexp.MustCompile(`href="#t-(\d+)"`)

// TestHTMLBoundedTable: a scan of more traces than the table's bound lists
// exactly the bound, says how many it left out and how to get them all,
// still counts every trace in the summary, and every link of the page
// lands on a row it lists. Spilled rows give the same page as rows in
// memory.
func TestHTMLBoundedTable(t *testing.T) {
	t.Parallel()
	render := func(rowsInMemory, bound int) (*scan.Result, string) {
		so := scanOptions(scan.Options{Inputs: []string{samplesDir}, Tool: "frebscan test", Clock: goldenClock, RowsInMemory: rowsInMemory, TempDir: t.TempDir()})
		r, err := scan.Run(context.Background(), so)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		r.Outside = rules.Outside(nil, r.OutsideFacts())
		var b bytes.Buffer
		if err := writeScan(&b, "html", r, Options{Detail: scan.Detailer(so), tableRows: bound}); err != nil {
			t.Fatal(err)
		}
		return r, b.String()
	}
	// The bound is the number of traces the page may link to: the table
	// then lists those, and every link still lands on a row.
	first, whole := render(0, 0)
	bound := len(exampleFiles(first))
	r, html := render(0, bound)
	total := r.Summary.Matched
	if total <= bound || bound == 0 {
		t.Fatalf("the samples hold %d traces and link to %d: want more traces than links, and links", total, bound)
	}
	if n := strings.Count(html, `<tbody id="t-`); n != bound {
		t.Errorf("%d trace rows, want the bound %d", n, bound)
	}
	for _, want := range []string{
		fmt.Sprintf("This table lists %d of the %d traces and leaves %d out", bound, total, total-bound),
		fmt.Sprintf("Traces (%d of %d)", bound, total),
		"frebscan scan --format ndjson", "--format csv", "frebscan show FILE",
		fmt.Sprintf("The %d traces the table leaves out are in frebscan scan --format ndjson or csv.", total-bound),
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(html, scope(r.Summary)) {
		t.Errorf("the summary should still count every trace: %q", scope(r.Summary))
	}
	links := rowLinkRe.FindAllStringSubmatch(html, -1)
	for _, m := range links {
		if i, _ := strconv.Atoi(m[1]); i >= bound {
			t.Errorf("link to row %s: the table has %d", m[0], bound)
		}
	}
	// The traces the findings and the drawn handshakes cite come first.
	if got, want := len(links), len(rowLinkRe.FindAllString(whole, -1)); got != want || want == 0 {
		t.Errorf("%d links to trace rows with the table bounded, %d with every row", got, want)
	}
	_, spilled := render(3, bound)
	if spilled != html {
		t.Errorf("spilled rows give another page: first difference at byte %d", firstDiff([]byte(html), []byte(spilled)))
	}
}
