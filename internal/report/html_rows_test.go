package report

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
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
