package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// appStartupFailedRule returns the app-startup-failed rule.
func appStartupFailedRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "app-startup-failed",
		Title:    "The application cannot start",
		Severity: diagnose.Critical,
		Explanation: `The application failed before it could serve any request, so every URL of it fails
the same way (even static files such as favicon.ico under the integrated pipeline).
ASP.NET: AspNetInitializationExceptionModule answers 500 with the start-up
exception (a missing bin\roslyn\csc.exe from Microsoft.CodeDom.Providers.
DotNetCompilerPlatform, an assembly that does not load, OWIN start-up, a
Global.asax parser error, a web.config "Configuration Error" with its line).
ASP.NET Core: the ASP.NET Core Module answers 502.5 (out-of-process process
failure) or 500.30–500.38 (in-process start failure, runtime not found, bitness,
hosting-model mix, start-up time limit, app dll missing).`,
		Looks: []string{
			"MODULE_SET_RESPONSE_ERROR_STATUS from AspNetInitializationExceptionModule",
			"status 502.5 or 500.30–500.38 (AspNetCoreModuleV2) or the ANCM error page",
			"an ASP.NET Configuration Error page, a Global.asax parser error, web event 3008, or a stack through the application's start-up",
		},
		Fix: `Fix what the start-up exception names, then recycle the application pool. Missing
bin\roslyn\csc.exe: restore the NuGet package Microsoft.CodeDom.Providers.
DotNetCompilerPlatform and deploy the bin\roslyn folder (or remove the
system.codedom compiler entries). Configuration Error: fix web.config at the line
shown. Assembly load failures: deploy the assembly or correct the bindingRedirect.
ASP.NET Core: set stdoutLogEnabled="true" in web.config (and create the logs
folder) or read the Application event log (source "IIS AspNetCore Module V2"),
check the Hosting Bundle matches the app's runtime, the pool's bitness and
startupTimeLimit; run "dotnet <app>.dll" in the site folder to see the error.`,
		References: []string{
			"Microsoft: Troubleshoot ASP.NET Core on Azure App Service and IIS (500.30–500.38, 502.5) — https://docs.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis",
			"Microsoft: ASP.NET Core Module (ANCM) configuration reference (stdoutLogEnabled, startupTimeLimit) — https://learn.microsoft.com/aspnet/core/host-and-deploy/aspnet-core-module",
			"NuGet: Microsoft.CodeDom.Providers.DotNetCompilerPlatform (bin\\roslyn)",
		},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			why := startupFailure(s)
			if why == "" {
				return nil
			}
			ev := []diagnose.Evidence{statusEvidence(s), urlEvidence(s)}
			if es := s.Trace.ErrorStatus; es != nil {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "module", Value: es.Module + " (" + es.Notification + ")"})
			}
			summary := why
			if p := s.Page; p != nil {
				switch {
				case p.Kind == diagnose.PageASPNET && (p.ExceptionType != "" || p.RootType != ""):
					exc := s.RevealText(exceptionText(p))
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "exception (error page)", Value: exc})
					summary += ": " + exc
					if strings.Contains(strings.ToLower(exc), `\roslyn\csc.exe`) {
						summary += " (the bin\\roslyn compiler folder was not deployed)"
					}
				case p.ParserMessage != "":
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "Parser Error Message", Value: s.RevealText(p.ParserMessage)})
					summary += ": " + s.RevealText(p.ParserMessage)
				case p.Kind == diagnose.PageANCM && p.Description != "":
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: string(p.Kind), Value: p.Heading + ": " + p.Description})
				}
				if p.Kind == diagnose.PageASPNET {
					ev = append(ev, pageSourceEvidence(s)...)
				}
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	}
}
