package gen

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
)

// readBack writes the scenario to a temporary file and reads it with the
// real reader, the way every downstream stage will.
func readBack(t *testing.T, s Scenario) *freb.Trace {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fr000001.xml")
	if err := WriteFile(path, s); err != nil {
		t.Fatal(err)
	}
	tr, err := freb.ReadFile(path, freb.DefaultOptions())
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	return tr
}

func TestSamplesReadBack(t *testing.T) {
	for _, sample := range Samples() {
		for i, sc := range sample.Traces {
			t.Run(sample.Rule+"/"+SampleFileName(i+1), func(t *testing.T) {
				tr := readBack(t, sc)
				n := normalize(sc)
				if len(tr.Warnings) > 0 && n.Truncate == (Truncation{}) {
					t.Errorf("warnings: %q", tr.Warnings)
				}
				if tr.StatusCode != n.Status.Code || tr.SubStatusCode != n.Status.Sub {
					t.Errorf("status = %s, want %s", tr.Status(), FormatStatus(n.Status))
				}
				if tr.ActivityID != n.ActivityID || tr.URL != n.URL || tr.Verb != n.Verb {
					t.Errorf("root = %s %s %s, want %s %s %s", tr.ActivityID, tr.Verb, tr.URL, n.ActivityID, n.Verb, n.URL)
				}
				if tr.ClientAddress != n.Client.Address || tr.ClientPort != n.Client.Port {
					t.Errorf("client = %s:%d, want %s:%d", tr.ClientAddress, tr.ClientPort, n.Client.Address, n.Client.Port)
				}
				if tr.TimeTakenMs != n.TimeTaken.Milliseconds() {
					t.Errorf("timeTaken = %d, want %d", tr.TimeTakenMs, n.TimeTaken.Milliseconds())
				}
				if end := tr.Events[len(tr.Events)-1].Time.Sub(tr.Start); end.Milliseconds() > n.TimeTaken.Milliseconds()+16 || end < n.TimeTaken-time16 {
					t.Errorf("events span %v, timeTaken %v", end, n.TimeTaken)
				}
				for _, h := range n.RequestHeaders {
					if got := tr.RequestHeaders.Values(h.Name); !contains(got, h.Value) {
						t.Errorf("request header %s = %q, want %q", h.Name, got, h.Value)
					}
				}
				if n.ResponseHeaders != nil {
					if !tr.ResponseHeadersTraced || len(tr.ResponseHeaders) != len(n.ResponseHeaders) {
						t.Errorf("response headers = %v, want %v", tr.ResponseHeaders, n.ResponseHeaders)
					}
				}
				if e := n.Error; e != nil {
					got := tr.ErrorStatus
					if got == nil {
						t.Fatal("no error status")
					}
					if got.Module != e.Module || got.ErrorCode != e.Code || got.HTTPStatus != e.Status.Code || got.HTTPSubStatus != e.Status.Sub || got.Notification != e.Notification {
						t.Errorf("error = %+v, want %+v", *got, *e)
					}
					if e.ConfigInfo != "" && got.ConfigException != strings.TrimSpace(e.ConfigInfo) {
						t.Errorf("config exception = %q", got.ConfigException)
					}
					if e.Description != "" && got.Description != strings.TrimSpace(e.Description) {
						t.Errorf("description = %q, want %q", got.Description, e.Description)
					}
				} else if tr.ErrorStatus != nil {
					t.Errorf("unexpected error %+v", *tr.ErrorStatus)
				}
				if n.FlushError != 0 && !hasEventWith(tr, "GENERAL_FLUSH_RESPONSE_END", "ErrorCode", n.FlushError) {
					t.Errorf("no GENERAL_FLUSH_RESPONSE_END with ErrorCode %#x", n.FlushError)
				}
			})
		}
	}
}

const time16 = 16 * 1e6

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func hasEventWith(tr *freb.Trace, name, field string, code uint32) bool {
	for i := range tr.Events {
		if tr.Events[i].Name == name && tr.Events[i].Get(field) == fcode("", code).value {
			return true
		}
	}
	return false
}

func TestSamplesCoverRules(t *testing.T) {
	rules := []string{"via-persistent-auth", "expect-100-continue", "auth-handshake-broken", "kerberos-spn",
		"extended-protection-offload", "auth-denied", "auth-header-too-large", "ssl-offload", "client-certificate",
		"arr-backend-timeout", "arr-backend-connect", "arr-backend-aborted", "arr-invalid-response", "arr-backend-tls",
		"arr-no-backend", "proxy-loop", "xff-invalid", "idle-timeout-reset", "host-header-rewritten",
		"app-pool-unavailable", "config-error", "request-filtering", "client-ip-lost", "slow-request"}
	have := map[string]bool{}
	for _, s := range Samples() {
		if have[s.Rule] {
			t.Errorf("duplicate sample %s", s.Rule)
		}
		have[s.Rule] = true
	}
	for _, r := range rules {
		if !have[r] {
			t.Errorf("no sample for rule %s", r)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, s := range Samples() {
		a, err := Bytes(s.Traces[0])
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Bytes(s.Traces[0])
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs differ", s.Rule)
		}
	}
}

func TestTruncation(t *testing.T) {
	base := Samples()[0].Traces[2]
	tests := []struct {
		name  string
		cut   Truncation
		first string
		last  string
	}{
		{"tail", Truncation{Tail: 60}, "GENERAL_REQUEST_START", "LOG_FILE_MAX_SIZE_TRUNCATE"},
		{"head", Truncation{Head: 30}, "", "GENERAL_REQUEST_END"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.Truncate = tt.cut
			tr := readBack(t, s)
			if !tr.Truncated || len(tr.Warnings) == 0 {
				t.Errorf("truncated = %v, warnings %q", tr.Truncated, tr.Warnings)
			}
			if tt.first != "" && tr.Events[0].Name != tt.first {
				t.Errorf("first event %s", tr.Events[0].Name)
			}
			if tt.first == "" && tr.Events[0].Name == "GENERAL_REQUEST_START" {
				t.Error("head not dropped")
			}
			if last := tr.Events[len(tr.Events)-1].Name; last != tt.last {
				t.Errorf("last event %s, want %s", last, tt.last)
			}
		})
	}
}
