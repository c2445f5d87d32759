package gen

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// CorpusOptions say what WriteCorpus writes.
type CorpusOptions struct {
	Files int
	Seed  int64
	// Start is the time of the first trace; the rest spread over Hours.
	Start time.Time
	Hours int
	// Unpadded leaves out the padding events that give traces their
	// realistic 20–500 KB: the same requests and failures in a few KB
	// each, for tests that need the mix, not the bytes.
	Unpadded bool
}

// WriteCorpus writes a FailedReqLogFiles-like tree: dir/W3SVC1 and
// dir/W3SVC2 (Exchange's front-end and back-end sites), files of 20 to
// 500 KB, mostly the everyday 401, 404, 500 and slow 200 traces with a
// minority of every sample failure, from many clients, agents and URLs.
func WriteCorpus(dir string, opt CorpusOptions) error {
	if opt.Start.IsZero() {
		opt.Start = time.Date(2024, 3, 12, 6, 0, 0, 0, time.UTC)
	}
	if opt.Hours <= 0 {
		opt.Hours = 10
	}
	counters := map[int]int{}
	for i := 0; i < opt.Files; i++ {
		s := corpusScenario(opt, i, "", !opt.Unpadded)
		sub := filepath.Join(dir, fmt.Sprintf("W3SVC%d", s.SiteID))
		if counters[s.SiteID] == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
		}
		counters[s.SiteID]++
		if err := WriteFile(filepath.Join(sub, SampleFileName(counters[s.SiteID])), s); err != nil {
			return fmt.Errorf("corpus file %d: %w", i, err)
		}
	}
	return nil
}

var (
	corpusAgents = []string{macMailUA, outlookMac, outlookWin, "ExchangeServicesClient/15.00.0913.015", "MSRPC",
		"Microsoft Office/16.0 (Windows NT 10.0; MAPI 16.0.17328; Pro)", "Apple-iPhone15C2/2104.17", "Outlook-iOS/2.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15"}
	corpusPaths = []string{"/EWS/Exchange.asmx", "/mapi/emsmdb/", "/mapi/nspi/", "/Autodiscover/Autodiscover.xml",
		"/owa/", "/owa/service.svc", "/Microsoft-Server-ActiveSync", "/ecp/", "/rpc/rpcproxy.dll", "/OAB/oab.xml"}
	corpusMissing = []string{"/favicon.ico", "/owa/auth/15.1.2507/themes/resources/logo.png", "/wp-login.php",
		"/.env", "/autodiscover/autodiscover.json", "/EWS/Services.wsdl.bak", "/robots.txt"}
	corpusLBs = []lb{kemp, f5, netscaler, haproxy, direct}
)

// CorpusScenario returns the i-th scenario of a corpus; it is what
// WriteCorpus writes, exposed so tests can check one without the disk.
func CorpusScenario(opt CorpusOptions, i int) Scenario {
	return corpusScenario(opt, i, "", true)
}

// corpusScenario is CorpusScenario on a given server ("" for one of four
// picked at random), padded to a realistic size or not.
func corpusScenario(opt CorpusOptions, i int, server string, padded bool) Scenario {
	rng := rand.New(rand.NewSource(opt.Seed*1_000_003 + int64(i)))
	spread := time.Duration(opt.Hours) * time.Hour / time.Duration(max(opt.Files, 1))
	start := opt.Start.Add(spread*time.Duration(i) + time.Duration(rng.Int63n(int64(spread)+1)))
	seed := opt.Seed*1_000_003 + int64(i)
	r := exchangeRequest{
		seed: seed, at: start, lb: corpusLBs[rng.Intn(len(corpusLBs))],
		client: Endpoint{fmt.Sprintf("%d.%d.%d.%d", []int{203, 198, 10, 172}[rng.Intn(4)], rng.Intn(256), rng.Intn(256), 1+rng.Intn(254)), 1024 + rng.Intn(64000)},
		ua:     corpusAgents[rng.Intn(len(corpusAgents))],
		url:    "https://mail.contoso.com:443" + corpusPaths[rng.Intn(len(corpusPaths))],
		body:   ewsSOAP, server: fmt.Sprintf("EX16-%02d", 1+rng.Intn(4)),
	}
	if server != "" {
		r.server = server
	}
	var s Scenario
	switch x := rng.Float64(); {
	case x < 0.30:
		s = r.scenario()
		challenge401(&s)
		s.ResponseHeaders = exchangeResponse(seed, r.server, 401, headers.Header{Name: "WWW-Authenticate", Value: "Negotiate"}, headers.Header{Name: "WWW-Authenticate", Value: "NTLM"})
	case x < 0.50:
		r.verb, r.body = "GET", ""
		r.url = "https://mail.contoso.com:443" + corpusMissing[rng.Intn(len(corpusMissing))]
		s = r.scenario()
		s.Auth = &Auth{Anonymous: true}
		s.User = &User{TokenUserName: `NT AUTHORITY\IUSR`}
		s.Status = Status{404, 0}
		s.Error = &ModuleError{Module: "IIS Web Core", Notification: MapRequestHandler, Code: CodeFileNotFound}
		s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	case x < 0.65:
		r.authz = "Negotiate " + KerberosToken(seed, 1500+rng.Intn(600))
		s = r.scenario()
		succeed(&s, fmt.Sprintf(`CONTOSO\user%03d`, rng.Intn(900)), "Kerberos", false)
		s.Status = Status{500, 0}
		s.Error = &ModuleError{Module: "ManagedPipelineHandler", Code: CodeOK}
		s.ResponseHeaders = exchangeResponse(seed, r.server, 500)
	case x < 0.80:
		r.authz = "NTLM " + NTLMAuthenticate(seed, "CONTOSO", fmt.Sprintf("user%03d", rng.Intn(900)), fmt.Sprintf("WS-%04d", rng.Intn(9999)))
		s = r.scenario()
		succeed(&s, `CONTOSO\`+fmt.Sprintf("user%03d", rng.Intn(900)), "NTLM", true)
		s.FailureReason = ReasonTimeTaken
		s.TimeTaken = time.Duration(10_000+rng.Intn(110_000)) * time.Millisecond
		s.ResponseHeaders = exchangeResponse(seed, r.server, 200)
		s.ResponseBody = ewsSOAP
	default:
		samples := sharedSamples()
		sm := samples[rng.Intn(len(samples))]
		s = sm.Traces[rng.Intn(len(sm.Traces))]
		s.Seed, s.ActivityID, s.Start = seed, "", start
		s.Client.Port = 1024 + rng.Intn(64000)
		if server != "" {
			s.Computer = server
		}
	}
	if rng.Intn(4) == 0 {
		s.SiteID = 2
		s.Local.Port = 444
	} else {
		s.SiteID = 1
	}
	if padded {
		pad(&s, rng)
	} else {
		s.Quiet = true
	}
	return s
}

// sharedSamples is Samples built once: a fifth of a corpus's traces are
// copies of sample traces, and building every sample for each of them was
// a third of the time to generate a corpus. Only the scenario struct is
// copied and only its own fields are changed, so the samples' slices and
// pointers are shared read-only.
var sharedSamples = sync.OnceValue(Samples)

// pad sizes the trace: a log-uniform target between 20 and 500 KB, met
// with quiet tracing for small files and extra handler events and a larger
// response body for big ones.
func pad(s *Scenario, rng *rand.Rand) {
	target := int(20_000 * math.Exp(rng.Float64()*math.Log(25)))
	const base, quietBase = 140_000, 45_000
	perEvent := 1_100 // HANDLER_PRECONDITION_NOT_MATCH
	h := handlerFor(s.URL)
	if s.Handler != nil {
		h = *s.Handler
	}
	if h.Modules == "ManagedPipelineHandler" {
		perEvent = pairBytes // AspNetPipelineEnter/Leave
	}
	switch {
	case target < quietBase+10_000:
		s.Quiet = true
		s.Padding = max(0, (target-quietBase/2)/perEvent/2)
	case target > base:
		extra := target - base
		s.Padding = extra / 2 / perEvent
		if s.ResponseBody != "" {
			s.ResponseBody += "<!--" + filler(rng, extra/2) + "-->"
		} else {
			s.Padding = extra / perEvent
		}
	}
}

func filler(rng *rand.Rand, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
	b := make([]byte, n)
	for i := range b {
		if i%76 == 75 {
			b[i] = '\n'
			continue
		}
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}
