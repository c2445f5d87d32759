package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// authDeniedRule returns the auth-denied rule.
func authDeniedRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "auth-denied",
		Title:    "Authentication denied (401.1 / 401.2 / 401.3)",
		Severity: diagnose.Medium,
		Explanation: `IIS refused the request's credentials. 401.1: the logon failed (wrong password,
locked or disabled account, SEC_E_LOGON_DENIED). 401.2: the request offered no
authentication method the server accepts; this is also the normal first leg of
every NTLM/Negotiate handshake (an anonymous request answered with a
challenge), so a lone 401.2 is information, not a failure. 401.3: the user
authenticated but the file system ACL denies access.`,
		Looks: []string{
			"status 401.1, 401.2 or 401.3 and the error code the module recorded",
			"whether the request carried Authorization and which kind",
		},
		Fix: `401.1: check the account (locked, expired, wrong domain) and the security log on
the server (event 4625 gives the reason). 401.2 with credentials: align the
authentication providers (windowsAuthentication providers Negotiate/NTLM,
anonymous off/on as intended) with what clients send. 401.3: grant the
application pool identity / users Read on the content folder.`,
		References: []string{
			"KB 943891: IIS HTTP status codes (401 substatus)",
			"SSPI SEC_E_LOGON_DENIED (0x8009030C)",
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
		if s.Auth.NTLMType == 1 {
			// IIS logs the challenge leg of NTLM as 401.1 (often with
			// 0x8009030E): the handshake going as designed.
			m.Severity = sev(diagnose.Info)
			m.Summary = "the challenge leg of an NTLM handshake (type 1 answered with a type 2 challenge)"
			break
		}
		m.Severity = sev(diagnose.High)
		m.Summary = status.Describe(401, 1)
		if code, ok := s.HasErrorCode(secLogonDenied); ok {
			m.Summary = fmt.Sprintf("logon failed (%s)", status.Code(code).Name)
		}
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
