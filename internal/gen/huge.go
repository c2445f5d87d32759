package gen

import (
	"io"
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// pairBytes is about what one AspNetPipelineEnter/Leave pair adds.
const pairBytes = 2_300

// HugeScenario is one long EWS streaming request whose managed pipeline
// events make the trace about size bytes. Write streams it, so a trace of
// a gigabyte or more never sits in memory.
func HugeScenario(size int64, seed int64) Scenario {
	r := exchangeRequest{seed: seed, at: sampleStart, lb: f5, client: Endpoint{"198.51.100.41", 53001}, ua: outlookWin,
		authz: "NTLM " + NTLMAuthenticate(seed, "CONTOSO", "jdoe", "WS-0001"), body: ewsSOAP}
	s := r.scenario()
	succeed(&s, `CONTOSO\jdoe`, "NTLM", true)
	s.FailureReason = ReasonTimeTaken
	s.TimeTaken = 29 * time.Minute
	s.ResponseHeaders = exchangeResponse(seed, "EX16-01", 200, headers.Header{Name: "Transfer-Encoding", Value: "chunked"})
	if n := (size - 180_000) / pairBytes; n > 0 {
		s.Padding = int(n)
	}
	return s
}

// WriteHuge writes HugeScenario(size, seed) to w.
func WriteHuge(w io.Writer, size int64, seed int64) error {
	return Write(w, HugeScenario(size, seed))
}
