//go:build !race

package report

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (testdata/axe, MPL-2.0), injected into the page
// under test through the DevTools protocol, which the page's
// Content-Security-Policy does not govern.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeCheck runs axe-core's WCAG 2 A and AA rules on the loaded page and
// reports every violation.
func axeCheck(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	// axe-core takes minutes on a loaded two-core machine.
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Violations []axeViolation `json:"violations"`
		Passes     int            `json:"passes"`
	}](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}).then(r => ({violations: r.violations, passes: r.passes.length}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	// A run that checked nothing would pass any page.
	if res.Passes < 10 {
		t.Fatalf("%s: axe-core passed only %d rules: it did not look at the page", where, res.Passes)
	}
	t.Logf("%s: axe-core: %d rules passed, %d violated", where, res.Passes, len(res.Violations))
	for _, v := range res.Violations {
		var nodes []string
		for i, n := range v.Nodes {
			if i == 3 {
				nodes = append(nodes, fmt.Sprintf("… %d more", len(v.Nodes)-3))
				break
			}
			nodes = append(nodes, fmt.Sprintf("%v %.120s", n.Target, n.HTML))
		}
		t.Errorf("%s: axe %s (%s): %s", where, v.ID, v.Help, strings.Join(nodes, "; "))
	}
}

// TestBrowserAccessible: the samples report passes axe-core at desktop and
// phone widths, with a trace opened.
func TestBrowserAccessible(t *testing.T) {
	t.Parallel() // each test has its own tab of the shared Chromium
	ctx, _ := browse(t)
	_, page := scanHTML(t, samplesDir)
	for _, width := range []int64{1400, 390} {
		loadReport(t, ctx, page, width, 900)
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#t-0 button.open').click()`))
		axeCheck(t, ctx, fmt.Sprintf("%d px", width))
	}
}

// TestBrowserAccessibleLargeTrace: a trace too large to show whole, with
// what was left out counted, passes axe-core with its summary and its
// All events tab open.
func TestBrowserAccessibleLargeTrace(t *testing.T) {
	t.Parallel() // each test has its own tab of the shared Chromium
	ctx, _ := browse(t)
	page := largeTracePage(t)
	loadReport(t, ctx, page, 1400, 900)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#t-0 button.open').click()`))
	axeCheck(t, ctx, "large trace, summary")
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#d-t-0 [data-tab=events]').click()`))
	axeCheck(t, ctx, "large trace, all events")
}
