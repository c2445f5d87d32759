//go:build !race

// The 10,000-trace report (building it generates, reads and diagnoses
// 10,000 traces) and the bounded table (the samples rendered at every
// bound): under -race they cost minutes of CPU and found nothing the scan
// package's race tests do not. make test runs this file in its
// second pass, without -race.

package report

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/scan"
)

// TestBrowserLargeReport loads the 10,000-trace report and logs the load
// time Chromium measured. It is logged, not asserted: timing on a shared
// machine is no pass/fail signal (BenchmarkHTMLLargeLoad repeats it).
func TestBrowserLargeReport(t *testing.T) {
	t.Parallel()
	b := bigReport(t)
	ctx, w := browse(t)
	start := time.Now()
	loadMs := loadReport(t, ctx, b.html, 1280, 900)
	t.Logf("10,000-trace report, %.2f MB: Chromium load event after %.0f ms (navigate and wait: %d ms)", float64(len(b.html))/1e6, loadMs, time.Since(start).Milliseconds())
	t.Logf("navigation timing (ms): %s", eval[string](t, ctx, `(() => { const n = performance.getEntriesByType('navigation')[0]; return 'parsed ' + Math.round(n.domInteractive) + ', DOMContentLoaded ' + Math.round(n.domContentLoadedEventEnd) + ', load ' + Math.round(n.loadEventEnd); })()`))
	checkPage(t, ctx, w)
	text := visibleText(t, ctx)
	for _, g := range b.result.Findings {
		if g.Severity > diagnose.Info && !strings.Contains(text, g.Title) {
			t.Errorf("finding title %q not visible", g.Title)
		}
	}
	drawn := eval[int](t, ctx, `document.querySelectorAll('#traces > tbody:not([hidden])').length`)
	if drawn != pageRows {
		t.Errorf("%d rows drawn at first, want %d", drawn, pageRows)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`#more`)))
	if drawn := eval[int](t, ctx, `document.querySelectorAll('#traces > tbody:not([hidden])').length`); drawn != 2*pageRows {
		t.Errorf("%d rows drawn after 'show more', want %d", drawn, 2*pageRows)
	}
	// A link to a trace beyond the drawn rows still opens it.
	last := fmt.Sprintf("t-%d", bigTraces-1)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const a = document.createElement('a'); a.href = '#`+last+`'; document.body.appendChild(a); a.click(); a.remove(); })()`))
	if !eval[bool](t, ctx, `!document.getElementById('`+last+`').hidden`) {
		t.Errorf("a link to %s did not draw its row", last)
	}
	filterMs := eval[float64](t, ctx, `(() => { const t0 = performance.now(); const s = document.getElementById('fstatus'); s.value = '5xx'; s.dispatchEvent(new Event('change')); return performance.now() - t0; })()`)
	sortMs := eval[float64](t, ctx, `(() => { const t0 = performance.now(); document.querySelector('#traces thead th:nth-child(6) button').click(); return performance.now() - t0; })()`)
	t.Logf("filtering 10,000 rows by status took %.0f ms, sorting by ms %.0f ms", filterMs, sortMs)
	screenshot(t, ctx, "large-1280.png", false)
}

// TestHTMLLargeScanIsBounded is the size half of the 10,000-trace
// requirement (the browser test measures load time): under 10 MB, every
// trace in the table, details for a bounded number, and the page says so.
func TestHTMLLargeScanIsBounded(t *testing.T) {
	t.Parallel()
	b := bigReport(t)
	html := string(b.html)
	t.Logf("%d traces: %d bytes of HTML (%.2f MB); built in %s, rendered in %s", len(b.result.Traces), len(b.html), float64(len(b.html))/1e6, b.build.Round(1e6), b.render.Round(1e6))
	detailBytes := 0
	for rest := html; ; {
		i := strings.Index(rest, `<tr class="detail"`)
		if i < 0 {
			break
		}
		rest = rest[i:]
		end := strings.Index(rest, `<tbody id="t-`)
		if end < 0 {
			end = strings.Index(rest, "</table>\n</div>")
		}
		detailBytes += end
		rest = rest[end:]
	}
	t.Logf("of which %d bytes are the %d detailed traces", detailBytes, maxDetailed)
	if len(b.html) >= 10_000_000 {
		t.Errorf("report of %d traces is %d bytes, want < 10 MB", bigTraces, len(b.html))
	}
	if n := strings.Count(html, `<tbody id="t-`); n != bigTraces {
		t.Errorf("%d trace rows, want %d", n, bigTraces)
	}
	if n := strings.Count(html, `<tr class="detail"`); n != maxDetailed {
		t.Errorf("%d detailed traces, want %d", n, maxDetailed)
	}
	if !strings.Contains(html, "Full details (request summary, headers, events, performance) are included for 100 of the 10000 traces") {
		t.Error("the page does not say which traces are detailed")
	}
	// Every non-info finding's example trace is among the detailed ones.
	for _, g := range b.result.Findings {
		if g.Severity == diagnose.Info || g.Example == "" {
			continue
		}
		for i, row := range b.result.Traces {
			if row.File == g.Example && !strings.Contains(html, `id="d-t-`+strconv.Itoa(i)+`"`) {
				t.Errorf("example %s of %s is not detailed", g.Example, g.Rule)
			}
		}
	}
}

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
