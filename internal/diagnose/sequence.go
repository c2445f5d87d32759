package diagnose

import (
	"container/list"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/auth"
)

// SequenceStep is one trace reduced to what a handshake sequence needs.
// It is small on purpose: a scan keeps one per trace to correlate, so
// memory stays flat even for tens of thousands of traces.
//
// The JSON form is both the scan report's (docs/scan.schema.json) and
// the state file's: scheduled scans save every field, so a step holds
// labels, never secrets (no token, no user name).
type SequenceStep struct {
	File   string    `json:"file"`
	Time   time.Time `json:"time"`
	Verb   string    `json:"verb"`
	Status string    `json:"status"`
	Code   int       `json:"code,omitempty"`
	Sub    int       `json:"sub,omitempty"`
	// Auth describes the Authorization the request carried: "none",
	// "NTLM type 1", "Negotiate (Kerberos)", …
	Auth     string `json:"auth"`
	NTLMType int    `json:"ntlmType,omitempty"`
	HasAuth  bool   `json:"hasAuth,omitempty"`
	// PersistentAuth is the response's Persistent-Auth ("true", "false"
	// or "" when absent or not traced).
	PersistentAuth string `json:"persistentAuth,omitempty"`
	FEServer       string `json:"feServer,omitempty"`
	ErrorCode      uint32 `json:"errorCode,omitempty"`
	Via            bool   `json:"via,omitempty"`
	// ClientPort is the TCP source port IIS saw (the proxy's, under
	// SNAT): a change between the legs of one NTLM handshake means the
	// legs came on different connections.
	ClientPort int `json:"clientPort,omitempty"`
	// Server is the IIS host that wrote the trace (<Computer>): a change
	// between legs means the balancer sent them to different servers.
	Server string `json:"server,omitempty"`
	// OriginalClient is the client a proxy header named (X-Forwarded-For,
	// X-ClientSide …); in a connection sequence it tells whose request
	// each one was.
	OriginalClient string `json:"originalClient,omitempty"`
	// ConnAuthenticated is true when the request carried no Authorization
	// but IIS processed it as a Windows-authenticated user: the
	// connection's earlier authentication was reused.
	ConnAuthenticated bool `json:"connAuthenticated,omitempty"`
}

// Sequence is the ordered traces of one client, user agent and URL.
// Scheduled scans save it in their state file, under these JSON names.
type Sequence struct {
	Key       string `json:"key"`
	Client    string `json:"client"`
	UserAgent string `json:"userAgent"`
	Path      string `json:"path"`
	Vendor    string `json:"vendor,omitempty"`
	Family    string `json:"family,omitempty"`
	// IgnoresPersistentAuth is copied from the client fingerprint.
	IgnoresPersistentAuth bool           `json:"ignoresPersistentAuth,omitempty"`
	Steps                 []SequenceStep `json:"steps"`
	// ByConnection marks a connection sequence: the requests one proxy
	// connection (TCP peer address and port) carried to one server, from
	// whichever clients. Rules see these through Rule.Connection.
	ByConnection bool `json:"byConnection,omitempty"`
}

// StepOf reduces a subject to a sequence step.
func StepOf(s *Subject) SequenceStep {
	st := SequenceStep{
		File:       s.Trace.File,
		Time:       s.Trace.Start,
		Verb:       s.Trace.Verb,
		Status:     s.Status(),
		Code:       s.Trace.StatusCode,
		Sub:        s.Trace.SubStatusCode,
		Auth:       AuthLabel(s.Auth, s.HasAuth),
		NTLMType:   s.Auth.NTLMType,
		HasAuth:    s.HasAuth,
		FEServer:   s.Response.Value("X-FEServer"),
		Via:        s.Request.Has("Via"),
		ClientPort: s.Trace.ClientPort,
		Server:     s.Trace.Server,
	}
	st.OriginalClient = s.Proxy.ClientAddress
	switch strings.ToLower(s.Trace.AuthenticationType) {
	case "ntlm", "negotiate", "kerberos", "nt":
		st.ConnAuthenticated = !s.HasAuth && s.Trace.UserName != ""
	}
	switch s.Persist {
	case auth.PersistFalse:
		st.PersistentAuth = "false"
	case auth.PersistTrue:
		st.PersistentAuth = "true"
	}
	if es := s.Trace.ErrorStatus; es != nil {
		st.ErrorCode = es.ErrorCode
	}
	return st
}

// AuthLabel names the credentials a request carried, without secrets.
func AuthLabel(c auth.Credentials, present bool) string {
	switch {
	case !present:
		return "none"
	case c.NTLMType > 0 && strings.EqualFold(c.Scheme, "NTLM"):
		return fmt.Sprintf("NTLM type %d", c.NTLMType)
	case c.NTLMType > 0:
		return fmt.Sprintf("%s (NTLM type %d)", c.Scheme, c.NTLMType)
	case c.Mechanism != "" && !strings.EqualFold(c.Mechanism, c.Scheme):
		return fmt.Sprintf("%s (%s)", c.Scheme, c.Mechanism)
	case c.Scheme != "":
		return c.Scheme
	}
	return "unknown"
}

// SequenceKey groups traces of one client program talking to one URL:
// the original client address (from proxy headers, else the TCP peer),
// the User-Agent and the path.
func SequenceKey(s *Subject) (key, client string) {
	client = s.Proxy.ClientAddress
	if client == "" {
		client = s.Trace.ClientAddress
	}
	return client + "\x00" + s.Client.UserAgent + "\x00" + s.Path(), client
}

// Correlator collects steps from many traces and builds sequences. It
// keeps only steps, never traces, and, when bounded (NewBoundedCorrelator),
// only the sequences still open: a client's handshake is over once the
// client has been quiet for the window, and the number of open sequences
// is capped so that memory does not grow with the number of clients.
type Correlator struct {
	seqs map[string]*list.Element // value *openSequence
	// lru orders the open sequences by the last step added, oldest
	// first: the one to close when too many are open.
	lru *list.List
	// window is how long a sequence may stay quiet before a new step of
	// the same key starts a new sequence (0: never).
	window time.Duration
	// maxOpen caps the open sequences (0: no cap); maxSteps the steps of
	// one (0: no cap).
	maxOpen, maxSteps int
	// closed are the sequences finished and not yet taken (TakeClosed).
	closed []*Sequence
	// evicted counts sequences closed early because maxOpen were open.
	evicted int
}

// openSequence is a sequence being built and the latest time of its steps.
type openSequence struct {
	seq    *Sequence
	latest time.Time
}

// NewCorrelator returns an empty correlator that keeps every sequence to
// the end (tests, frebscan show): no window, no cap.
func NewCorrelator() *Correlator { return NewBoundedCorrelator(0, 0, 0) }

// NewBoundedCorrelator returns a correlator that closes a sequence when a
// step of the same key comes more than window after its latest step or
// when it has maxSteps steps (a client polling one URL all day), and
// closes the least recently extended sequence when more than maxOpen are
// open (0 for any: no bound). Closed sequences wait in TakeClosed.
func NewBoundedCorrelator(window time.Duration, maxOpen, maxSteps int) *Correlator {
	return &Correlator{seqs: map[string]*list.Element{}, lru: list.New(), window: window, maxOpen: maxOpen, maxSteps: maxSteps}
}

// Evicted is how many sequences were closed early because too many were
// open: each may have missed steps a later trace would have added.
func (c *Correlator) Evicted() int { return c.evicted }

// Add records one subject and returns how many sequences its step joined
// (the client's, and the proxy connection's when there is one): each of
// them is returned once by TakeClosed or Close.
func (c *Correlator) Add(s *Subject) int {
	key, client := SequenceKey(s)
	st := StepOf(s)
	st.Verb, st.FEServer, st.Server = strings.Clone(st.Verb), strings.Clone(st.FEServer), strings.Clone(st.Server)
	st.OriginalClient = strings.Clone(st.OriginalClient)
	seq := c.open(key, st.Time, func() *Sequence {
		// Copies: the strings of a trace may share memory with the whole
		// event they came from, and a scan keeps sequences to the end.
		return &Sequence{Key: key, Client: strings.Clone(client), UserAgent: strings.Clone(s.Client.UserAgent), Path: strings.Clone(s.Path()),
			Family: s.Client.Family, IgnoresPersistentAuth: s.Client.IgnoresPersistentAuth}
	})
	if seq.Vendor == "" {
		seq.Vendor = strings.Clone(s.Proxy.Vendor)
	}
	seq.Steps = append(seq.Steps, st)
	c.bound()
	n := 1
	if c.addConnection(s, st) {
		n++
	}
	return n
}

// open returns the open sequence of key, after closing it when the step
// at t comes after it has been quiet for the window; fresh makes a new
// one. The sequence becomes the most recently extended.
func (c *Correlator) open(key string, t time.Time, fresh func() *Sequence) *Sequence {
	if e, ok := c.seqs[key]; ok {
		o := e.Value.(*openSequence)
		// Only a step later than the window closes: steps may arrive out
		// of time order (another server's folder walked later), and an
		// earlier step still belongs with the ones around it.
		full := c.maxSteps > 0 && len(o.seq.Steps) >= c.maxSteps
		if !full && (c.window <= 0 || !t.After(o.latest.Add(c.window))) {
			if t.After(o.latest) {
				o.latest = t
			}
			c.lru.MoveToBack(e)
			return o.seq
		}
		c.finish(e)
	}
	seq := fresh()
	c.seqs[key] = c.lru.PushBack(&openSequence{seq: seq, latest: t})
	return seq
}

// bound closes the least recently extended sequences past maxOpen.
func (c *Correlator) bound() {
	for c.maxOpen > 0 && c.lru.Len() > c.maxOpen {
		c.finish(c.lru.Front())
		c.evicted++
	}
}

// finish moves an open sequence to the closed ones, its steps in order.
func (c *Correlator) finish(e *list.Element) {
	o := c.lru.Remove(e).(*openSequence)
	delete(c.seqs, o.seq.Key)
	sortSteps(o.seq)
	c.closed = append(c.closed, o.seq)
}

// addConnection records a proxied request under the proxy connection it
// came on. Only a proxy that names the original client can show one
// connection serving several clients, so other requests are left out.
func (c *Correlator) addConnection(s *Subject, st SequenceStep) bool {
	if !s.Proxy.Present || st.OriginalClient == "" || s.Trace.ClientPort == 0 || s.Trace.ClientAddress == "" {
		return false
	}
	peer := fmt.Sprintf("%s:%d", s.Trace.ClientAddress, s.Trace.ClientPort)
	key := "conn\x00" + s.Trace.Server + "\x00" + peer
	seq := c.open(key, st.Time, func() *Sequence {
		return &Sequence{Key: key, Client: strings.Clone(peer), Path: strings.Clone(s.Trace.Server), ByConnection: true}
	})
	if seq.Vendor == "" {
		seq.Vendor = strings.Clone(s.Proxy.Vendor)
	}
	seq.Steps = append(seq.Steps, st)
	c.bound()
	return true
}

// AddStep records a step restored from saved state (scheduled scans keep
// a window of recent steps between runs).
func (c *Correlator) AddStep(seq Sequence, st SequenceStep) {
	cur := c.open(seq.Key, st.Time, func() *Sequence {
		cp := seq
		cp.Steps = nil
		return &cp
	})
	cur.Steps = append(cur.Steps, st)
	c.bound()
}

// EvictOldest closes the least recently extended open sequence, counted
// as evicted; false when none is open.
func (c *Correlator) EvictOldest() bool {
	if c.lru.Len() == 0 {
		return false
	}
	c.finish(c.lru.Front())
	c.evicted++
	return true
}

// TakeClosed returns the sequences closed since the last call (by the
// window or the cap), single-step ones included, and forgets them.
func (c *Correlator) TakeClosed() []*Sequence {
	out := c.closed
	c.closed = nil
	return out
}

// Close closes every open sequence and returns them with any closed and
// not yet taken, by key.
func (c *Correlator) Close() []*Sequence {
	open := c.All()
	for _, seq := range open {
		sortSteps(seq)
	}
	c.seqs, c.lru = map[string]*list.Element{}, list.New()
	return append(c.TakeClosed(), open...)
}

// Sequences returns every open sequence of two or more steps, each
// ordered by time (then file name: many FREB events share a millisecond).
func (c *Correlator) Sequences() []*Sequence {
	var out []*Sequence
	for _, seq := range c.All() {
		if len(seq.Steps) < 2 {
			continue
		}
		sortSteps(seq)
		out = append(out, seq)
	}
	return out
}

// sortSteps orders a sequence's steps by time, then file name.
func sortSteps(seq *Sequence) {
	sort.SliceStable(seq.Steps, func(i, j int) bool {
		a, b := seq.Steps[i], seq.Steps[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		return a.File < b.File
	})
}

// All returns every open sequence including single-step ones, by key:
// what a scheduled scan carries into its next run.
func (c *Correlator) All() []*Sequence {
	out := make([]*Sequence, 0, len(c.seqs))
	for _, e := range c.seqs {
		out = append(out, e.Value.(*openSequence).seq)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// String renders the sequence the way support engineers write it:
// POST 401 (none) -> POST 401 (NTLM type 1) -> POST 400 (none).
func (seq *Sequence) String() string {
	return FormatSteps(seq.Steps)
}

// FormatSteps renders steps as an arrow chain.
func FormatSteps(steps []SequenceStep) string {
	parts := make([]string, len(steps))
	for i, st := range steps {
		p := fmt.Sprintf("%s %s (%s", st.Verb, st.Status, st.Auth)
		if st.Server != "" {
			// Which server each leg reached is what shows a split handshake.
			p = st.Server + ": " + p
		}
		if st.PersistentAuth != "" {
			p += ", Persistent-Auth: " + st.PersistentAuth
		}
		parts[i] = p + ")"
	}
	return strings.Join(parts, " → ")
}

// EndsOnNTLMChallenge reports whether the latest step (by time, then file
// name: many FREB events share a millisecond) is a 401 to an NTLM type 1
// and no step carries a type 3: the client got the challenge and its
// answer never reached IIS. Steps are taken in any order.
func EndsOnNTLMChallenge(steps []SequenceStep) bool {
	if len(steps) == 0 || SawNTLMType3(steps) {
		return false
	}
	last := steps[0]
	for _, st := range steps[1:] {
		if st.Time.After(last.Time) || (st.Time.Equal(last.Time) && st.File > last.File) {
			last = st
		}
	}
	return last.Code == 401 && last.NTLMType == 1
}

// SawNTLMType3 reports whether some step carried an NTLM type 3.
func SawNTLMType3(steps []SequenceStep) bool {
	for _, st := range steps {
		if st.NTLMType == 3 {
			return true
		}
	}
	return false
}
