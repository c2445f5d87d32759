package freb

import (
	"sort"
)

// A reader given Options.EventBudget keeps the events of a trace of any
// size in bounded memory: a verbose ASP.NET trace of a long request runs to
// gigabytes (millions of AspNetPipelineEnter/Leave pairs), and a report
// that shows it in detail must not hold them all. What it keeps is what a
// person reading the trace looks at: the start of the request in full,
// its end in full, and in between the events that matter (errors,
// warnings, and the events frebscan's views are built from, which the
// findings quote); the rest is counted by event name in Trace.Omitted.

// Shares of the budget: the first events take half, the last a quarter,
// and the events that matter from the middle the last quarter, with what
// the first events left of theirs.
const (
	headShare = 2 // budget / headShare
	tailShare = 4
	keyShare  = 4
)

// maxOmittedNames bounds the names Omitted counts separately; a hostile
// trace with a million distinct event names gets one "(other names)"
// line past it.
const maxOmittedNames = 256

// otherNames counts the omitted events past maxOmittedNames names.
const otherNames = "(other names)"

// Omitted says which events a reader with an event budget left out of
// Trace.Events, so a report can say what it does not show and where to
// see it.
type Omitted struct {
	// Events and Bytes count the events left out and their size as
	// EventSize measures it (the data they carry, not the XML around it).
	Events int   `json:"events"`
	Bytes  int64 `json:"bytes"`
	// Key counts the errors, warnings and view events among them: the
	// share of the budget for those was spent, so even some of them are
	// not shown.
	Key int `json:"key,omitempty"`
	// First and Last are the indexes of the first and last event left out.
	First int `json:"first"`
	Last  int `json:"last"`
	// ByName counts the events left out per event name (the opcode as
	// IIS renders it), most first.
	ByName []NameCount `json:"byName"`
}

// NameCount is how many events of one name were left out, and their size.
type NameCount struct {
	Name   string `json:"name"`
	Events int    `json:"events"`
	Bytes  int64  `json:"bytes"`
}

// EventSize estimates what an event costs in memory: its strings and the
// structures around them. Budgets are in these bytes.
func EventSize(ev *Event) int64 {
	n := int64(160 + len(ev.Name) + len(ev.Provider) + len(ev.Keyword))
	for _, f := range ev.Data {
		n += int64(32 + len(f.Name) + len(f.Value))
	}
	for _, f := range ev.Descriptions {
		n += int64(32 + len(f.Name) + len(f.Value))
	}
	return n
}

// retainer keeps the events of one trace within a budget while they
// stream past. Events go first to the head; once one does not fit, the
// head is closed and every later event waits in a window of the last
// ones (the tail). An event pushed out of the tail is kept when it
// matters and the key share allows, and counted in Omitted otherwise. The
// kept events stay in document order: head, then the key events in the
// order they left the window, then the window.
type retainer struct {
	headLeft, tailMax, keyLeft int64
	closed                     bool
	window                     []pending
	start                      int
	windowBytes                int64
	omitted                    Omitted
	names                      map[string]int
}

type pending struct {
	ev   Event
	size int64
	key  bool
}

func newRetainer(budget int64) *retainer {
	return &retainer{headLeft: budget / headShare, tailMax: budget / tailShare, keyLeft: budget / keyShare, names: map[string]int{}}
}

// add keeps or queues ev; key says it matters (an error or warning, or an
// event a view was built from). kept is the trace's event list.
func (r *retainer) add(kept []Event, ev *Event, key bool) []Event {
	size := EventSize(ev)
	if !r.closed && size <= r.headLeft {
		r.headLeft -= size
		return append(kept, *ev)
	}
	if !r.closed {
		// What the head did not use goes to the events that matter.
		r.closed = true
		r.keyLeft += r.headLeft
		r.headLeft = 0
	}
	r.window = append(r.window, pending{ev: *ev, size: size, key: key})
	r.windowBytes += size
	for r.windowBytes > r.tailMax && r.start < len(r.window) {
		p := &r.window[r.start]
		r.windowBytes -= p.size
		if p.key && p.size <= r.keyLeft {
			r.keyLeft -= p.size
			kept = append(kept, p.ev)
		} else {
			r.omit(p)
		}
		*p = pending{}
		r.start++
	}
	// Compact the window when half of it is spent, so its array does not
	// grow with the trace.
	if r.start > 0 && r.start >= len(r.window)/2 {
		n := copy(r.window, r.window[r.start:])
		clear(r.window[n:])
		r.window = r.window[:n]
		r.start = 0
	}
	return kept
}

func (r *retainer) omit(p *pending) {
	o := &r.omitted
	if o.Events == 0 {
		o.First = p.ev.Index
	}
	o.Last = p.ev.Index
	o.Events++
	o.Bytes += p.size
	if p.key {
		o.Key++
	}
	name := p.ev.Name
	i, ok := r.names[name]
	if !ok {
		if len(r.names) >= maxOmittedNames {
			name = otherNames
			i, ok = r.names[name]
		}
		if !ok {
			i = len(o.ByName)
			r.names[name] = i
			o.ByName = append(o.ByName, NameCount{Name: name})
		}
	}
	o.ByName[i].Events++
	o.ByName[i].Bytes += p.size
}

// finish appends the window to the kept events and returns what was left
// out (nil when nothing was).
func (r *retainer) finish(kept []Event) ([]Event, *Omitted) {
	for i := r.start; i < len(r.window); i++ {
		kept = append(kept, r.window[i].ev)
	}
	r.window = nil
	if r.omitted.Events == 0 {
		return kept, nil
	}
	o := r.omitted
	sort.SliceStable(o.ByName, func(i, j int) bool {
		if o.ByName[i].Events != o.ByName[j].Events {
			return o.ByName[i].Events > o.ByName[j].Events
		}
		return o.ByName[i].Name < o.ByName[j].Name
	})
	return kept, &o
}

// viewMark is a cheap fingerprint of the views the builder derives: when
// it changes across an event, that event fed a view the rules read (an
// error status, a header change, an I/O error, a module warning, the
// body…), so a report keeps it whatever its level.
type viewMark struct {
	errors, ioErrors, reqChanges, respChanges, auth, moduleWarnings int
	webEvents, compileFailures, children, missing, passes, body     int
	reqHeaders, respHeaders                                         int
	handler                                                         *Handler
	abort                                                           *RewriteAbort
	file                                                            *ResponseFile
	customError                                                     string
	truncated                                                       bool
}

func (b *builder) mark() viewMark {
	t := b.t
	m := viewMark{errors: len(t.Errors), ioErrors: len(t.IOErrors), reqChanges: len(t.RequestHeaderChanges),
		respChanges: len(t.ResponseHeaderChanges), auth: len(t.AuthEvents), moduleWarnings: len(t.ModuleWarnings),
		webEvents: len(t.WebEvents), compileFailures: len(t.CompileFailures), children: len(t.Children),
		missing: len(t.MissingFiles), passes: len(t.Passes), body: len(t.Body),
		handler: t.Handler, abort: t.RewriteAbort, file: t.ResponseFile, customError: t.CustomError, truncated: t.Truncated}
	if t.RequestHeaders != nil {
		m.reqHeaders = 1
	}
	if t.ResponseHeadersTraced {
		m.respHeaders = 1
	}
	return m
}

// keyEvent reports whether ev matters whatever the budget: IIS logged it
// as an error or warning, it fed a view (before is the mark taken before
// the builder saw it), or it carries the headers or endpoints a reader of
// the trace looks for first.
func (b *builder) keyEvent(ev *Event, before viewMark) bool {
	if ev.Level > 0 && ev.Level <= 3 {
		return true
	}
	switch ev.Name {
	case "GENERAL_REQUEST_HEADERS", "GENERAL_RESPONSE_HEADERS", "GENERAL_ENDPOINT_INFORMATION",
		"GENERAL_REQUEST_END", "MODULE_SET_RESPONSE_ERROR_STATUS", "SET_RESPONSE_ERROR_DESCRIPTION":
		return true
	}
	return b.mark() != before
}
