//go:build !race

// The browser tests drive Chromium from one goroutine per page: the race
// detector finds nothing in them, and under it the in-process scans they
// render took minutes of make test's CPU. make test runs them in its
// non-race pass; the report code itself is raced by the other tests of
// the package.

package report

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// The browser tests load reports in headless Chromium, as the people they
// are forwarded to would, and watch what the page does: console errors
// (a CSP refusal shows there), network requests and script the traces
// tried to inject. chromedp drives Chromium over the DevTools protocol,
// which is what lets the test see those events; printing the DOM with
// `chromium --dump-dom` could not.

// chromiumPath finds the browser or skips: CI installs it (.ci/run), a
// laptop may not have it.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("FREBSCAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser test skipped: no Chromium found (install it with `apt-get install -y chromium`, or set FREBSCAN_CHROMIUM to the browser's path)")
	return ""
}

// chromeOptions run Chromium headless; --no-sandbox because CI runs as
// root, where Chromium refuses its sandbox.
func chromeOptions(exe string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("hide-scrollbars", true))
}

// wantScreenshots says whether someone will look at the pictures: with
// FREBSCAN_SCREENSHOTS=DIR or go test -artifacts. Otherwise the pages are
// checked but not captured: full-page captures of long pages at two
// widths were a third of the package's time in make test, for files
// deleted at the end.
func wantScreenshots() bool {
	if os.Getenv("FREBSCAN_SCREENSHOTS") != "" {
		return true
	}
	f := flag.Lookup("test.artifacts")
	return f != nil && f.Value.String() == "true"
}

// screenshotDir is $FREBSCAN_SCREENSHOTS when set (kept), else the test's
// artifact directory (kept with go test -artifacts).
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("FREBSCAN_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}

// pageWatch records what a page did while loaded.
type pageWatch struct {
	mu       sync.Mutex
	requests []string
	errors   []string
	// blocked are requests the browser refused to send (CSP): DevTools
	// reports them as requests too, then as failed with a reason.
	blocked []string
}

func (w *pageWatch) add(list *[]string, s string) {
	w.mu.Lock()
	*list = append(*list, s)
	w.mu.Unlock()
}

func (w *pageWatch) snapshot() (requests, errors []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.requests...), append([]string(nil), w.errors...)
}

// TestMain closes the browser the tests shared, whatever their outcome.
func TestMain(m *testing.M) {
	m.Run()
	closeBrowser()
}

// browser is the one Chromium the browser tests of this test binary
// share: starting Chromium costs seconds (more under -race on a loaded
// machine), opening a tab milliseconds. Each test still gets its own tab,
// in its own browser context (no cookies, storage or cache shared with
// another test), and its own listeners. TestMain closes it.
var browser struct {
	once   sync.Once
	ctx    context.Context // the browser's first tab, never navigated
	cancel context.CancelFunc
	err    error
}

// sharedBrowser starts Chromium on first use, or skips when there is none.
func sharedBrowser(tb testing.TB) context.Context {
	tb.Helper()
	exe := chromiumPath(tb)
	browser.once.Do(func() {
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromeOptions(exe)...)
		ctx, cancelC := chromedp.NewContext(actx)
		browser.ctx, browser.cancel = ctx, func() { cancelC(); cancelA() }
		// The first call starts the browser; it must not carry a timeout.
		browser.err = chromedp.Do(ctx)
	})
	if browser.err != nil {
		tb.Fatalf("start Chromium: %v", browser.err)
	}
	return browser.ctx
}

// closeBrowser stops the shared Chromium, if a test started it, and waits
// for it to exit.
func closeBrowser() {
	if browser.cancel != nil {
		browser.cancel()
	}
}

// newTab opens a tab of the shared browser in a browser context of its
// own; the test's cleanup closes both.
func newTab(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(sharedBrowser(tb), chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("open a Chromium tab: %v", err)
	}
	return ctx
}

// browse opens a fresh tab of the shared headless browser and records the
// console (calls, uncaught exceptions, browser log entries such as CSP
// refusals) and every network request of that tab.
func browse(t *testing.T) (context.Context, *pageWatch) {
	t.Helper()
	ctx := newTab(t)
	w := &pageWatch{}
	console := chromedp.Console(ctx)
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	failures := chromedp.Events(ctx, network.LoadingFailed)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleLog, "info", "debug":
			default:
				w.add(&w.errors, fmt.Sprintf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
			}
		}
	}()
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			w.add(&w.requests, ev.Request.URL)
		}
	}()
	go func() {
		for ev, err := range failures {
			if err != nil {
				return
			}
			if ev.BlockedReason != "" {
				w.add(&w.blocked, string(ev.BlockedReason))
			}
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable log events: %v", err)
	}
	return ctx, w
}

// run runs actions with a time limit.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

const navLoadMs = `(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()`

// loadReport writes page to a file and opens it at the given viewport; it
// returns the load time the browser measured (navigation start to the end
// of the load event).
func loadReport(t *testing.T, ctx context.Context, page []byte, width, height int64) float64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(width, height), chromedp.Navigate("file://"+path), chromedp.WaitReady(chromedp.CSS("body")))
	return eval[float64](t, ctx, navLoadMs)
}

// checkPage asserts what every report must satisfy in a browser. The only
// request allowed is the report file itself.
func checkPage(t *testing.T, ctx context.Context, w *pageWatch) {
	t.Helper()
	if !eval[bool](t, ctx, `document.documentElement.classList.contains('js')`) {
		t.Error("the report's own script did not run (refused by the Content-Security-Policy?)")
	}
	pwned := eval[bool](t, ctx, `window.pwned !== undefined`)
	title := eval[string](t, ctx, `document.title`)
	if pwned || strings.Contains(title, "PWNED") {
		t.Errorf("injected script ran: window.pwned set=%v, title %q", pwned, title)
	}
	// Console messages arrive asynchronously; give stragglers a moment.
	time.Sleep(200 * time.Millisecond)
	requests, errors := w.snapshot()
	for _, r := range requests {
		if !strings.HasPrefix(r, "file://") || !strings.HasSuffix(r, "/report.html") {
			t.Errorf("network request to %s", r)
		}
	}
	for _, e := range errors {
		t.Errorf("browser reported: %s", e)
	}
}

func screenshot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	if !wantScreenshots() {
		return
	}
	action := chromedp.CaptureScreenshot()
	if full {
		action = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, action)
	if err != nil && full {
		// Chromium refuses a capture taller than its texture limit (a
		// long page at phone width): keep the viewport instead, since
		// the picture is for a person to look at, not a check.
		t.Logf("screenshot %s: full page refused (%v); capturing the viewport", name, err)
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// overflowing lists the elements that stick out of the viewport, outside
// the scrolling table wrappers: they make a phone scroll the whole page
// sideways.
const overflowing = `(() => {
	const w = document.documentElement.clientWidth + 1, out = [];
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className : '');
	for (const e of document.querySelectorAll('body *')) {
		if (e.parentElement.closest('.scroll')) { continue; }
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w) { out.push(name(e) + ' ' + Math.round(r.right) + 'px'); }
	}
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		if (n.parentElement.closest('.scroll')) { continue; }
		const range = document.createRange();
		range.selectNodeContents(n);
		const r = range.getBoundingClientRect();
		if (r.width > 0 && r.right > w) { out.push('text "' + n.textContent.slice(0, 40) + '" in ' + name(n.parentElement) + ' ' + Math.round(r.right) + 'px'); }
	}
	return out.slice(0, 8);
})()`

// visibleText is what a reader sees: innerText leaves out hidden elements.
func visibleText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.body.innerText`)
}

func TestBrowserSamplesReport(t *testing.T) {
	t.Parallel()
	ctx, w := browse(t)
	r, page := scanHTML(t, samplesDir)
	for _, width := range []int64{1280, 390} {
		loadMs := loadReport(t, ctx, page, width, 900)
		t.Logf("samples report (%d traces, %d bytes) loaded in %.0f ms at %d px", len(r.Traces), len(page), loadMs, width)
		checkPage(t, ctx, w)
		text := visibleText(t, ctx)
		for _, g := range r.Findings {
			if g.Severity > diagnose.Info && !strings.Contains(text, g.Title) {
				t.Errorf("finding title %q not visible at %d px", g.Title, width)
			}
		}
		if wide := eval[[]string](t, ctx, overflowing); len(wide) > 0 || eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`) {
			t.Errorf("the page scrolls sideways at %d px; too wide: %s", width, strings.Join(wide, "; "))
		}
		screenshot(t, ctx, fmt.Sprintf("samples-%d.png", width), true)
		for name, sel := range map[string]string{"charts": ".charts", "finding": "#f-via-persistent-auth", "sequence": ".seqbox"} {
			// The parts a reader looks at first are laid out (they have
			// a box). Their pictures only when someone will look: the
			// element captures were 33 of this test's 41 seconds.
			if !eval[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e !== null && e.getBoundingClientRect().height > 0; })()`, sel)) {
				t.Errorf("%s (%s) is missing or not laid out at %d px", name, sel, width)
				continue
			}
			if !wantScreenshots() {
				continue
			}
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
			if err != nil {
				t.Fatalf("screenshot %s: %v", sel, err)
			}
			if err := os.WriteFile(filepath.Join(screenshotDir(t), fmt.Sprintf("samples-%s-%d.png", name, width)), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Expanding a trace shows the Request Summary; the tabs switch views.
	run(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(`#t-0 button.open`)))
	summaryVisible := eval[bool](t, ctx, `document.getElementById('d-t-0').offsetParent !== null && document.querySelector('#d-t-0 [data-view=summary]').offsetParent !== null`)
	run(t, ctx, chromedp.Click(chromedp.CSS(`#d-t-0 button[data-tab=perf]`)))
	perfVisible := eval[bool](t, ctx, `document.querySelector('#d-t-0 [data-view=perf]').offsetParent !== null && document.querySelector('#d-t-0 [data-view=summary]').offsetParent === null`)
	if !summaryVisible || !perfVisible {
		t.Errorf("expand/tabs: summary visible %v, performance view after its tab %v", summaryVisible, perfVisible)
	}
	screenshot(t, ctx, "samples-expanded-1280.png", false)

	// Filtering by text (a client address) and by status class.
	const client = "203.0.113.45"
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#q`), client), chromedp.Sleep(400*time.Millisecond))
	want, want5xx := 0, 0
	for _, row := range r.Traces {
		if row.Client == client {
			want++
		}
		if row.StatusCode >= 500 && row.StatusCode < 600 {
			want5xx++
		}
	}
	if shown := eval[string](t, ctx, `document.getElementById('shown').textContent`); shown != fmt.Sprint(want) {
		t.Errorf("filter %s shows %s rows, want %d", client, shown, want)
	}
	shown5xx := eval[string](t, ctx, `(() => { const q = document.getElementById('q'); q.value = ''; const s = document.getElementById('fstatus'); s.value = '5xx'; s.dispatchEvent(new Event('change')); const n = document.getElementById('shown').textContent; s.value = ''; s.dispatchEvent(new Event('change')); return n; })()`)
	if shown5xx != fmt.Sprint(want5xx) {
		t.Errorf("status filter 5xx shows %s rows, want %d", shown5xx, want5xx)
	}
	// Sorting by time taken, twice: descending.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); })()`),
		chromedp.Sleep(400*time.Millisecond),
		chromedp.Click(chromedp.CSS(`#traces thead th:nth-child(6) button`)),
		chromedp.Click(chromedp.CSS(`#traces thead th:nth-child(6) button`)))
	ms := eval[[]float64](t, ctx, `[...document.querySelectorAll('#traces > tbody:not([hidden]) > tr:first-child > td.n')].map(c => parseFloat(c.textContent))`)
	if len(ms) != len(r.Traces) {
		t.Errorf("%d rows after clearing the filter, want %d", len(ms), len(r.Traces))
	}
	for i := 1; i < len(ms); i++ {
		if ms[i] > ms[i-1] {
			t.Errorf("sorted by ms descending, row %d (%v) > row %d (%v)", i, ms[i], i-1, ms[i-1])
			break
		}
	}
	checkPage(t, ctx, w)
}

func TestBrowserHostileReport(t *testing.T) {
	t.Parallel()
	ctx, w := browse(t)
	_, page := scanHTML(t, writeHostile(t))
	loadReport(t, ctx, page, 1280, 900)
	// Open every trace, every view and every <details>, so hostile values
	// in details are rendered too.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('button.open').forEach(b => b.click()); document.querySelectorAll('.view').forEach(s => s.classList.add('on')); document.querySelectorAll('details').forEach(d => d.open = true)`))
	checkPage(t, ctx, w)
	type counts struct{ Scripts, Loaders, Handlers, Links int }
	got := eval[counts](t, ctx, `({
		Scripts: document.querySelectorAll('script').length,
		Loaders: document.querySelectorAll('img,iframe,object,embed,link,base,form,meta[http-equiv=refresh],style:not(head style)').length,
		Handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
		Links: [...document.querySelectorAll('a[href]')].filter(a => !/^(#|https:)/.test(a.getAttribute('href'))).length,
	})`)
	if got != (counts{Scripts: 1}) {
		t.Errorf("injected elements in the DOM: %+v (want the report's one script, nothing else)", got)
	}
	text := visibleText(t, ctx)
	if strings.ContainsRune(text, '\u202E') || !strings.Contains(text, "[U+202E]") {
		t.Error("the right-to-left override is not neutralised in the visible text")
	}
	if !strings.Contains(text, "<script>document.title='PWNED'") {
		t.Error("the hostile User-Agent should be shown as text")
	}
	screenshot(t, ctx, "hostile-1280.png", true)
	loadReport(t, ctx, page, 390, 900)
	checkPage(t, ctx, w)
	screenshot(t, ctx, "hostile-390.png", true)
}

// BenchmarkHTMLLargeLoad measures how long Chromium takes to load the
// 10,000-trace report; ms/load is the browser's own navigation timing.
func BenchmarkHTMLLargeLoad(b *testing.B) {
	chromiumPath(b)
	big := bigReport(b)
	path := filepath.Join(b.TempDir(), "report.html")
	if err := os.WriteFile(path, big.html, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := newTab(b)
	var total float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("file://%s?%d", path, i))); err != nil {
			b.Fatal(err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](navLoadMs))
		if err != nil {
			b.Fatal(err)
		}
		total += ms
	}
	b.ReportMetric(total/float64(b.N), "ms/load")
	b.ReportMetric(float64(len(big.html))/1e6, "MB")
}

// TestBrowserWatchCatchesInjection shows the checks above can fail: the
// same hostile markup, unescaped, runs and loads without the policy and
// is refused (with a console error) under it.
func TestBrowserWatchCatchesInjection(t *testing.T) {
	t.Parallel()
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	evil := `<img src="http://127.0.0.1:9/beacon"><script>window.pwned = 1</script>`
	ctx, w := browse(t)
	loadReport(t, ctx, []byte(`<!DOCTYPE html><html><head><title>x</title></head><body>`+evil+`</body></html>`), 800, 600)
	time.Sleep(300 * time.Millisecond)
	requests, _ := w.snapshot()
	if !eval[bool](t, ctx, `window.pwned === 1`) || len(requests) < 2 {
		t.Errorf("without a policy the injected script should run and the image load: pwned %v, requests %q", eval[bool](t, ctx, `window.pwned === 1`), requests)
	}

	ctx, w = browse(t)
	loadReport(t, ctx, []byte(`<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="`+a.csp+`"><title>x</title></head><body>`+evil+`</body></html>`), 800, 600)
	time.Sleep(300 * time.Millisecond)
	requests, errors := w.snapshot()
	if eval[bool](t, ctx, `window.pwned !== undefined`) {
		t.Error("the policy let an injected script run")
	}
	w.mu.Lock()
	blocked := append([]string(nil), w.blocked...)
	w.mu.Unlock()
	if len(requests) != 1+len(blocked) {
		t.Errorf("the policy let the page request %q (blocked: %q)", requests, blocked)
	}
	if len(errors) == 0 {
		t.Error("a refused script and image should show as console errors, and the watch saw none")
	}
}
