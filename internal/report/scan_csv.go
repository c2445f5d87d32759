package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/scan"
)

// csvHeader is the column order of `scan --format csv`: one row per trace,
// the findings as a semicolon list, ready for a spreadsheet's filters.
// "unexplained" holds, for a failed trace no rule explains, its failure
// and what the trace says; filtering on it gives the unexplained groups.
var csvHeader = []string{"time", "file", "server", "site", "verb", "url", "status", "time_taken_ms", "failure_reason",
	"client", "user_agent", "client_family", "proxy", "auth", "error_module", "error_code", "findings", "max_severity", "unexplained", "truncated", "warnings"}

func writeScanCSV(w io.Writer, r *scan.Result, _ Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	err := r.EachRow(func(row *scan.Row) error {
		var rules []string
		for _, f := range row.Findings {
			rules = append(rules, f.Rule)
		}
		maxSev := maxSeverity(row.Findings)
		ts := ""
		if !row.Time.IsZero() {
			ts = row.Time.UTC().Format(time.RFC3339Nano)
		}
		rec := []string{ts, row.File, row.Server, row.SiteID, row.Verb, row.URL, row.Status, strconv.FormatInt(row.TimeTakenMs, 10),
			row.FailureReason, row.Client, row.UserAgent, row.ClientFamily, row.Proxy, row.Auth, row.ErrorModule, row.ErrorCode,
			strings.Join(rules, ";"), maxSev, row.Unexplained.Text(), strconv.FormatBool(row.Truncated), strconv.Itoa(row.Warnings)}
		for i, v := range rec {
			rec[i] = csvSafe(v)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func maxSeverity(refs []scan.Ref) string {
	if len(refs) == 0 {
		return ""
	}
	best := refs[0].Severity
	for _, f := range refs[1:] {
		if f.Severity > best {
			best = f.Severity
		}
	}
	return best.String()
}

// csvSafe defuses spreadsheet formula injection: trace values are hostile
// (a User-Agent of "=HYPERLINK(...)" would run when the CSV is opened).
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
