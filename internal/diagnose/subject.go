package diagnose

import (
	"strings"

	"github.com/frebscan/frebscan/internal/auth"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/redact"
)

// Subject is a trace with everything the rules decode from it computed
// once: proxy and client fingerprints, the credentials the request carried
// and the authentication hints the response gave.
type Subject struct {
	Trace *freb.Trace
	// Request are the headers as received from the client or proxy.
	Request headers.List
	// Response are the response headers (traced block, or rebuilt from
	// set-header events).
	Response headers.List
	Proxy    ProxyView
	Client   ClientView
	// Auth is the request's Authorization; HasAuth is false when the
	// request carried none.
	Auth    auth.Credentials
	HasAuth bool
	// Persist is the Persistent-Auth the response carried.
	Persist auth.PersistentAuth
	// Challenges are the WWW-Authenticate challenges of the response.
	Challenges []auth.Challenge
	// Page is the error page in the response body, nil when the trace
	// recorded no body.
	Page     *Page
	Settings Settings
}

// ProxyView is what the request headers say about intermediaries.
type ProxyView struct {
	Present bool   `json:"present"`
	Vendor  string `json:"vendor,omitempty"`
	// Address is the proxy as it names itself (Via received-by,
	// X-ClientSide's right side) or the TCP peer IIS saw.
	Address string `json:"address,omitempty"`
	// ClientAddress and ClientPort are the original client, when a header
	// kept it.
	ClientAddress string     `json:"clientAddress,omitempty"`
	ClientPort    int        `json:"clientPort,omitempty"`
	Hops          int        `json:"hops,omitempty"`
	Evidence      []Evidence `json:"evidence,omitempty"`
}

// ClientView is what the User-Agent says about the client program.
type ClientView struct {
	Family  string `json:"family"`
	Version string `json:"version,omitempty"`
	OS      string `json:"os,omitempty"`
	// IgnoresPersistentAuth marks clients known not to honour
	// Persistent-Auth: false (Apple Mail's EWS stack).
	IgnoresPersistentAuth bool   `json:"ignoresPersistentAuth,omitempty"`
	UserAgent             string `json:"userAgent,omitempty"`
}

// Settings are the thresholds users can change.
type Settings struct {
	// SlowMs is the time taken above which slow-request fires.
	SlowMs int64
	// NoRedact lets evidence show credentials, cookie values and user
	// names decoded from tokens (--no-redact).
	NoRedact bool
}

// DefaultSettings are the thresholds used unless the user sets others.
func DefaultSettings() Settings { return Settings{SlowMs: 10_000} }

// Status is the final status as "400" or "500.19".
func (s *Subject) Status() string { return s.Trace.Status() }

// Path is the lower-cased URL path.
func (s *Subject) Path() string { return s.Trace.Path() }

// ErrorCodes returns every error code the trace recorded: the module
// errors and failed I/O, in order, without zeros or repeats.
func (s *Subject) ErrorCodes() []uint32 {
	var out []uint32
	seen := map[uint32]bool{}
	add := func(c uint32) {
		if c != 0 && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, e := range s.Trace.Errors {
		add(e.ErrorCode)
	}
	for _, e := range s.Trace.IOErrors {
		add(e.ErrorCode)
	}
	for _, ev := range s.Trace.AuthEvents {
		add(parseUint(ev.Get("ErrorCode")))
	}
	return out
}

// HasErrorCode reports whether the trace recorded any of the codes.
func (s *Subject) HasErrorCode(codes ...uint32) (uint32, bool) {
	for _, c := range s.ErrorCodes() {
		for _, want := range codes {
			if c == want {
				return c, true
			}
		}
	}
	return 0, false
}

// IsExchange reports whether the request went to an Exchange virtual
// directory or was answered by Exchange.
func (s *Subject) IsExchange() bool {
	p := s.Path()
	for _, vdir := range []string{"/ews/", "/autodiscover/", "/mapi/", "/rpc/", "/microsoft-server-activesync", "/owa/", "/ecp/", "/oab/", "/powershell"} {
		if strings.HasPrefix(p, vdir) || p+"/" == vdir {
			return true
		}
	}
	return s.Response.Has("X-FEServer") || s.Response.Has("X-BEServer") || s.Response.Has("X-CalculatedBETarget")
}

// IsEWS reports whether the request went to Exchange Web Services.
func (s *Subject) IsEWS() bool { return strings.HasPrefix(s.Path(), "/ews/") }

// RequestHeaderEvidence returns evidence for a request header when present.
func (s *Subject) RequestHeaderEvidence(name string) (Evidence, bool) {
	v, ok := s.Request.Get(name)
	return Evidence{Where: InRequestHeader, Name: canonical(s.Request, name), Value: s.reveal(name, v)}, ok
}

// ResponseHeaderEvidence returns evidence for a response header when present.
func (s *Subject) ResponseHeaderEvidence(name string) (Evidence, bool) {
	v, ok := s.Response.Get(name)
	return Evidence{Where: InResponseHeader, Name: canonical(s.Response, name), Value: s.reveal(name, v)}, ok
}

// RevealText returns free text from the trace (an exception message, an
// error page line) as evidence may show it: connection-string passwords
// and user names hidden unless --no-redact.
func (s *Subject) RevealText(v string) string {
	if s.Settings.NoRedact {
		return v
	}
	return redact.Text(v)
}

// reveal returns a header value as evidence may show it.
func (s *Subject) reveal(name, value string) string {
	if s.Settings.NoRedact {
		return value
	}
	return redact.Header(name, value)
}

func canonical(l headers.List, name string) string {
	for _, h := range l {
		if strings.EqualFold(h.Name, name) {
			return h.Name
		}
	}
	return name
}

func parseUint(s string) uint32 {
	var n uint64
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint64(c-'0')
		if n > 1<<32-1 {
			return 0
		}
	}
	return uint32(n)
}

// ProxyEvidence lists what identified the proxy, ending with its vendor.
func (s *Subject) ProxyEvidence() []Evidence {
	out := append([]Evidence(nil), s.Proxy.Evidence...)
	if s.Proxy.Vendor != "" {
		out = append(out, Evidence{Where: InProxy, Name: "vendor", Value: s.Proxy.Vendor})
	}
	return out
}
