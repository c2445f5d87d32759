// Package rules is frebscan's catalogue of known failures, one file per
// rule. Adding a rule means adding a file here, a sample trace under
// samples/ and a test with a negative case.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

var catalogue []*diagnose.Rule

// register adds a rule; each rule file calls it from init. Rule texts are
// written as wrapped paragraphs for reading in source; they are unwrapped
// here so every report can wrap them to its own width.
func register(r *diagnose.Rule) {
	r.Explanation = prose(r.Explanation)
	r.Fix = prose(r.Fix)
	for v, f := range r.VendorFixes {
		r.VendorFixes[v] = prose(f)
	}
	catalogue = append(catalogue, r)
}

// prose joins the lines of each paragraph; blank lines separate
// paragraphs.
func prose(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
}

// All returns the catalogue sorted by ID.
func All() []*diagnose.Rule {
	out := append([]*diagnose.Rule(nil), catalogue...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Engine returns an engine over the whole catalogue.
func Engine() *diagnose.Engine {
	e, err := diagnose.NewEngine(All())
	if err != nil {
		// The catalogue is compiled in; TestCatalogue keeps it valid.
		panic(err)
	}
	return e
}

// Vendor names as the fingerprint package reports them; fixes are keyed
// by them.
const (
	kemp      = "KEMP LoadMaster"
	f5        = "F5 BIG-IP"
	netscaler = "Citrix NetScaler"
	haproxy   = "HAProxy"
	arr       = "IIS ARR"
)

// Error codes the rules look for, as IIS writes them in FREB.
const (
	secInvalidToken    uint32 = 0x80090308
	secLogonDenied     uint32 = 0x8009030C
	secNoCredentials   uint32 = 0x8009030E
	secSecpkgNotFound  uint32 = 0x80090305
	secWrongPrincipal  uint32 = 0x80090322
	secBadBindings     uint32 = 0x80090346
	winhttpTimeout     uint32 = 0x80072EE2
	winhttpCannotConn  uint32 = 0x80072EFD
	winhttpAborted     uint32 = 0x80072EFE
	winhttpInvalidResp uint32 = 0x80072F78
	winhttpSecure      uint32 = 0x80072F8F
	netnameDeleted     uint32 = 0x80070040
	connectionAborted  uint32 = 0x800704CD
	connectionReset    uint32 = 0x80072746
)

// statusEvidence is the trace's final status with its IIS meaning.
func statusEvidence(s *diagnose.Subject) diagnose.Evidence {
	return diagnose.Evidence{Where: "trace", Name: "statusCode",
		Value: fmt.Sprintf("%s (%s)", s.Status(), status.Describe(s.Trace.StatusCode, s.Trace.SubStatusCode))}
}

// codeEvidence names an error code the trace recorded.
func codeEvidence(s *diagnose.Subject, code uint32) diagnose.Evidence {
	where, name := "event", "ErrorCode"
	if es := s.Trace.ErrorStatus; es != nil && es.ErrorCode == code {
		name = "MODULE_SET_RESPONSE_ERROR_STATUS ErrorCode (" + es.Module + ")"
	} else {
		for _, e := range s.Trace.IOErrors {
			if e.ErrorCode == code {
				name = e.Name + " ErrorCode"
				break
			}
		}
	}
	return diagnose.Evidence{Where: where, Name: name, Value: status.Code(code).String()}
}

func urlEvidence(s *diagnose.Subject) diagnose.Evidence {
	return diagnose.Evidence{Where: "trace", Name: "url", Value: s.Trace.Verb + " " + s.Trace.URL}
}

func clientEvidence(s *diagnose.Subject) diagnose.Evidence {
	v := s.Client.Family
	if s.Client.Version != "" {
		v += " " + s.Client.Version
	}
	if s.Client.UserAgent != "" {
		v += " (" + s.Client.UserAgent + ")"
	}
	return diagnose.Evidence{Where: "client", Name: "User-Agent", Value: v}
}

func is(code int, s *diagnose.Subject, subs ...int) bool {
	if s.Trace.StatusCode != code {
		return false
	}
	if len(subs) == 0 {
		return true
	}
	for _, sub := range subs {
		if s.Trace.SubStatusCode == sub {
			return true
		}
	}
	return false
}

func sev(v diagnose.Severity) *diagnose.Severity { return &v }
