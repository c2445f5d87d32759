package templates

import (
	"html/template"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

// The stylesheet and script are inlined verbatim and allowed by hash, so
// they must not contain what would end their element early or what the
// report rewrites in every page (hidden and bidirectional characters).
func TestInlineAssetsAreSafeToInline(t *testing.T) {
	for _, tc := range []struct{ file, end string }{{"report.css", "</style"}, {"report.js", "</script"}} {
		data, err := fs.ReadFile(FS, tc.file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if len(s) == 0 {
			t.Fatalf("%s is empty", tc.file)
		}
		if strings.Contains(strings.ToLower(s), tc.end) || strings.Contains(s, "<!--") {
			t.Errorf("%s contains %q or <!--, which would end or confuse its inline element", tc.file, tc.end)
		}
		if !utf8.ValidString(s) {
			t.Errorf("%s is not UTF-8", tc.file)
		}
		for i, r := range s {
			if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || (r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0xFEFF {
				t.Errorf("%s: hidden character U+%04X at byte %d", tc.file, r, i)
			}
		}
	}
	css, _ := fs.ReadFile(FS, "report.css")
	if !strings.Contains(string(css), "@media print") {
		t.Error("report.css has no print stylesheet")
	}
}

// The script must not use what the Content-Security-Policy forbids or
// what would turn trace values into markup.
func TestScriptAvoidsUnsafeAPIs(t *testing.T) {
	js, err := fs.ReadFile(FS, "report.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute('on", "fetch(", "XMLHttpRequest"} {
		if strings.Contains(string(js), bad) {
			t.Errorf("report.js uses %s", bad)
		}
	}
}

func TestTemplatesParse(t *testing.T) {
	funcs := template.FuncMap{"sevclass": func(any) string { return "" }, "paras": func(string) []string { return nil }, "plural": func(int) string { return "" },
		"ref": func(string) struct{ Text, Href string } { return struct{ Text, Href string }{} }}
	tmpl, err := template.New("report.html").Funcs(funcs).ParseFS(FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"report.html", "group", "steps", "bars", "headers", "trace"} {
		if tmpl.Lookup(name) == nil {
			t.Errorf("template %q missing", name)
		}
	}
}
