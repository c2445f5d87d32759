package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
)

func TestOutside(t *testing.T) {
	t.Parallel()
	ntlm := func(client string, types ...int) *diagnose.Sequence {
		seq := &diagnose.Sequence{Key: client + "\x00Mail\x00/ews/exchange.asmx", Client: client, Path: "/ews/exchange.asmx", Vendor: fingerprint.VendorKEMP}
		for _, ty := range types {
			st := diagnose.SequenceStep{Verb: "POST", Code: 401, Sub: 1, NTLMType: ty, Status: "401.1", Server: "EX1", Time: time.Unix(int64(len(seq.Steps)), 0)}
			if ty == 0 {
				st.Sub, st.Status = 2, "401.2"
			}
			seq.Steps = append(seq.Steps, st)
		}
		return seq
	}
	base := func() diagnose.OutsideFacts {
		return diagnose.OutsideFacts{Traces: 10, Statuses: map[int]int{200: 6, 401: 4}, Full: map[string]int{"200": 6, "401.1": 2, "401.2": 2}, Rules: map[string]int{}}
	}
	sy := func(v string) []diagnose.Symptom {
		s, err := diagnose.ParseSymptoms(v)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name     string
		symptoms string
		facts    func(*diagnose.OutsideFacts)
		// want lists the triggers, in order; wantText is in some note.
		want     []string
		wantText []string
		conf     diagnose.Confidence
	}{
		{name: "no symptom, nothing pointing out: silent", want: nil},
		{name: "symptom seen in traces: no note", symptoms: "401", want: nil},
		{name: "substatus seen", symptoms: "401.1", want: nil},
		{name: "substatus not seen", symptoms: "401.3", want: []string{"symptom 401.3"}, conf: diagnose.ConfidenceMedium,
			wantText: []string{"tracing rule did not capture it", "sc-win32-status"}},
		{name: "400 not in traces: HTTPERR reasons", symptoms: "400", want: []string{"symptom 400"}, conf: diagnose.ConfidenceMedium,
			wantText: []string{"FieldLength, RequestLength", `%SystemRoot%\System32\LogFiles\HTTPERR`, "0 of 10 trace(s)", refHTTPErrReasons}},
		{name: "501 through KEMP: its log first", symptoms: "501", facts: func(f *diagnose.OutsideFacts) {
			f.Proxied, f.Vendors = true, []string{fingerprint.VendorKEMP}
		}, want: []string{"symptom 501"}, wantText: []string{"KEMP LoadMaster log", "N/I", "came through KEMP LoadMaster"}, conf: diagnose.ConfidenceMedium},
		{name: "filters lower confidence", symptoms: "503", facts: func(f *diagnose.OutsideFacts) { f.Filters = []string{"status=4xx"} },
			want: []string{"symptom 503"}, wantText: []string{"QueueFull", "filtered out"}, conf: diagnose.ConfidenceLow},
		{name: "reset and tls always point outside", symptoms: "reset,tls", want: []string{"symptom reset", "symptom tls"},
			wantText: []string{"Timer_ConnectionIdle", "Schannel", "network capture"}, conf: diagnose.ConfidenceMedium},
		{name: "expect-100-continue finding", facts: func(f *diagnose.OutsideFacts) {
			f.Rules["expect-100-continue"] = 2
			f.RuleVendors = map[string][]string{"expect-100-continue": {fingerprint.VendorF5}}
		}, want: []string{"rule expect-100-continue"}, wantText: []string{"417 or 501", "F5 BIG-IP log"}, conf: diagnose.ConfidenceLow},
		{name: "large tokens", facts: func(f *diagnose.OutsideFacts) { f.Rules["auth-header-too-large"] = 1 },
			want: []string{"rules auth-header-too-large / exchange-downlevel-header-limit"}, conf: diagnose.ConfidenceLow},
		{name: "NTLM challenge then nothing, successes traced", facts: func(f *diagnose.OutsideFacts) {
			f.Sequences = []*diagnose.Sequence{ntlm("203.0.113.9", 0, 1)}
		}, want: []string{"sequence: NTLM challenge with no next leg"}, wantText: []string{"203.0.113.9", "KEMP LoadMaster log"}, conf: diagnose.ConfidenceLow},
		{name: "steps out of time order: the last by time counts", facts: func(f *diagnose.OutsideFacts) {
			s := ntlm("203.0.113.9", 1, 0)
			s.Steps[0].Time, s.Steps[1].Time = time.Unix(20, 0), time.Unix(10, 0)
			f.Sequences = []*diagnose.Sequence{s}
		}, want: []string{"sequence: NTLM challenge with no next leg"}, conf: diagnose.ConfidenceLow},
		{name: "challenge answered later in time: silent", facts: func(f *diagnose.OutsideFacts) {
			s := ntlm("203.0.113.9", 0, 1)
			s.Steps[0].Time, s.Steps[1].Time = time.Unix(20, 0), time.Unix(10, 0)
			f.Sequences = []*diagnose.Sequence{s}
		}},
		{name: "challenge then nothing but successes not traced: silent", facts: func(f *diagnose.OutsideFacts) {
			f.Statuses = map[int]int{401: 4}
			f.Sequences = []*diagnose.Sequence{ntlm("203.0.113.9", 0, 1)}
		}},
		{name: "client that sent a type 3 is the handshake rules' case", facts: func(f *diagnose.OutsideFacts) {
			f.Sequences = []*diagnose.Sequence{ntlm("203.0.113.9", 1, 3, 1)}
		}},
		{name: "an earlier sequence of the client closed on the challenge, a later one answered: silent", facts: func(f *diagnose.OutsideFacts) {
			f.Sequences = []*diagnose.Sequence{ntlm("203.0.113.9", 1, 3), ntlm("203.0.113.9", 0, 1)}
		}},
		{name: "another client's type 3 does not answer this one", facts: func(f *diagnose.OutsideFacts) {
			f.Sequences = []*diagnose.Sequence{ntlm("203.0.113.7", 1, 3), ntlm("203.0.113.9", 0, 1)}
		}, want: []string{"sequence: NTLM challenge with no next leg"}, wantText: []string{"1 client(s)"}, conf: diagnose.ConfidenceLow},
		{name: "connection sequences are not clients", facts: func(f *diagnose.OutsideFacts) {
			s := ntlm("203.0.113.9", 0, 1)
			s.ByConnection = true
			f.Sequences = []*diagnose.Sequence{s}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base()
			if c.facts != nil {
				c.facts(&f)
			}
			var symptoms []diagnose.Symptom
			if c.symptoms != "" {
				symptoms = sy(c.symptoms)
			}
			notes := Outside(symptoms, f)
			var got []string
			var all strings.Builder
			for _, n := range notes {
				got = append(got, n.Trigger)
				if n.Confidence.Rank() >= diagnose.ConfidenceHigh.Rank() {
					t.Errorf("%s: confidence %s: a note reasons from an absence and is never high", n.Trigger, n.Confidence)
				}
				if c.conf != "" && n.Confidence != c.conf {
					t.Errorf("%s: confidence %s, want %s", n.Trigger, n.Confidence, c.conf)
				}
				if !strings.Contains(n.Summary, "(inferred)") || len(n.Capture) == 0 || len(n.References) == 0 || len(n.Basis) == 0 {
					t.Errorf("%s: a note needs (inferred), a basis, captures and references: %+v", n.Trigger, n)
				}
				all.WriteString(n.Summary + strings.Join(n.Basis, "\n") + strings.Join(n.Causes, "\n") + strings.Join(n.References, "\n"))
				for _, cp := range n.Capture {
					all.WriteString(cp.Source + cp.Where + cp.LookFor)
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("triggers %q, want %q", got, c.want)
			}
			for _, w := range c.wantText {
				if !strings.Contains(all.String(), w) {
					t.Errorf("no %q in the notes:\n%s", w, all.String())
				}
			}
		})
	}
}

// TestOutsideGuide holds the catalogue's --symptom guide to what a note
// needs: every symptom with causes, captures and references.
func TestOutsideGuide(t *testing.T) {
	t.Parallel()
	guide := OutsideGuide()
	if len(guide) < len(outsideStatuses)+3 {
		t.Fatalf("%d guide entries, want every status plus other, reset and tls", len(guide))
	}
	for _, n := range guide {
		if len(n.Causes) == 0 || len(n.Capture) == 0 || len(n.References) == 0 {
			t.Errorf("%s: causes %d, captures %d, references %d", n.Trigger, len(n.Causes), len(n.Capture), len(n.References))
		}
	}
}
