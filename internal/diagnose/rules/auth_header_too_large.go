package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// Http.sys rejects a header field longer than MaxFieldLength and a request
// header block larger than MaxRequestBytes (both 16,384 bytes by default)
// with 400 before IIS sees the request, so FREB cannot show the failures:
// only the requests that came close.
const (
	httpSysFieldLimit = 16384
	tokenWarnBytes    = 12000
)

// authHeaderTooLargeRule returns the auth-header-too-large rule.
func authHeaderTooLargeRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "auth-header-too-large",
		Title:    "Authorization header close to the Http.sys 16 KB limit (Kerberos token bloat)",
		Severity: diagnose.Medium,
		Explanation: `Kerberos tickets grow with the user's group memberships. Http.sys rejects a
header longer than MaxFieldLength or a header block larger than MaxRequestBytes
(16 KB each by default) with "400 Bad Request – Request Header Too Long" before
the request reaches IIS, so those failures never appear in FREB or the W3SVC log
(only in HTTPERR). FREB can show the requests that still got in: when their
Authorization header is close to the limit, users with a few more groups are
already failing. Load balancers have header limits of their own.`,
		Looks: []string{
			fmt.Sprintf("Authorization header longer than %d bytes (limit %d)", tokenWarnBytes, httpSysFieldLimit),
		},
		Fix: `Reduce the user's group memberships (nested and SID history), or raise the limits
on every Exchange/IIS server: HKLM\SYSTEM\CurrentControlSet\Services\HTTP\Parameters
MaxFieldLength and MaxRequestBytes (e.g. 4/3 × token size + 200, up to 65534),
and Kerberos MaxTokenSize 48000; restart the HTTP service. Raise the load
balancer's header buffer too (HAProxy tune.bufsize, F5 HTTP profile maximum
header size, NetScaler max header length).`,
		References: []string{
			"KB 2020943: HTTP 400 Bad Request (Request Header too long) with Kerberos — https://learn.microsoft.com/troubleshoot/developer/webapps/iis/www-administration-management/http-bad-request-response-kerberos",
			"Http.sys registry settings: MaxFieldLength, MaxRequestBytes",
		},
		Trace: authHeaderTooLarge,
	}
}

func authHeaderTooLarge(s *diagnose.Subject) *diagnose.Match {
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		v, ok := s.Request.Get(name)
		if !ok || len(v) < tokenWarnBytes {
			continue
		}
		ev, _ := s.RequestHeaderEvidence(name)
		size := len(name) + 2 + len(v)
		return &diagnose.Match{
			Confidence: diagnose.ConfidenceHigh,
			Evidence: []diagnose.Evidence{ev,
				{Where: diagnose.InRequestHeader, Name: name + " size", Value: fmt.Sprintf("%d bytes (%d%% of the %d-byte Http.sys limit)", size, size*100/httpSysFieldLimit, httpSysFieldLimit)}},
			Summary: fmt.Sprintf("a %d-byte %s header: slightly larger tokens are rejected by Http.sys before FREB sees them", size, name),
		}
	}
	return nil
}
