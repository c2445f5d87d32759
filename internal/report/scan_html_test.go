package report

import (
	stdhtml "html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	cspRe    = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	scriptRe = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	styleRe  = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
)

// TestHTMLContentPolicyHashesInlineCode checks that the policy allows
// exactly the script and stylesheet the page holds: a mismatch would make
// the browser refuse them (tested for real in the browser test), and any
// second script would be refused.
func TestHTMLContentPolicyHashesInlineCode(t *testing.T) {
	t.Parallel()
	_, page := scanHTML(t, samplesDir+"/via-persistent-auth")
	html := string(page)
	m := cspRe.FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no Content-Security-Policy meta tag")
	}
	policy := stdhtml.UnescapeString(m[1])
	scripts := scriptRe.FindAllStringSubmatch(html, -1)
	styles := styleRe.FindAllStringSubmatch(html, -1)
	if len(scripts) != 1 || len(styles) != 1 {
		t.Fatalf("want one inline script and one style, got %d and %d", len(scripts), len(styles))
	}
	for _, want := range []string{
		"default-src 'none'",
		"script-src '" + cspHash(scripts[0][1]) + "'",
		"style-src '" + cspHash(styles[0][1]) + "'",
		"base-uri 'none'",
	} {
		if !strings.Contains(policy, want) {
			t.Errorf("policy %q lacks %q", policy, want)
		}
	}
	if strings.Contains(policy, "unsafe") {
		t.Errorf("policy allows unsafe sources: %q", policy)
	}
	if i := strings.Index(html, "<meta http-equiv"); i > strings.Index(html, "<style>") {
		t.Error("the policy must come before the style it governs")
	}
}

// TestHTMLHostileValues renders traces whose every header tries to break
// out, and checks the page text: no live markup, bidi and zero-width
// characters shown as marks, secrets redacted.
func TestHTMLHostileValues(t *testing.T) {
	t.Parallel()
	_, page := scanHTML(t, writeHostile(t))
	html := string(page)
	forbidden := []string{
		"<script>document", "<script>window", "<img", "<svg onload", `href="javascript`, "<b ", "<style>body", "\u202E", "\u200B", "\u2066", "\u2069",
		secretPassword, "dXNlcjpodW50ZXIy", secretCookie, secretToken,
	}
	for _, f := range forbidden {
		if strings.Contains(html, f) {
			i := strings.Index(html, f)
			t.Errorf("page contains %q: …%s…", f, html[max(0, i-80):min(len(html), i+80)])
		}
	}
	for _, want := range []string{
		"&lt;script&gt;document.title=&#39;PWNED&#39;", // the User-Agent, as text
		"203.0.113.9[U+202E]gnp.exe",                   // the bidi override, visible
		"adm[U+200B]in[U+2066]x[U+2069]",
		"&lt;/script&gt;&lt;script&gt;window.pwned=6",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// A live event-handler attribute is one inside a real tag.
	if m := regexp.MustCompile(`<[a-zA-Z][^<>]*\son[a-z]+\s*=`).FindString(html); m != "" {
		t.Errorf("page has an event-handler attribute: %s", m)
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		if !strings.HasPrefix(m[1], "#") && !strings.HasPrefix(m[1], "https://") {
			t.Errorf("link to %q: only in-page links and https references are allowed", m[1])
		}
	}
}

func TestHTMLNeutralise(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"naïve – ü 日本", "naïve – ü 日本"},
		{"a\u202Eb", "a[U+202E]b"},
		{"\u2066x\u2069", "[U+2066]x[U+2069]"},
		{"\u200E\u200F\u061C", "[U+200E][U+200F][U+061C]"},
		{"zero\u200Bwidth\uFEFF", "zero[U+200B]width[U+FEFF]"},
		{"bell\x07 del\x7f c1\u0085", "bell[U+0007] del[U+007F] c1[U+0085]"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
	} {
		if got := neutralise(tc.in); got != tc.want {
			t.Errorf("neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLSamples checks the report of every shipped sample: each finding
// group is on the page with its evidence and fix, sequences are drawn,
// and every trace is in the table with its details.
func TestHTMLSamples(t *testing.T) {
	t.Parallel()
	r, page := scanHTML(t, samplesDir)
	html := string(page)
	if len(r.Findings) == 0 {
		t.Fatal("samples produced no findings")
	}
	for _, g := range r.Findings {
		if !strings.Contains(html, `id="f-`+g.Rule) {
			t.Errorf("finding %s has no section", g.Rule)
		}
	}
	for _, want := range []string{
		`<ol class="seq">`, "Persistent-Auth: false", `class="ev`, "Request Summary", "Compact View", "Performance View",
		`<svg class="tl"`, "Top URLs", "Top clients", "KEMP LoadMaster", "What broke", "Probable cause",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(html, `<tbody id="t-`); n != len(r.Traces) {
		t.Errorf("%d trace rows for %d traces", n, len(r.Traces))
	}
	if n := strings.Count(html, `<tr class="detail"`); n != len(r.Traces) {
		t.Errorf("%d detailed traces of %d; a small scan shows all", n, len(r.Traces))
	}
	if strings.Contains(html, "Full details (request summary") {
		t.Error("a small scan should not say details were left out")
	}
	// Rule references with a link are links, titled with their title;
	// the link text never shows the " — " that separates the two.
	for _, want := range []string{
		`<a href="https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code" rel="noreferrer">KB 943891: IIS HTTP status codes`,
		`<a href="https://github.com/curl/curl/pull/363" rel="noreferrer">curl PR #363:`,
		`<a href="https://mskb.pkisolutions.com/kb/896861" rel="noreferrer">https://mskb.pkisolutions.com/kb/896861</a>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks the reference link %q", want)
		}
	}
	if strings.Contains(html, " — https://") {
		t.Error("a reference's link is shown as text")
	}
}

// TestHTMLListsSkippedFiles: .xml files that are not traces are listed by
// name with the reason, not only counted.
func TestHTMLListsSkippedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fr000009.xml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, page := scanHTML(t, filepath.Join(samplesDir, "via-persistent-auth"), dir)
	html := string(page)
	i := strings.Index(html, "not FREB traces, skipped (1)")
	if i < 0 || !strings.Contains(html[i:], "fr000009.xml</bdi></td><td>byte 0: not a FREB trace: the file is empty") {
		t.Error("the empty .xml file is not listed with its reason")
	}
}
