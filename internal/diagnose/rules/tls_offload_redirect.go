package rules

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// tlsOffloadRedirectRule returns the tls-offload-redirect-loop rule.
func tlsOffloadRedirectRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "tls-offload-redirect-loop",
		Title:    "HTTP-to-HTTPS redirect behind TLS offloading: the client is sent back to the URL it used (redirect loop)",
		Severity: diagnose.High,
		Explanation: `The load balancer terminates the client's HTTPS and forwards plain HTTP to IIS. A
redirect that enforces HTTPS (a URL Rewrite rule on {HTTPS} off, HTTP Redirection,
or the application's own "require HTTPS") sees plain HTTP and answers 301/302 to
https:// on the same URL. The client was already on https://, so it requests the
same URL again, the load balancer forwards it as HTTP again, and the browser
stops with "too many redirects". Where "Require SSL" is set instead, the same
set-up gives 403.4 (ssl-offload).`,
		Looks: []string{
			"a 301/302/307/308 whose Location is https:// on the request's own host and path",
			"the request reached IIS over plain HTTP (http:// URL, port 80)",
			"X-Forwarded-Proto: https (or X-ARR-SSL, Front-End-Https: on) saying the client already used HTTPS",
		},
		Fix: `Make the HTTPS check look at what the client used, not at the hop from the
load balancer: in the URL Rewrite rule add a condition {HTTP_X_FORWARDED_PROTO}
matching ^https$ with negate="true" (instead of, or beside, {HTTPS} off); in
ASP.NET Core call UseForwardedHeaders (with the balancer in KnownProxies) before
UseHttpsRedirection. Or re-encrypt from the load balancer to IIS (SSL bridging)
so {HTTPS} is on.`,
		VendorFixes: map[string]string{
			arr: `IIS ARR in front: forward to the back end over HTTPS, or make the back end's redirect rule test {HTTP_X_ARR_SSL} (set by ARR when the client used HTTPS) instead of {HTTPS}.`,
		},
		References: []string{
			"https://devblog.cyotek.com/post/redirecting-to-https-when-using-iis-behind-a-load-balancer",
			"https://learn.microsoft.com/en-us/aspnet/core/host-and-deploy/proxy-load-balancer",
		},
		Trace: tlsOffloadRedirect,
	}
}

func tlsOffloadRedirect(s *diagnose.Subject) *diagnose.Match {
	switch s.Trace.StatusCode {
	case 301, 302, 307, 308:
	default:
		return nil
	}
	loc, ok := s.Response.Get("Location")
	if !ok || !strings.HasPrefix(s.Path(), "/") {
		return nil
	}
	target, err := url.Parse(strings.TrimSpace(loc))
	if err != nil || !strings.EqualFold(target.Scheme, "https") {
		return nil
	}
	host := strings.ToLower(firstNonEmpty(s.Request.Value("X-Forwarded-Host"), s.Request.Value("X-Original-Host"), s.Request.Value("Host")))
	if h, _, found := strings.Cut(host, ":"); found {
		host = h
	}
	samePath := strings.EqualFold(strings.TrimSuffix(target.Path, "/"), strings.TrimSuffix(s.Trace.Path(), "/")) ||
		strings.EqualFold(strings.TrimSuffix(target.Path, "/"), strings.TrimSuffix(strings.ToLower(s.Request.Value("X-Original-URL")), "/"))
	if !strings.EqualFold(target.Hostname(), host) || !samePath {
		return nil
	}
	plain := strings.HasPrefix(strings.ToLower(s.Trace.URL), "http://")
	if !plain {
		// IIS saw HTTPS: a redirect to https:// is some other rule's doing.
		return nil
	}
	var ev []diagnose.Evidence
	for _, h := range []struct{ name, want string }{
		{"X-Forwarded-Proto", "https"}, {"X-ARR-SSL", ""}, {"Front-End-Https", "on"}, {"X-Forwarded-Ssl", "on"}, {"X-Forwarded-Scheme", "https"},
	} {
		if e, ok := s.RequestHeaderEvidence(h.name); ok && (h.want == "" || strings.EqualFold(strings.TrimSpace(e.Value), h.want)) {
			ev = append(ev, e)
		}
	}
	told := len(ev) > 0
	if !told && !s.Proxy.Present {
		// A plain-HTTP client redirected to HTTPS once is the redirect
		// working.
		return nil
	}
	le, _ := s.ResponseHeaderEvidence("Location")
	ev = append([]diagnose.Evidence{statusEvidence(s), {Where: diagnose.InTrace, Name: "url", Value: fmt.Sprintf("%s (plain HTTP on port %d)", s.Trace.URL, s.Trace.LocalPort)}, le}, ev...)
	if es := s.Trace.ErrorStatus; es != nil && es.Module != "" {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "redirect set by", Value: es.Module})
	}
	ev = append(ev, s.ProxyEvidence()...)
	m := &diagnose.Match{Confidence: diagnose.ConfidenceMedium, Evidence: ev,
		Summary: "IIS got plain HTTP from the proxy and redirected to https:// on the same URL (inferred: the client's own scheme is not in the trace)"}
	if told {
		m.Confidence = diagnose.ConfidenceHigh
		m.Summary = "the client already used HTTPS (the proxy says so) but IIS, seeing plain HTTP, redirected it to the same https:// URL: a redirect loop"
	}
	return m
}
