package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pageOverflow lists what sticks out of the viewport anywhere, scrolling
// wrappers included: on a phone the trace table and an opened trace must
// stack, not pan sideways.
const pageOverflow = `(() => {
	const w = document.documentElement.clientWidth + 1, out = [];
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className : '');
	for (const e of document.querySelectorAll('#traces, #traces *')) {
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w && e.offsetParent !== null) { out.push(name(e) + ' ' + Math.round(r.right) + 'px'); }
	}
	return out.slice(0, 8);
})()`

// TestBrowserPhoneStacks: at 390 px the trace table and an opened trace's
// details fit the screen (no sideways panning), and numbers and status
// codes are not broken across lines.
func TestBrowserPhoneStacks(t *testing.T) {
	ctx, w := browse(t)
	_, page := scanHTML(t, samplesDir)
	loadReport(t, ctx, page, 390, 900)
	checkPage(t, ctx, w)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#t-0 button.open').click()`))
	if wide := eval[[]string](t, ctx, pageOverflow); len(wide) > 0 {
		t.Errorf("at 390 px the trace table or its details stick out: %s", strings.Join(wide, "; "))
	}
	// A status or a duration on two lines is taller than one line.
	broken := eval[[]string](t, ctx, `(() => {
		const out = [];
		for (const e of document.querySelectorAll('#traces td.st, #traces td.n, .step .st')) {
			if (e.offsetParent === null || !e.textContent.trim()) { continue; }
			const lh = parseFloat(getComputedStyle(e).lineHeight) || 20;
			const range = document.createRange(); range.selectNodeContents(e);
			if (range.getClientRects().length > 1 && range.getBoundingClientRect().height > lh * 1.5) { out.push(e.textContent.trim()); }
		}
		return out.slice(0, 5);
	})()`)
	if len(broken) > 0 {
		t.Errorf("numbers or codes broken across lines at 390 px: %q", broken)
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('traces').scrollIntoView()`))
	screenshot(t, ctx, "phone-traces-390.png", false)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('d-t-0').scrollIntoView()`))
	screenshot(t, ctx, "phone-detail-390.png", false)
}

// TestBrowserStatusSortsNumerically: the status column sorts by code, then
// substatus as a number (403.4 before 403.16).
func TestBrowserStatusSortsNumerically(t *testing.T) {
	ctx, _ := browse(t)
	_, page := scanHTML(t, samplesDir)
	loadReport(t, ctx, page, 1400, 900)
	run(t, ctx, chromedp.Click(chromedp.CSS(`#traces thead th:nth-child(2) button`)))
	got := eval[[]string](t, ctx, `[...document.querySelectorAll('#traces > tbody > tr:first-child > td.st')].map(c => c.textContent.trim())`)
	var codes []string
	for _, s := range got {
		if strings.HasPrefix(s, "403") {
			codes = append(codes, s)
		}
	}
	if want := []string{"403.4", "403.7", "403.16", "403.502"}; fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("403s sorted as %v, want %v", codes, want)
	}
}
