package gen

import (
	"net/http"
	"strings"
)

// responseBody is what the response entity buffers carry, and whether it
// is IIS's own error page (written after GENERAL_SEND_CUSTOM_ERROR).
func responseBody(s *Scenario) (string, bool) {
	if s.ResponseBody != "" || s.ResponseHeaders == nil {
		return s.ResponseBody, false
	}
	if s.Error == nil || s.Status.Code < 400 || s.Verb == "HEAD" {
		return "", false
	}
	return detailedError(s), true
}

// detailedError is a shortened IIS 10 detailed error page. IIS writes a
// space before every CR LF in it.
func detailedError(s *Scenario) string {
	status := FormatStatus(s.Status)
	reason := http.StatusText(s.Status.Code)
	e := s.Error
	lines := []string{
		`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">`,
		`<html xmlns="http://www.w3.org/1999/xhtml">`,
		`<head>`,
		`<title>IIS 10.0 Detailed Error - ` + status + ` - ` + reason + `</title>`,
		`<style type="text/css">`,
		`<!--`,
		`body{margin:0;font-size:.7em;font-family:Verdana,Arial,Helvetica,sans-serif;}`,
		`code{margin:0;color:#006600;font-size:1.1em;font-weight:bold;}`,
		`-->`,
		`</style>`,
		`</head>`,
		`<body>`,
		`<div id="content">`,
		`<div class="content-container">`,
		`<h3>HTTP Error ` + status + ` - ` + reason + `</h3>`,
		`<h4>` + htmlEscape(firstNonEmpty(e.Description, reason)) + `</h4>`,
		`</div>`,
		`<div class="content-container">`,
		`<fieldset><h4>Detailed Error Information:</h4>`,
		`<div id="details-left">`,
		`<table border="0" cellpadding="0" cellspacing="0">`,
		`<tr class="alt"><th>Module</th><td>&nbsp;&nbsp;&nbsp;` + htmlEscape(e.Module) + `</td></tr>`,
		`<tr><th>Notification</th><td>&nbsp;&nbsp;&nbsp;` + notificationTitle(e.Notification) + `</td></tr>`,
		`<tr class="alt"><th>Handler</th><td>&nbsp;&nbsp;&nbsp;` + htmlEscape(s.Handler.Name) + `</td></tr>`,
		`<tr><th>Error Code</th><td>&nbsp;&nbsp;&nbsp;0x` + hex8(e.Code) + `</td></tr>`,
		`</table>`,
		`</div>`,
		`</fieldset>`,
		`</div>`,
		`</div>`,
		`</body>`,
		`</html>`,
	}
	return strings.Join(lines, " \r\n") + " \r\n"
}

func hex8(c uint32) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = digits[c&0xf]
		c >>= 4
	}
	return string(b)
}

// notificationTitle turns AUTHENTICATE_REQUEST into AuthenticateRequest as
// the error page shows it.
func notificationTitle(n string) string {
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(n), "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
