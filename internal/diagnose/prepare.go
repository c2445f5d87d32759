package diagnose

import (
	"strconv"

	"github.com/frebscan/frebscan/internal/auth"
	"github.com/frebscan/frebscan/internal/fingerprint"
	"github.com/frebscan/frebscan/internal/freb"
)

// NewSubject decodes what the rules need from a trace, once.
func NewSubject(t *freb.Trace, settings Settings) *Subject {
	s := &Subject{Trace: t, Request: t.RequestHeaders, Response: t.ResponseHeaders, Settings: settings}
	p := fingerprint.Proxy(t.RequestHeaders, t.RequestHeaderChanges, t.ClientAddress)
	if p.Detected {
		s.Proxy = ProxyView{Present: true, Vendor: p.Vendor, Address: p.ProxyAddress, ClientAddress: p.ClientAddress, Hops: p.Hops}
		s.Proxy.ClientPort, _ = strconv.Atoi(p.ClientPort)
		for _, e := range p.Evidence {
			s.Proxy.Evidence = append(s.Proxy.Evidence, Evidence{Where: InProxy, Name: e.Name, Value: s.reveal(e.Name, e.Value)})
		}
	}
	ua := t.RequestHeaders.Value("User-Agent")
	c := fingerprint.Client(ua)
	s.Client = ClientView{Family: c.Family, Version: c.Version, OS: c.OS, IgnoresPersistentAuth: c.IgnoresPersistentAuthFalse, UserAgent: ua}
	if v, ok := t.RequestHeaders.Get("Authorization"); ok {
		s.Auth, s.HasAuth = auth.Parse(v), true
	}
	s.Persist = auth.ParsePersistentAuth(t.ResponseHeaders.Values("Persistent-Auth"))
	s.Challenges = auth.ParseChallenges(t.ResponseHeaders.Values("WWW-Authenticate")...)
	// Reading an error page costs more than the rest of the subject, so a
	// successful page is read only when it may carry an error (an ASP.NET
	// exception page after flushed headers, iisnode's page under 200).
	if t.StatusCode >= 400 || t.TriggerStatusCode >= 400 || len(t.WebEvents) > 0 || mayBeErrorPage(t.Body) {
		s.Page = ParsePage(t.Body, t.BodyCut)
	}
	return s
}
