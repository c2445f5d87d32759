package rules

import (
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/headers"
)

// setRequestHeader replaces (or adds) one request header, as a different
// client or load balancer would have sent it.
func setRequestHeader(name, value string) func(*freb.Trace) {
	return func(tr *freb.Trace) {
		tr.RequestHeaders = headers.Apply(tr.RequestHeaders, []headers.Change{{Name: name, Value: value, Replace: true}})
	}
}

func deleteRequestHeader(name string) func(*freb.Trace) {
	return func(tr *freb.Trace) {
		var kept headers.List
		for _, h := range tr.RequestHeaders {
			if !strings.EqualFold(h.Name, name) {
				kept = append(kept, h)
			}
		}
		tr.RequestHeaders = kept
	}
}

// TestSeedCaseVariants runs the seed case in the shapes users' servers
// capture it: a FREB rule on 400 alone (the brief's capture carried
// "Authorization: NTLM …" on the 400), the wire pattern 401 → 401 → 400,
// newer Apple Mail builds and other load balancers, plus clients for which
// the same headers are not this failure.
func TestSeedCaseVariants(t *testing.T) {
	type2 := "NTLM " + gen.NTLMAuthenticate(7, "CONTOSO", "jdoe", "JDOE-MBP")
	type1 := "NTLM " + gen.NTLMNegotiate()
	modernMail := "macOS/14.2.1 (23C71); ExchangeWebServices/14.0 (318); Mail/16.0 (3774.300.61.1.2)"
	outlookMac := "MacOutlook/16.80.23121017 (Intelx64 Mac OS X 14.2.1 (Build 23C71))"
	f5 := []func(*freb.Trace){
		deleteRequestHeader("X-ClientSide"),
		setRequestHeader("X-Forwarded-For", "203.0.113.45"),
		setRequestHeader("Cookie", "BIGipServerpool_exchange=1677787402.47873.0000; exchangecookie=0123456789abcdef"),
		setRequestHeader("Via", "1.1 bigip-01"),
	}
	// step picks one seed trace (1-based, in time order) and mutates it.
	type step struct {
		n      int
		mutate []func(*freb.Trace)
	}
	tests := []struct {
		name     string
		steps    []step
		fire     bool
		vendor   string
		sequence string // substring of the sequence evidence, "" for none expected
	}{
		{name: "400 alone without Authorization", steps: []step{{4, nil}}, fire: true, vendor: "KEMP LoadMaster"},
		{name: "400 alone carrying NTLM type 3 (the brief's capture)", steps: []step{{4, []func(*freb.Trace){setRequestHeader("Authorization", type2)}}}, fire: true, vendor: "KEMP LoadMaster"},
		{name: "400 alone carrying NTLM type 1", steps: []step{{4, []func(*freb.Trace){setRequestHeader("Authorization", type1)}}}, fire: true, vendor: "KEMP LoadMaster"},
		{name: "wire pattern 401, 401, 400 with NTLM type 3",
			steps: []step{{1, nil}, {2, nil}, {4, []func(*freb.Trace){setRequestHeader("Authorization", type2)}}},
			fire:  true, vendor: "KEMP LoadMaster", sequence: "POST 400 (NTLM type 3)"},
		{name: "full seed sequence", steps: []step{{1, nil}, {2, nil}, {3, nil}, {4, nil}}, fire: true, vendor: "KEMP LoadMaster", sequence: "Persistent-Auth: false"},
		{name: "newer Apple Mail on macOS 14", steps: []step{{4, []func(*freb.Trace){setRequestHeader("User-Agent", modernMail), setRequestHeader("Authorization", type2)}}}, fire: true, vendor: "KEMP LoadMaster"},
		{name: "F5 BIG-IP adding Via", steps: []step{{4, f5}}, fire: true, vendor: "F5 BIG-IP"},
		{name: "Outlook for Mac 400 with NTLM is another failure", steps: []step{{4, []func(*freb.Trace){setRequestHeader("User-Agent", outlookMac), setRequestHeader("Authorization", type2)}}}},
		{name: "no Via, no finding", steps: []step{{1, []func(*freb.Trace){deleteRequestHeader("Via")}}, {2, []func(*freb.Trace){deleteRequestHeader("Via")}}, {4, []func(*freb.Trace){deleteRequestHeader("Via"), setRequestHeader("Authorization", type2)}}}},
		{name: "Apple Mail's first anonymous 401 alone is normal", steps: []step{{1, nil}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seed := readDir(t, "via-persistent-auth")
			var traces []*freb.Trace
			for _, st := range tc.steps {
				tr := seed[st.n-1]
				for _, m := range st.mutate {
					m(tr)
				}
				traces = append(traces, tr)
			}
			found := diagnoseAll(traces)["via-persistent-auth"]
			if !tc.fire {
				if len(found) > 0 {
					t.Fatalf("fired: %s", found[0].Summary)
				}
				return
			}
			if len(found) == 0 {
				t.Fatal("via-persistent-auth did not fire")
			}
			var sequence string
			for _, f := range found {
				if f.Vendor != tc.vendor {
					t.Errorf("vendor %q, want %q", f.Vendor, tc.vendor)
				}
				if f.Confidence == diagnose.ConfidenceLow {
					t.Errorf("low confidence: %s", f.Summary)
				}
				if len(f.Sequence) > 0 {
					sequence = diagnose.FormatSteps(f.Sequence)
				}
			}
			if tc.sequence != "" && !strings.Contains(sequence, tc.sequence) {
				t.Errorf("sequence %q lacks %q", sequence, tc.sequence)
			}
		})
	}
}
