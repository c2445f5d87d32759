package report

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/scan"
)

// FuzzHTMLReport puts arbitrary strings where a trace carries text
// (headers, URL, server name, event data, file name) and checks the page
// with an HTML tokenizer, the way a browser would see it: no element or
// attribute appears that the report does not write itself, however the
// input tries to break out.
func FuzzHTMLReport(f *testing.F) {
	base := fuzzBaseTrace(f)
	want := pageShape(f, renderFuzzPage(f, base, [6]string{"Mac OS X/10.11.1 (15B42); ExchangeWebServices/6.0 (242); Mail/9.1 (3096.5)", "HTTPS/1.1 lb:443", "mail.contoso.com", "/EWS/Exchange.asmx", "EX16-01", "value"}))
	for _, seed := range [][6]string{
		{hostileUA, hostileVia, hostileHost, "/x?<script>alert(1)</script>", hostileComputer, hostileReflect},
		{hostileSVG, hostileReferer, hostileXFF, "/\u202Egnp.exe", hostileZeroW, "]]><!--"},
		{"\x00\x1b[31m\xff\xfe", "<!-- <script>", "\"'`=<>", "javascript:alert(1)", "</style><style>", "<textarea></textarea><noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4], seed[5])
	}
	f.Fuzz(func(t *testing.T, ua, via, host, path, server, data string) {
		page := renderFuzzPage(t, base, [6]string{ua, via, host, path, server, data})
		got := pageShape(t, page)
		for tag, n := range got.tags {
			if !want.allowedTag(tag) {
				t.Fatalf("element <%s> appeared (%d): the input became markup", tag, n)
			}
		}
		for _, tag := range []string{"script", "style", "meta", "link", "base", "iframe", "object", "embed", "img", "form"} {
			if got.tags[tag] > want.tags[tag] {
				t.Fatalf("%d <%s> elements, the report writes %d", got.tags[tag], tag, want.tags[tag])
			}
		}
		if got.badAttr != "" {
			t.Fatalf("attribute %s", got.badAttr)
		}
	})
}

// fuzzBaseTrace is the seed case's 400, read as a scan reads it.
func fuzzBaseTrace(tb testing.TB) *freb.Trace {
	tb.Helper()
	var sample gen.Sample
	for _, s := range gen.Samples() {
		if s.Rule == "via-persistent-auth" {
			sample = s
		}
	}
	b, err := gen.Bytes(sample.Traces[len(sample.Traces)-1])
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := freb.Read(bytes.NewReader(b), "W3SVC1/fr000004.xml", freb.DefaultOptions())
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

// renderFuzzPage copies base with the values set and renders the page of
// a one-trace scan, details included.
func renderFuzzPage(tb testing.TB, base *freb.Trace, v [6]string) []byte {
	tb.Helper()
	tr := *base
	set := func(l headers.List, name, value string) headers.List {
		return headers.Apply(l, []headers.Change{{Name: name, Value: value, Replace: true}})
	}
	tr.RequestHeaders = set(set(set(tr.RequestHeaders, "User-Agent", v[0]), "Via", v[1]), "Host", v[2])
	tr.RequestHeaders = append(tr.RequestHeaders, headers.Header{Name: v[5], Value: v[5]})
	tr.ResponseHeaders = set(append(headers.List(nil), tr.ResponseHeaders...), "X-Fuzz", v[5])
	tr.URL = "https://mail.contoso.com" + v[3]
	tr.Server = v[4]
	tr.File = "W3SVC1/" + v[4] + ".xml"
	tr.Events = append([]freb.Event(nil), tr.Events...)
	if len(tr.Events) > 0 {
		ev := tr.Events[0]
		ev.Data = append(append([]freb.Field(nil), ev.Data...), freb.Field{Name: v[5], Value: v[5]})
		tr.Events[0] = ev
	}
	so := scanOptions(scan.Options{Inputs: []string{tr.File}, Tool: "frebscan fuzz", Workers: 1,
		Read: func(string) (*freb.Trace, int64, error) { return &tr, 1, nil }})
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	err = writeScan(&b, "html", r, Options{Detail: scan.Detailer(so)})
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// shape is what a browser would build from a page: elements by name, and
// the first attribute that could run script or leave the page.
type shape struct {
	tags    map[string]int
	badAttr string
}

// allowedTag: the elements of the benign page plus the ones templates
// write only for some data (tables, lists and inline markup they use).
func (s shape) allowedTag(tag string) bool {
	if s.tags[tag] > 0 {
		return true
	}
	switch tag {
	case "tr", "td", "th", "li", "ul", "ol", "span", "div", "p", "code", "pre", "b", "em", "strong", "small", "br", "details", "summary",
		"table", "thead", "tbody", "section", "h2", "h3", "h4", "a", "mark", "bdi", "svg", "g", "rect", "line", "text", "title", "path", "polyline", "circle", "tspan", "dl", "dt", "dd", "button", "input", "label", "select", "option", "nav", "footer", "header", "time", "kbd", "abbr", "sup", "sub", "caption", "colgroup", "col":
		return true
	}
	return false
}

func pageShape(tb testing.TB, page []byte) shape {
	tb.Helper()
	s := shape{tags: map[string]int{}}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				tb.Fatalf("tokenizer: %v", z.Err())
			}
			return s
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		s.tags[string(name)]++
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			key, val := string(k), strings.TrimSpace(strings.ToLower(string(v)))
			switch {
			case strings.HasPrefix(key, "on"):
				s.badAttr = key + "=" + string(v) + " on <" + string(name) + ">"
			case (key == "href" || key == "src" || key == "action" || key == "xlink:href" || key == "formaction") &&
				!strings.HasPrefix(val, "#") && !strings.HasPrefix(val, "https://"):
				s.badAttr = key + "=" + string(v) + " on <" + string(name) + ">"
			}
			if s.badAttr != "" {
				return s
			}
		}
	}
}

// TestPageShapeCatchesMarkup shows the fuzz target's check can fail: the
// benign page with one injected element is caught.
func TestPageShapeCatchesMarkup(t *testing.T) {
	t.Parallel()
	page := renderFuzzPage(t, fuzzBaseTrace(t), [6]string{"ua", "1.1 lb", "mail.contoso.com", "/EWS/Exchange.asmx", "EX16-01", "v"})
	want := pageShape(t, page)
	for _, inject := range []string{`<img src=x onerror=alert(1)>`, `<a href="javascript:alert(1)">x</a>`, `<script>alert(1)</script>`, `<iframe src="https://evil"></iframe>`} {
		bad := bytes.Replace(page, []byte("</body>"), []byte(inject+"</body>"), 1)
		got := pageShape(t, bad)
		caught := got.badAttr != ""
		for tag, n := range got.tags {
			caught = caught || !want.allowedTag(tag) || n > want.tags[tag] && (tag == "script" || tag == "img" || tag == "iframe")
		}
		if !caught {
			t.Errorf("injected %s not caught", inject)
		}
	}
}
