//go:build !race

package report

import (
	"testing"

	"github.com/chromedp/chromedp"
)

type tocState struct {
	Open         bool
	SummaryShown bool
	NavHeight    float64
	SummaryTop   float64
	Links, Total int
}

const tocMeasure = `(() => {
	const d = document.querySelector('details.tocf'), s = d.querySelector('summary');
	const all = [...d.querySelectorAll('a')], visible = all.filter(a => a.checkVisibility()).length;
	return {open: d.open, summaryShown: s.getClientRects().length > 0,
		navHeight: document.querySelector('nav.toc').getBoundingClientRect().height,
		summaryTop: document.getElementById('summary').getBoundingClientRect().top, links: visible, total: all.length};
})()`

// TestBrowserTOCFoldsOnPhones: at 390 px the per-rule list of the table of
// contents (41 links for the samples) starts folded behind one line, so
// the summary is on the first screen, and opens from that line; at 1400
// px the list is shown as before, without the extra line.
func TestBrowserTOCFoldsOnPhones(t *testing.T) {
	t.Parallel() // each test has its own tab of the shared Chromium
	ctx, _ := browse(t)
	_, page := scanHTML(t, samplesDir)

	loadReport(t, ctx, page, 390, 900)
	st := eval[tocState](t, ctx, tocMeasure)
	if st.Open || !st.SummaryShown || st.Links != 0 || st.Total < 30 {
		t.Errorf("390 px: the findings list should start folded behind its summary line: %+v", st)
	}
	if st.SummaryTop > 450 {
		t.Errorf("390 px: the summary starts %.0f px down; the contents push it off the first half-screen", st.SummaryTop)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`details.tocf > summary`)))
	if st = eval[tocState](t, ctx, tocMeasure); !st.Open || st.Links != st.Total {
		t.Errorf("390 px: opening the list shows %d links of %d: %+v", st.Links, st.Total, st)
	}
	screenshot(t, ctx, "toc-390.png", false)

	loadReport(t, ctx, page, 1400, 900)
	if st = eval[tocState](t, ctx, tocMeasure); !st.Open || st.SummaryShown || st.Links != st.Total {
		t.Errorf("1400 px: the findings list should be open with no summary line: %+v", st)
	}
}
