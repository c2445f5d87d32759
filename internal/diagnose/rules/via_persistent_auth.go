package rules

import (
	"github.com/frebscan/frebscan/internal/auth"
	"github.com/frebscan/frebscan/internal/diagnose"
)

// viaPersistentAuthRule returns the via-persistent-auth rule.
func viaPersistentAuthRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "via-persistent-auth",
		Title:    "Proxy adds Via, Exchange answers Persistent-Auth: false, the client drops its credentials",
		Severity: diagnose.High,
		Explanation: `A load balancer or proxy in front of Exchange inserts a Via header. When IIS sees
Via it treats Windows authentication on the connection as non-persistent and
answers the successful handshake with "Persistent-Auth: false" (MS-N2HT), telling
the client to authenticate every request. Clients that ignore the hint, above
all Apple Mail's EWS stack, send the next request on the same connection without
Authorization; Exchange rejects it with 401, or with 400 Bad Request for an EWS
POST whose body was already sent. Outlook for Mac re-authenticates and keeps
working, which makes the failure look client-specific.`,
		Looks: []string{
			"request header Via (inserted by the proxy) and the proxy fingerprint (X-ClientSide, X-Forwarded-For …)",
			"an Exchange path, EWS above all (POST /ews/exchange.asmx)",
			"a client known to ignore Persistent-Auth: false (Apple Mail: Mail/… ExchangeWebServices/…)",
			"the request got 400 (without Authorization, or carrying its NTLM message after two 401s) or 401 without credentials",
			"response header Persistent-Auth: false where a response is traced",
			"across traces: a completed NTLM/Negotiate handshake followed by a request without credentials",
		},
		Fix: `Stop the proxy from inserting Via on requests to Exchange. IIS only marks
authentication non-persistent because of Via; without it Exchange answers
Persistent-Auth: true and Apple Mail keeps working. If the header cannot be
removed, clients must authenticate every request (Apple Mail cannot be changed).`,
		VendorFixes: map[string]string{
			kemp: `KEMP LoadMaster: on the Exchange virtual service, Advanced Properties → "Additional
L7 Header", change "X-ClientSide" to "None" (LoadMaster sends Via together with
X-ClientSide). This also stops X-ClientSide, so IIS no longer sees the client IP:
if you need it, use "X-Forwarded-For" (which does not add Via) or a header
modification rule that deletes Via. Re-test with Apple Mail.`,
			f5: `F5 BIG-IP: in the HTTP profile of the Exchange virtual server set "Via Header" →
Request to "Remove" (not "Preserve"/"Append"), or remove Via in an iRule
(HTTP::header remove Via) before the request goes to the pool.`,
			netscaler: `Citrix NetScaler/ADC: disable Via insertion for the Exchange vserver (HTTP profile
or "set ns param -insertVia DISABLED" where applicable) or add a rewrite policy
that deletes the Via header on requests to Exchange.`,
			haproxy: `HAProxy: remove any "http-request add-header Via" / "set-header Via" for the
Exchange backend, or add "http-request del-header Via" to it.`,
			arr: `IIS ARR: ARR adds no Via by default; look for a URL Rewrite server variable or
outbound/inbound rule that sets HTTP_VIA, and remove it.`,
			caddy: `Caddy adds "Via: 1.1 Caddy" to every upstream request. Remove it inside the reverse_proxy block with "header_up -Via" (header_up
operations apply after Caddy prepares the request).`,
			apache: `Apache httpd adds Via when ProxyVia is On or Full: set "ProxyVia Off" (the default, which passes an existing Via through
unchanged) and, if an earlier hop adds Via, "RequestHeader unset Via" in the proxying virtual host.`,
		},
		References: []string{
			"MS-N2HT §2.2.1 Persistent-Auth header (Microsoft Negotiate and NTLM HTTP authentication) — https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-n2ht/c37e59c4-4252-4626-8121-957504c52cbc",
			"IIS windowsAuthentication: authPersistSingleRequest / authPersistNonNTLM — https://learn.microsoft.com/en-us/previous-versions/iis/settings-schema/aa347472(v=vs.90)",
			"bhargavs.com, Mac Mail not connecting to Exchange Server – Part 2 (2015-11-05)",
			"curl PR #363: IIS answers 401 on a re-used NTLM connection behind a proxy (Via) — https://github.com/curl/curl/pull/363",
			"KEMP LoadMaster: Virtual Service Advanced Properties, Additional L7 Header",
			"https://blogs.technet.microsoft.com/isablog/2009/07/30/excessive-authentication-traffic-accessing-an-iis-site-when-using-isa-server-2006-as-forward-proxy/",
			"https://bhargavs.com/index.php/2015/11/05/mac-mail-not-connecting-to-exchange-server-part-2/",
			"https://github.com/curl/curl/pull/363",
			"Caddy reverse proxy source: adds Via: 1.1 Caddy — https://github.com/caddyserver/caddy/blob/master/modules/caddyhttp/reverseproxy/reverseproxy.go",
		},
		Supersedes: []string{"auth-denied"},
		Trace:      viaPersistentAuthTrace,
		Sequence:   viaPersistentAuthSequence,
	}
}

func viaPersistentAuthTrace(s *diagnose.Subject) *diagnose.Match {
	via, hasVia := s.RequestHeaderEvidence("Via")
	if !hasVia || !s.IsExchange() {
		return nil
	}
	persistFalse := s.Persist == auth.PersistFalse
	noCreds := !s.HasAuth
	ignoring := s.Client.IgnoresPersistentAuth
	// An anonymous 401 is the normal first leg of every handshake; a
	// request without credentials is a symptom when it got 400 (the EWS
	// body was refused) or when the server had just said
	// Persistent-Auth: false.
	failed := s.Trace.StatusCode == 400 || s.Trace.StatusCode == 401 && persistFalse
	// A FREB rule on status 400 (as in the seed case) captures the last
	// leg of the failing exchange: Apple Mail's POST carrying its NTLM
	// message, refused with 400 after two 401s. With Via and a client
	// known to mishandle non-persistent authentication that is the same
	// failure, seen one trace later.
	credsRefused := s.Trace.StatusCode == 400 && s.HasAuth && ignoring && s.IsEWS()
	// Persistent-Auth: false alone is harmless for clients that
	// re-authenticate (Outlook for Mac); it matters with a client that
	// ignores it or with a request that then failed without credentials.
	if !((ignoring && (persistFalse || failed && noCreds)) || (persistFalse && failed && noCreds) || credsRefused) {
		return nil
	}
	ev := append([]diagnose.Evidence{via}, s.ProxyEvidence()...)
	ev = append(ev, urlEvidence(s), clientEvidence(s), statusEvidence(s))
	if a, ok := s.RequestHeaderEvidence("Authorization"); ok {
		ev = append(ev, a)
	} else {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InRequestHeader, Name: "Authorization", Value: "(absent)"})
	}
	if p, ok := s.ResponseHeaderEvidence("Persistent-Auth"); ok {
		ev = append(ev, p)
	}
	m := &diagnose.Match{Evidence: ev}
	switch {
	case persistFalse && failed && noCreds && ignoring:
		m.Confidence = diagnose.ConfidenceHigh
		m.Summary = s.Client.Family + " sent a request without credentials after Exchange, seeing Via, answered Persistent-Auth: false"
	case failed && noCreds && ignoring && s.IsEWS():
		m.Confidence = diagnose.ConfidenceMedium
		m.Summary = s.Client.Family + " sent an EWS " + s.Trace.Verb + " without credentials through a proxy that adds Via"
	case credsRefused:
		m.Confidence = diagnose.ConfidenceMedium
		if persistFalse {
			m.Confidence = diagnose.ConfidenceHigh
		}
		m.Summary = s.Client.Family + "'s EWS " + s.Trace.Verb + " with " + diagnose.AuthLabel(s.Auth, s.HasAuth) + " got 400 through a proxy that adds Via: authentication on the connection is not persistent and this client does not cope"
	case persistFalse && ignoring:
		m.Confidence = diagnose.ConfidenceMedium
		m.Summary = "Exchange told " + s.Client.Family + " Persistent-Auth: false because the request came through a proxy (Via); this client ignores it"
	default:
		m.Confidence = diagnose.ConfidenceLow
		m.Summary = "after Persistent-Auth: false the request came without credentials and failed"
	}
	return m
}

// viaPersistentAuthSequence finds the pattern across traces: a client that
// authenticated (or started to) through a Via-adding proxy and then sent a
// request without Authorization that failed with 400, or with 401 after
// Exchange had said Persistent-Auth: false. A bare anonymous 401 after a
// handshake is not enough: well-behaved clients open new connections
// anonymously all the time. The seed case's wire pattern is the other
// shape: POST 401 → POST 401 (NTLM type 1) → POST 400 carrying the NTLM
// answer, from a client that ignores Persistent-Auth: false.
func viaPersistentAuthSequence(seq *diagnose.Sequence) *diagnose.Match {
	handshake, challenged := false, false
	for i, st := range seq.Steps {
		if !st.Via {
			continue
		}
		steps := seq.Steps[:i+1]
		persistFalse := hasPersistFalse(steps)
		switch {
		case st.HasAuth && st.Code == 400 && challenged && (seq.IgnoresPersistentAuth || persistFalse):
			return viaSequenceMatch(seq, steps, "the client's "+st.Verb+" carrying "+st.Auth+" got "+st.Status+
				" after a 401 handshake through a proxy that adds Via", persistFalse)
		case st.HasAuth || st.PersistentAuth == "false":
			handshake = true
		case handshake && (st.Code == 400 || st.Code == 401 && persistFalse):
			return viaSequenceMatch(seq, steps, "after an authentication handshake through a proxy that adds Via, the client sent "+
				st.Verb+" without credentials and got "+st.Status, persistFalse)
		}
		challenged = challenged || st.Code == 401
	}
	return nil
}

func viaSequenceMatch(seq *diagnose.Sequence, steps []diagnose.SequenceStep, summary string, persistFalse bool) *diagnose.Match {
	m := &diagnose.Match{
		Confidence: diagnose.ConfidenceMedium,
		Summary:    summary,
		Evidence: []diagnose.Evidence{
			{Where: diagnose.InSequence, Name: "client", Value: seq.Client},
			{Where: diagnose.InSequence, Name: "User-Agent", Value: seq.UserAgent},
			{Where: diagnose.InSequence, Name: "steps", Value: diagnose.FormatSteps(steps)},
		},
	}
	if seq.IgnoresPersistentAuth || persistFalse {
		m.Confidence = diagnose.ConfidenceHigh
	}
	return m
}

func hasPersistFalse(steps []diagnose.SequenceStep) bool {
	for _, st := range steps {
		if st.PersistentAuth == "false" {
			return true
		}
	}
	return false
}
