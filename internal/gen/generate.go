package gen

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Write writes the scenario as one FREB file. It streams: memory does not
// grow with the size of the bodies or the padding.
func Write(w io.Writer, s Scenario) error {
	n := normalize(s)
	rng := rand.New(rand.NewSource(n.Seed))
	x := newXMLWriter(w)
	x.activity = n.ActivityID
	x.process = n.ProcessID
	x.computer = n.Computer
	x.header(rootAttributes(&n))
	p := &pipeline{s: &n, rng: rng, thread: 1000 + 4*rng.Intn(7000)}
	p.handler = *n.Handler
	for _, sl := range n.Slow {
		p.slowLeft += sl.Duration
	}
	p.responseBody, p.customErrorPage = responseBody(&n)
	count, cut := 0, false
	p.sink = func(ev *event) {
		if n.Quiet && verbose(ev.name) {
			return
		}
		count++
		switch {
		case count <= n.Truncate.Head:
		case n.Truncate.Tail > 0 && count > n.Truncate.Tail:
			if !cut {
				cut = true
				x.event(&event{name: "LOG_FILE_MAX_SIZE_TRUNCATE", at: ev.at, thread: ev.thread})
			}
		default:
			x.event(ev)
		}
	}
	p.run()
	x.footer()
	if err := x.flush(); err != nil {
		return fmt.Errorf("write trace %s: %w", n.ActivityID, err)
	}
	return nil
}

// Bytes returns the scenario's trace.
func Bytes(s Scenario) ([]byte, error) {
	var b bytes.Buffer
	err := Write(&b, s)
	return b.Bytes(), err
}

// WriteFile writes the scenario's trace to path.
func WriteFile(path string, s Scenario) (err error) {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create trace: %w", err)
	}
	defer func() {
		if cerr := fh.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	if err := Write(fh, s); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func rootAttributes(s *Scenario) []field {
	attrs := []field{
		{"url", s.URL}, {"siteId", strconv.Itoa(s.SiteID)}, {"appPoolId", s.AppPool},
		{"processId", strconv.Itoa(s.ProcessID)}, {"verb", s.Verb},
	}
	if u := s.User; u != nil {
		attrs = append(attrs, field{"remoteUserName", u.RemoteUserName}, field{"userName", u.UserName}, field{"tokenUserName", u.TokenUserName})
	}
	trigger := s.Status
	if s.Trigger != nil {
		trigger = *s.Trigger
	} else if s.FailureReason == ReasonTimeTaken {
		trigger = Status{}
	}
	return append(attrs,
		field{"authenticationType", s.AuthenticationType},
		field{"activityId", s.ActivityID},
		field{"failureReason", s.FailureReason},
		field{"statusCode", FormatStatus(s.Status)},
		field{"triggerStatusCode", FormatStatus(trigger)},
		field{"timeTaken", strconv.FormatInt(s.TimeTaken.Milliseconds(), 10)},
	)
}

// FormatStatus renders a status as IIS does in statusCode: "500.19", or
// "401" when the substatus is 0.
func FormatStatus(s Status) string {
	if s.Sub == 0 {
		return strconv.Itoa(s.Code)
	}
	return strconv.Itoa(s.Code) + "." + strconv.Itoa(s.Sub)
}

// normalize fills in every default, so the pipeline never has to guess.
func normalize(s Scenario) Scenario {
	rng := rand.New(rand.NewSource(s.Seed ^ 0x5eed))
	if s.Verb == "" {
		s.Verb = "GET"
	}
	if s.Status.Code == 0 {
		s.Status.Code = 200
	}
	if s.FailureReason == "" {
		s.FailureReason = ReasonStatusCode
	}
	if s.SiteID == 0 {
		s.SiteID = 1
	}
	if s.AppPool == "" {
		s.AppPool = "DefaultAppPool"
	}
	if s.ProcessID == 0 {
		s.ProcessID = 1000 + 4*rng.Intn(9000)
	}
	if s.ActivityID == "" {
		s.ActivityID = activityID(rng)
	}
	if s.AuthenticationType == "" {
		s.AuthenticationType = "anonymous"
		if s.User == nil {
			s.AuthenticationType = "NOT_AVAILABLE"
		}
	}
	if s.Computer == "" {
		s.Computer = "EX01"
	}
	if s.Start.IsZero() {
		s.Start = time.Date(2024, 3, 12, 9, 41, 7, 0, time.UTC).Add(time.Duration(rng.Intn(3600*1000)) * time.Millisecond)
	}
	s.Start = s.Start.UTC()
	if s.Client.Address == "" {
		s.Client.Address = "10.0.0.21"
	}
	if s.Client.Port == 0 {
		s.Client.Port = 49152 + rng.Intn(16000)
	}
	if s.Local.Address == "" {
		s.Local.Address = "10.0.0.10"
	}
	if s.Local.Port == 0 {
		s.Local.Port = portOf(s.URL)
	}
	if s.TimeTaken == 0 {
		s.TimeTaken = time.Duration(15+rng.Intn(110)) * time.Millisecond
	}
	if s.Auth == nil {
		s.Auth = &Auth{Anonymous: true}
	}
	if s.Handler == nil {
		h := handlerFor(s.URL)
		s.Handler = &h
	}
	if s.ARR != nil {
		a := *s.ARR
		if a.LogID == "" {
			a.LogID = strings.ToLower(strings.Trim(activityID(rng), "{}"))
		}
		if a.Rewrite == "" {
			a.Rewrite = "ARR_" + firstNonEmpty(a.Farm, "proxy") + "_loadbalance"
		}
		s.ARR = &a
	}
	if e := s.Error; e != nil {
		c := *e
		if c.Status.Code == 0 {
			c.Status = s.Status
		}
		if c.Notification == "" {
			c.Notification = ExecuteRequestHandler
		}
		if c.Reason == "" {
			c.Reason = http.StatusText(c.Status.Code)
		}
		s.Error = &c
	}
	s.SetResponseHeaders = defaultModules(s.SetResponseHeaders, s.Handler.Modules)
	if s.BytesReceived == 0 {
		s.BytesReceived = int64(len(s.Verb) + len(pathOf(s.URL)) + len(queryOf(s.URL)) + 13 + len(headerBlock(s.RequestHeaders)) + 2 + len(s.RequestBody))
	}
	if s.BytesSent == 0 && s.ResponseHeaders != nil {
		body, _ := responseBody(&s)
		s.BytesSent = int64(17 + len(http.StatusText(s.Status.Code)) + len(headerBlock(s.ResponseHeaders)) + 2 + len(body))
	}
	return s
}

func defaultModules(hs []SetHeader, handlerModules string) []SetHeader {
	out := make([]SetHeader, len(hs))
	handler, _, _ := strings.Cut(handlerModules, ",")
	for i, h := range hs {
		if h.Module == "" {
			switch strings.ToLower(h.Name) {
			case "www-authenticate", "persistent-auth":
				h.Module = "WindowsAuthenticationModule"
			default:
				h.Module = handler
			}
		}
		out[i] = h
	}
	return out
}

// activityID returns an IIS-looking activity ID: IIS builds them from a
// request counter and a per-process tail.
func activityID(rng *rand.Rand) string {
	return fmt.Sprintf("{%08X-%04X-%04X-%04X-%012X}",
		0x80000000|uint32(rng.Intn(1<<20)), rng.Intn(3), 0xF800+rng.Intn(0x800),
		0xB000+rng.Intn(0x1000), rng.Int63n(1<<48))
}

func handlerFor(url string) Handler {
	path := strings.ToLower(pathOf(url))
	switch {
	case strings.HasSuffix(path, ".asmx"):
		return Handler{Name: "WebServiceHandlerFactory-Integrated-4.0", Modules: "ManagedPipelineHandler",
			Type: "System.Web.Services.Protocols.WebServiceHandlerFactory, System.Web.Services, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a"}
	case strings.HasSuffix(path, ".svc"):
		return Handler{Name: "svc-Integrated-4.0", Modules: "ManagedPipelineHandler",
			Type: "System.ServiceModel.Activation.ServiceHttpHandlerFactory, System.ServiceModel.Activation, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"}
	case strings.HasSuffix(path, ".aspx"):
		return Handler{Name: "PageHandlerFactory-Integrated-4.0", Modules: "ManagedPipelineHandler",
			Type: "System.Web.UI.PageHandlerFactory"}
	case strings.Contains(lastSegment(path), "."):
		return Handler{Name: "StaticFile", Modules: "StaticFileModule,DefaultDocumentModule,DirectoryListingModule"}
	default:
		return Handler{Name: "ExtensionlessUrlHandler-Integrated-4.0", Modules: "ManagedPipelineHandler",
			Type: "System.Web.Handlers.TransferRequestHandler"}
	}
}

func lastSegment(path string) string {
	return path[strings.LastIndexByte(path, '/')+1:]
}

// pathOf returns the path of a FREB URL (case kept), "/" when empty.
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		j := strings.IndexByte(u, '/')
		if j < 0 {
			return "/"
		}
		u = u[j:]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}

func queryOf(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[i+1:]
	}
	return ""
}

func portOf(u string) int {
	rest := u
	if i := strings.Index(u, "://"); i >= 0 {
		rest = u[i+3:]
	}
	host, _, _ := strings.Cut(rest, "/")
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		if p, err := strconv.Atoi(host[i+1:]); err == nil {
			return p
		}
	}
	if strings.HasPrefix(u, "https") {
		return 443
	}
	return 80
}

// appPath is the first path segment, the usual application root
// (/EWS, /owa).
func appPath(u string) string {
	p := pathOf(u)
	seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if seg == "" || strings.Contains(seg, ".") {
		return ""
	}
	return "/" + seg
}

// verbose reports whether a quiet trace leaves the event out.
func verbose(name string) bool {
	return strings.HasPrefix(name, "NOTIFY_MODULE_") || strings.HasPrefix(name, "PRE_BEGIN_REQUEST_") ||
		strings.HasPrefix(name, "AspNetPipeline")
}
