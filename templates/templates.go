// Package templates holds the HTML report's templates, stylesheet and
// script. They are embedded in the binary so a report is one file that
// needs nothing beside it, and kept as ordinary files so they can be
// edited and reviewed as HTML, CSS and JavaScript.
package templates

import "embed"

// FS holds report.html (the page and its parts), report.css and report.js.
// The stylesheet and script are inlined into every report and allowed by
// their SHA-256 in the page's Content-Security-Policy.
//
//go:embed *.html *.css *.js
var FS embed.FS
