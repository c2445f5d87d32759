package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// configCauses explains the HRESULTs 500.19 carries (KB 942055).
var configCauses = map[uint32]string{
	0x8007000D: "malformed or unknown configuration element: often a section for a module that is not installed (e.g. <rewrite> without URL Rewrite)",
	0x80070021: "the section is locked at a higher level (overrideModeDefault=\"Deny\")",
	0x80070005: "access denied reading the configuration: IIS_IUSRS or the pool identity lacks Read on web.config or its folder, or UNC credentials fail",
	0x800700B7: "duplicate entry: the same <add> exists at a higher level",
	0x8007007E: "a module or DLL the configuration references does not exist (uninstalled, or 32/64-bit path)",
	0x800700C1: "bitness mismatch: a 32-bit module in a 64-bit pool (enable32BitAppOnWin64) or a corrupt module",
	0x8007010B: "the content directory is not accessible or the path is invalid",
	0x8007052E: "logon failure for the pool identity reading web.config on a remote share",
	0x80070003: "the configuration file cannot be read: path missing or mismatched",
	0x80070002: "a file the configuration refers to cannot be found",
}

// configErrorRule returns the config-error rule.
func configErrorRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "config-error",
		Title:    "IIS configuration error (500.19 / 500.21–500.24)",
		Severity: diagnose.High,
		Explanation: `IIS could not use the configuration for this URL. 500.19: the configuration data
is invalid; the HRESULT and the file/line IIS recorded say why. 500.21: a handler
is mapped to a module that is not recognised (module not installed, e.g. the
ASP.NET Core Module). 500.22/500.23: system.web httpModules/httpHandlers are not
valid in the Integrated pipeline. 500.24: ASP.NET impersonation is not valid in
Integrated mode.`,
		Looks: []string{"status 500.19 with its HRESULT and ConfigExceptionInfo (file, line)", "status 500.21, 500.22, 500.23 or 500.24"},
		Fix: `500.19: fix the file and line named in the evidence (see the HRESULT meaning).
500.21: install the module the handler needs or fix the handler mapping.
500.22–500.24: migrate the configuration to Integrated mode
("%windir%\system32\inetsrv\appcmd migrate config \"<site>/<app>\"") or set
validateIntegratedModeConfiguration="false" where appropriate.`,
		References: []string{
			"KB 942055: HTTP Error 500.19 – configuration data is invalid (HRESULT table)",
			"KB 943891: IIS HTTP status codes (500.19, 500.21–500.24) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
		},
		Trace: configError,
	}
}

func configError(s *diagnose.Subject) *diagnose.Match {
	if !is(500, s, 19, 21, 22, 23, 24) {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s)}
	summary := status.Describe(500, s.Trace.SubStatusCode)
	if es := s.Trace.ErrorStatus; es != nil {
		if es.ErrorCode != 0 {
			ev = append(ev, codeEvidence(s, es.ErrorCode))
			if cause, ok := configCauses[es.ErrorCode]; ok && s.Trace.SubStatusCode == 19 {
				summary = cause
			}
		}
		if es.ConfigException != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "ConfigExceptionInfo", Value: strings.TrimSpace(es.ConfigException)})
		}
		if es.Description != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "SET_RESPONSE_ERROR_DESCRIPTION", Value: es.Description})
		}
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "module", Value: es.Module})
	}
	return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
}
