package archive

import (
	"html/template"
	"io"
)

// indexPage lists past incidents, newest first. It is self-contained (no
// external resources) and every value is escaped by html/template.
var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"sevclass": func(s interface{ String() string }) string { return "sev-" + s.String() },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>frebscan incident reports</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #d8dee4;vertical-align:top}
th{background:#f3f5f7}.sev{display:inline-block;min-width:4.5rem;font-weight:600;font-size:.75rem;text-transform:uppercase;padding:.05rem .4rem;border-radius:.25rem;margin-right:.4rem}
.sev-critical{background:#b42318;color:#fff}.sev-high{background:#fde2e1;color:#912018}.sev-medium{background:#fef0c7;color:#93370d}.sev-low,.sev-info{background:#eef2f6;color:#364152}
.partial{color:#93370d;font-weight:600}ul{margin:0;padding-left:0;list-style:none}li{margin:.15rem 0}
</style></head><body>
<h1>frebscan incident reports</h1>
{{if not .Entries}}<p>No incident recorded yet.</p>{{else}}
<table><thead><tr><th>When (UTC)</th><th>Traces</th><th>Headline findings</th><th>Reports</th></tr></thead><tbody>
{{range .Entries}}<tr><td>{{.Time.Format "2006-01-02 15:04:05"}}{{if .Partial}} <span class="partial">partial</span>{{end}}</td><td>{{.Traces}}</td>
<td><ul>{{range .Findings}}<li><span class="sev {{sevclass .Severity}}">{{.Severity}}</span>{{.Title}} <small>({{.Rule}}, {{.Count}}{{if .Vendor}}, {{.Vendor}}{{end}})</small></li>{{end}}</ul></td>
<td>{{range $f, $name := .Files}}<a href="{{$name}}">{{$f}}</a> {{end}}</td></tr>
{{end}}</tbody></table>{{end}}
</body></html>
`))

func indexHTML(w io.Writer, idx *Index) error { return indexPage.Execute(w, idx) }
