package rules

import (
	"fmt"
	"regexp"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// reCompilerCode is a C# or VB compiler error number.
var reCompilerCode = regexp.MustCompile(`\b(CS|BC)\d{4,5}\b`)

// compilationErrorRule returns the compilation-error rule.
func compilationErrorRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "compilation-error",
		Title:    "ASP.NET could not compile a page (compilation or parser error)",
		Severity: diagnose.High,
		Explanation: `ASP.NET compiles .aspx/.cshtml pages and App_Code on first use. The compiler (or
the page parser) rejected the source, so every request for the page fails with 500
until the file is fixed. The error page names the compiler error (CS0103, BC30451,
or ASP.NET's own "Make sure that the class defined in this code file matches the
'inherits' attribute"), the file and the line; ASP.NET raises web event 3007
(3006 for a parser error).`,
		Looks: []string{
			"the Compilation Error / Parser Error page (Compiler Error Message, Source File, Line)",
			"AspNetWebEventRaiseStart 3007 or 3006",
			"AspNetCompileLeave ending in failure",
		},
		Fix: `Fix the source at the file and line shown, or deploy the missing code-behind /
App_Code file; a mismatch between the page's Inherits attribute and the class
usually means a partial deployment. Precompile the site (aspnet_compiler or
"Precompile during publishing") so such errors fail the build instead of a request.`,
		References: []string{"Microsoft: ASP.NET compilation overview", "Microsoft: ASP.NET health monitoring, WebEventCodes (3006, 3007)"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			what := compileFailure(s)
			if what == "" {
				return nil
			}
			ev := []diagnose.Evidence{statusEvidence(s), urlEvidence(s)}
			summary := "ASP.NET " + what
			if p := s.Page; p != nil && p.Kind == diagnose.PageASPNET {
				msg := p.CompilerMessage
				if msg == "" {
					msg = p.ParserMessage
				}
				if msg != "" {
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "error message", Value: s.RevealText(msg)})
					summary += ": " + s.RevealText(msg)
				}
				if code := reCompilerCode.FindString(msg + " " + s.Trace.Body); code != "" {
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "compiler error", Value: code})
				}
				if p.SourceFile != "" {
					summary += fmt.Sprintf(" (%s, line %d)", p.SourceFile, p.Line)
				}
				ev = append(ev, pageSourceEvidence(s)...)
			} else if code, ok := webEvent(s, 3007, 3006); ok {
				ev = append(ev, webEventEvidence(code, s))
			}
			for _, f := range s.Trace.CompileFailures {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "AspNetCompileLeave failure", Value: f})
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	}
}
