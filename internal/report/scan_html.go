package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"sync"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/templates"
)

// htmlAssets are the parsed templates and the inline stylesheet and
// script with the Content-Security-Policy that allows exactly them.
type htmlAssets struct {
	tmpl   *template.Template
	style  template.CSS
	script template.JS
	csp    string
}

var (
	assetsOnce sync.Once
	assets     htmlAssets
	assetsErr  error
)

func loadAssets() (htmlAssets, error) {
	assetsOnce.Do(func() {
		css, err := fs.ReadFile(templates.FS, "report.css")
		if err != nil {
			assetsErr = err
			return
		}
		js, err := fs.ReadFile(templates.FS, "report.js")
		if err != nil {
			assetsErr = err
			return
		}
		t, err := template.New("report.html").Funcs(htmlFuncs).ParseFS(templates.FS, "*.html")
		if err != nil {
			assetsErr = fmt.Errorf("report templates: %w", err)
			return
		}
		assets = htmlAssets{tmpl: t, style: template.CSS(css), script: template.JS(js), csp: contentPolicy(string(js), string(css))}
	})
	return assets, assetsErr
}

// contentPolicy forbids every network request and every script or style
// but the report's own, named by hash: even a value that escaped
// html/template could neither run nor load anything.
func contentPolicy(script, style string) string {
	return fmt.Sprintf("default-src 'none'; script-src '%s'; style-src '%s'; base-uri 'none'; form-action 'none'", cspHash(script), cspHash(style))
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

var htmlFuncs = template.FuncMap{
	"sevclass": func(s diagnose.Severity) string { return "sev-" + s.String() },
	"paras":    prose,
	"plural":   plural,
	"ref":      refLink,
}

// refLink makes a rule reference a link when it has one, titled with its
// title or, for a bare link, the link itself.
func refLink(ref string) htmlLink {
	title, link := diagnose.SplitReference(ref)
	if title == "" {
		title = link
	}
	return htmlLink{Text: title, Href: link}
}

// htmlDoc is the template's data: the page and the assets to inline.
type htmlDoc struct {
	*htmlPage
	Style  template.CSS
	Script template.JS
}

// writeScanHTML writes the self-contained HTML incident report.
func writeScanHTML(w io.Writer, r *scan.Result, opts Options) error {
	a, err := loadAssets()
	if err != nil {
		return err
	}
	page, err := buildPage(r, opts)
	if err != nil {
		return err
	}
	page.CSP = a.csp
	var buf bytes.Buffer
	if err := a.tmpl.Execute(&buf, htmlDoc{htmlPage: page, Style: a.style, Script: a.script}); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return writeNeutralised(w, buf.Bytes())
}
