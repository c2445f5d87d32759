package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
)

// authDeniedRule returns the auth-denied rule.
func authDeniedRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "auth-denied",
		Title:    "Authentication denied (401.1 / 401.2 / 401.3)",
		Severity: diagnose.Medium,
		Explanation: `IIS refused the request's credentials. 401.1: the logon failed; the SSPI status
says why. Only SEC_E_LOGON_DENIED (0x8009030C), ERROR_LOGON_FAILURE (0x8007052E)
and the STATUS_LOGON_FAILURE family (0xC000006D …) mean a wrong password or an
account problem; SEC_E_INVALID_TOKEN (0x80090308) points at a handshake split
across connections or servers, SEC_E_BAD_BINDINGS (0x80090346) at Extended
Protection behind a TLS-terminating proxy, and SEC_I_CONTINUE_NEEDED (0x00090312)
is the handshake continuing, not an error. When a more specific rule explains
the same trace, that rule's finding replaces this one. 401.2: the request offered no
authentication method the server accepts; this is also the normal first leg of
every NTLM/Negotiate handshake (an anonymous request answered with a
challenge), so a lone 401.2 is information, not a failure. 401.3: the user
authenticated but the file system ACL denies access.`,
		Looks: []string{
			"status 401.1, 401.2 or 401.3 and the error code the module recorded",
			"for 401.1, the SSPI status: logon failure, invalid token, bad bindings, wrong principal or continue needed",
			"whether the request carried Authorization and which kind",
		},
		Fix: `401.1 with a logon-failure status: check the account (locked, expired, wrong
domain, wrong password) and the security log on the server (event 4625 gives the
reason). 401.1 with another status: follow the status named in the finding, not
the account. 401.2 with credentials: align the
authentication providers (windowsAuthentication providers Negotiate/NTLM,
anonymous off/on as intended) with what clients send. 401.3: grant the
application pool identity / users Read on the content folder.`,
		References: []string{
			"KB 943891: IIS HTTP status codes (401 substatus) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
			"SSPI SEC_E_LOGON_DENIED (0x8009030C) — https://learn.microsoft.com/en-us/windows/desktop/api/sspi/nf-sspi-acceptsecuritycontext",
			"https://learn.microsoft.com/en-us/windows/win32/secauthn/sspi-status-codes",
			"https://learn.microsoft.com/archive/blogs/david.wang/howto-diagnose-401-x-http-errors-on-iis",
		},
		Trace: authDenied,
	}
}

func authDenied(s *diagnose.Subject) *diagnose.Match {
	if !is(401, s, 1, 2, 3) {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s)}
	for _, c := range s.ErrorCodes() {
		ev = append(ev, codeEvidence(s, c))
	}
	if a, ok := s.RequestHeaderEvidence("Authorization"); ok {
		ev = append(ev, a)
	} else {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InRequestHeader, Name: "Authorization", Value: "(absent)"})
	}
	m := &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev}
	switch s.Trace.SubStatusCode {
	case 1:
		authDeniedLogon(s, m)
	case 2:
		if !s.HasAuth || s.Auth.NTLMType == 1 {
			m.Severity = sev(diagnose.Info)
			m.Summary = "the normal first leg of a handshake: the server answered with a challenge"
			m.Title = "Authentication challenge (401.2 first leg of a handshake)"
			m.Fix = "Nothing to fix when the client's next request carries credentials and succeeds. Only when no such request follows (look for the same client and URL): the client cannot or will not authenticate with the schemes offered (WWW-Authenticate)."
		} else {
			m.Summary = "credentials were offered but the server accepts none of their kind"
		}
	case 3:
		m.Summary = "authenticated, but the file system ACL denies access"
	}
	return m
}
