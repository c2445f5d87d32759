package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// expect100ContinueRule returns the expect-100-continue rule.
func expect100ContinueRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "expect-100-continue",
		Title:    "Expect: 100-continue mishandled by the proxy",
		Severity: diagnose.High,
		Explanation: `The client sent "Expect: 100-continue": it waits for an interim 100 Continue
before sending the request body (RFC 7231 §5.1.1). A load balancer that does not
handle this per the RFC either swallows the interim response, waits for a body
the client is holding back, or forwards the header and then mangles the body.
The server sees a POST whose body is missing or short, answers 400/417/501, or
the request hangs until a timeout. EWS, Autodiscover and MRS (mailbox moves)
clients use Expect: 100-continue, so Exchange connectivity tests fail while
browsers work.

FREB shows only the requests that reached IIS. When the load balancer answers
417 or 501 to Expect: 100-continue itself, or Http.sys rejects the request (a
bad or too long header) before IIS, there is no trace at all: a client that
reports 417/501/400 with no matching FREB points there. Capture the load
balancer's own log and the Http.sys error log
(%SystemRoot%\System32\LogFiles\HTTPERR, reason field) instead.`,
		Looks: []string{
			"request header Expect: 100-continue on a request that came through a proxy",
			"status 400, 417 or 501, or fewer body bytes received than Content-Length, or a long time taken",
		},
		Fix: `Make the proxy handle Expect: 100-continue per RFC 7231 (answer or forward the
interim 100 and then stream the body), or have it strip the Expect header and
buffer the body. Upgrade firmware with known 100-continue bugs. If clients see
417/501 with no FREB for those requests, read the load balancer's log (it
answered itself) and the server's HTTPERR log; .NET clients can stop sending
the header (ServicePointManager.Expect100Continue = false).`,
		VendorFixes: map[string]string{
			kemp: `KEMP LoadMaster: System Configuration → Miscellaneous Options → L7 Configuration
→ "100-Continue Handling": set "RFC-7231 Compliant" (if it already is, try
"Require 100-Continue" / the setting the Exchange deployment guide gives for your
firmware), then re-run the Remote Connectivity Analyzer EWS test.`,
			f5:        `F5 BIG-IP: make sure the HTTP profile passes Expect through (no iRule answers 100 itself), and upgrade TMOS if a 100-continue defect applies; as a workaround remove the Expect header in an iRule so the client sends the body at once.`,
			netscaler: `Citrix NetScaler/ADC: check the HTTP profile (the appliance handles 100-continue itself by default); upgrade firmware, or remove the Expect header with a rewrite policy.`,
			haproxy:   `HAProxy: use "option http-buffer-request" only where needed and a current version; HAProxy forwards 100-continue correctly by default, so look for a rule that deletes or answers Expect.`,
			arr:       `IIS ARR: update ARR 3.0 and keep "Response buffer threshold" defaults; remove rules that strip Expect.`,
		},
		References: []string{
			"RFC 7231 §5.1.1 Expect (100-continue)",
			"https://learn.microsoft.com/en-us/windows/win32/http/types-of-errors-logged-by-the-http-server-api",
			"https://www.experts-exchange.com/articles/1379/The-request-failed-with-HTTP-status-417-Expectation-failed.html",
			"bhargavs.com, Mac Mail not connecting to Exchange Server – Part 1 (KEMP 100-Continue Handling)",
			"m365security.eu (2014-01-16): KEMP L7 badrequest-client_read (-501) during hybrid mailbox moves",
		},
		Trace: expect100Continue,
	}
}

func expect100Continue(s *diagnose.Subject) *diagnose.Match {
	expect, ok := s.RequestHeaderEvidence("Expect")
	if !ok || !strings.Contains(strings.ToLower(expect.Value), "100-continue") || !s.Proxy.Present {
		return nil
	}
	var symptoms []diagnose.Evidence
	code := s.Trace.StatusCode
	if code == 400 || code == 417 || code == 501 || code == 408 {
		symptoms = append(symptoms, statusEvidence(s))
	}
	if cl, err := strconv.ParseInt(strings.TrimSpace(s.Request.Value("Content-Length")), 10, 64); err == nil && cl > 0 {
		received := s.Trace.BytesReceived
		if received > 0 && received < cl {
			symptoms = append(symptoms, diagnose.Evidence{Where: diagnose.InTrace, Name: "body",
				Value: fmt.Sprintf("Content-Length %d but only %d bytes received in all (headers included)", cl, received)})
		}
	}
	// A failed body read is the body that never came: the proxy held it
	// back waiting for a 100 Continue that it swallowed.
	for _, e := range s.Trace.IOErrors {
		if e.Name == "GENERAL_READ_ENTITY_END" {
			symptoms = append(symptoms, diagnose.Evidence{Where: diagnose.InEvent, Name: e.Name,
				Value: "reading the request body failed: " + status.Code(e.ErrorCode).String()})
			break
		}
	}
	if s.Trace.TimeTakenMs >= 10_000 {
		symptoms = append(symptoms, diagnose.Evidence{Where: diagnose.InTrace, Name: "timeTaken", Value: fmt.Sprintf("%d ms", s.Trace.TimeTakenMs)})
	}
	if len(symptoms) == 0 {
		return nil
	}
	ev := append([]diagnose.Evidence{expect}, s.ProxyEvidence()...)
	ev = append(ev, urlEvidence(s))
	ev = append(ev, symptoms...)
	conf := diagnose.ConfidenceMedium
	if len(symptoms) >= 2 {
		conf = diagnose.ConfidenceHigh
	}
	return &diagnose.Match{Confidence: conf, Evidence: ev,
		Summary: "a " + s.Trace.Verb + " with Expect: 100-continue through a proxy failed (" + s.Status() + ")"}
}
