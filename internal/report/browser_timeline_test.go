//go:build !race

package report

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// findingTimelines measures each finding's timeline chart: its text
// alternative, whether it fits the screen, and the contrast of its bars
// against the chart's background (WCAG 1.4.11 asks 3:1 for graphics).
const findingTimelines = `(() => {
	const lum = c => {
		const v = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(x => x / 255).map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
		return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
	};
	const w = document.documentElement.clientWidth + 1;
	return [...document.querySelectorAll('dd.when svg.ftl')].map(svg => {
		const bar = svg.querySelector('rect');
		const a = lum(getComputedStyle(bar).fill), b = lum(getComputedStyle(svg).backgroundColor);
		const r = svg.getBoundingClientRect(), axis = svg.nextElementSibling.getBoundingClientRect();
		return {role: svg.getAttribute('role'), label: svg.getAttribute('aria-label') || '',
			contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
			fits: r.right <= w && axis.right <= w && r.width > 50, bars: svg.querySelectorAll('rect').length};
	});
})()`

type timelineCheck struct {
	Role, Label string
	Contrast    float64
	Fits        bool
	Bars        int
}

// TestBrowserFindingTimeline: findings spread over time show a small
// chart of when they happened, with a text alternative, bars at 3:1
// contrast at least, inside the screen at 1400 and 390 px.
func TestBrowserFindingTimeline(t *testing.T) {
	t.Parallel() // each test has its own tab of the shared Chromium
	ctx, _ := browse(t)
	_, page := scanHTML(t, samplesDir)
	for _, width := range []int64{1400, 390} {
		loadReport(t, ctx, page, width, 900)
		charts := eval[[]timelineCheck](t, ctx, findingTimelines)
		if len(charts) == 0 {
			t.Fatalf("%d px: no finding has a timeline (the samples have findings minutes apart)", width)
		}
		for i, c := range charts {
			where := fmt.Sprintf("%d px, chart %d", width, i)
			if c.Role != "img" || len(c.Label) < 20 {
				t.Errorf("%s: role %q, text alternative %q", where, c.Role, c.Label)
			}
			if c.Contrast < 3 {
				t.Errorf("%s: bars at %.2f:1 against the chart, want 3:1 at least", where, c.Contrast)
			}
			if !c.Fits || c.Bars == 0 {
				t.Errorf("%s: the chart does not fit the screen or has no bar (%+v)", where, c)
			}
		}
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('dd.when').scrollIntoView({block: 'center'})`))
		screenshot(t, ctx, fmt.Sprintf("finding-timeline-%d.png", width), false)
	}
}
