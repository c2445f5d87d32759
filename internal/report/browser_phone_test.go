//go:build !race

package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
	t.Parallel() // each test has its own tab of the shared Chromium
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
	t.Parallel() // each test has its own tab of the shared Chromium
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
	if want := []string{"403.4", "403.7", "403.14", "403.16", "403.502"}; fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("403s sorted as %v, want %v", codes, want)
	}
}

// TestBrowserNavigation: keyboard and link navigation of the report: a
// skip link and a table of contents, findings that fold, arrow keys on
// the trace view tabs, a URL per trace that opens it, a filter that knows
// client families and says when nothing matches, and handshake drawings
// whose 401 challenge legs are not drawn as failures.
func TestBrowserNavigation(t *testing.T) {
	t.Parallel() // each test has its own tab of the shared Chromium
	ctx, w := browse(t)
	_, page := scanHTML(t, samplesDir)
	loadReport(t, ctx, page, 1400, 900)
	checkPage(t, ctx, w)
	if got := eval[string](t, ctx, `document.querySelector('a.skip').getAttribute('href')`); got != "#findings" {
		t.Errorf("skip link goes to %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('nav.toc a[href^="#f-"]').length`); n == 0 {
		t.Error("the table of contents lists no finding")
	}
	if !eval[bool](t, ctx, `(() => { const d = document.querySelector('#f-via-persistent-auth details.fold'); d.querySelector('summary').click(); const closed = !d.open; d.querySelector('summary').click(); return closed && d.open; })()`) {
		t.Error("a finding does not fold and unfold")
	}
	// Arrow keys move between the tabs of an opened trace.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#t-0 button.open').click()`))
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const t = document.querySelector('#d-t-0 [role=tab][data-tab=summary]'); t.focus(); t.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true})); })()`))
	if got := eval[string](t, ctx, `document.activeElement.getAttribute('data-tab') + ' ' + document.querySelector('#d-t-0 [data-view=details]').classList.contains('on')`); got != "details true" {
		t.Errorf("ArrowRight on the first tab: focus/view %q, want the Request Details tab shown", got)
	}
	// A trace's own address opens it.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = '#t-3'`), chromedp.Sleep(300*time.Millisecond))
	if !eval[bool](t, ctx, `!document.getElementById('d-t-3').hidden`) {
		t.Error("#t-3 in the address does not open that trace")
	}
	// The filter finds client families, and says when nothing matches.
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#q`), "apple"), chromedp.Sleep(400*time.Millisecond))
	if n := eval[string](t, ctx, `document.getElementById('shown').textContent`); n == "0" {
		t.Error(`the filter "apple" matches no trace (Apple Mail is among the samples)`)
	}
	if !eval[bool](t, ctx, `document.getElementById('none').hidden`) {
		t.Error("the nothing-matches note shows although traces match")
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#q`), "zzzz-nothing"), chromedp.Sleep(400*time.Millisecond))
	if eval[bool](t, ctx, `document.getElementById('none').hidden`) {
		t.Error("no note when nothing matches the filter")
	}
	// The flagship handshake: 401 challenge legs drawn as legs, one failure.
	legs := eval[int](t, ctx, `document.querySelectorAll('#f-via-persistent-auth .step.leg').length`)
	bad := eval[int](t, ctx, `document.querySelectorAll('#f-via-persistent-auth .seq:first-of-type .step.bad').length`)
	if legs == 0 || bad != 1 {
		t.Errorf("flagship handshake: %d challenge legs, %d failures; want legs drawn as such and one failure", legs, bad)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#traces > thead > tr > th').length`); n != 11 {
		t.Errorf("trace table has %d columns, want 11 (with Server and Proxy)", n)
	}
}
