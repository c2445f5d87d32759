package freb

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// builder turns a stream of events into a Trace. It derives every view as
// events arrive, so a caller that does not keep events (a scan of a huge
// directory) still gets headers, error status and the slowest steps.
type builder struct {
	t        *Trace
	opts     Options
	prev     *Event
	prevMod  string
	steps    []Step
	pendDesc string // SET_RESPONSE_ERROR_DESCRIPTION seen before its error
	// modules are the notifications open (NOTIFY_MODULE_START without its
	// END), innermost last; open are the activities open likewise.
	modules []string
	open    []string
	// rule and pattern are the URL Rewrite rule being evaluated and the
	// pattern that matched, for an abort that follows.
	rule, pattern string
	lastFile      string // FILE_CACHE_ACCESS_START's file, for its END
	// keep bounds the events kept (Options.EventBudget); nil keeps all.
	keep *retainer
}

func newBuilder(file string, opts Options) *builder {
	b := &builder{t: &Trace{File: file, Warnings: []string{}}, opts: opts}
	if opts.KeepEvents && opts.EventBudget > 0 {
		b.keep = newRetainer(opts.EventBudget)
	}
	return b
}

func (b *builder) root(attrs []Attribute) {
	t := b.t
	t.Attributes = attrs
	for _, a := range attrs {
		switch a.Name {
		case "url":
			t.URL = a.Value
		case "verb":
			t.Verb = a.Value
		case "siteId":
			t.SiteID = a.Value
		case "appPoolId":
			t.AppPoolID = a.Value
		case "processId":
			t.ProcessID = a.Value
		case "activityId":
			t.ActivityID = a.Value
		case "remoteUserName":
			t.RemoteUserName = a.Value
		case "userName":
			t.UserName = a.Value
		case "tokenUserName":
			t.TokenUserName = a.Value
		case "authenticationType":
			t.AuthenticationType = a.Value
		case "failureReason":
			t.FailureReason = a.Value
		case "statusCode":
			t.StatusCode, t.SubStatusCode = b.status(a)
		case "triggerStatusCode":
			t.TriggerStatusCode, t.TriggerSubStatusCode = b.status(a)
		case "timeTaken":
			ms, err := strconv.ParseInt(strings.TrimSpace(a.Value), 10, 64)
			if err != nil {
				b.warn("timeTaken %q is not a number of milliseconds", a.Value)
			}
			t.TimeTakenMs = ms
		}
	}
}

func (b *builder) status(a Attribute) (int, int) {
	code, sub, ok := ParseStatus(a.Value)
	if !ok {
		b.warn("%s %q is not a status code", a.Name, a.Value)
	}
	return code, sub
}

// headerBlock parses the Headers field of ev, keeping at most MaxHeaders
// headers so a block of millions of one-byte lines costs no more than a
// real one downstream.
func (b *builder) headerBlock(ev *Event, which string) headers.List {
	h := headers.ParseBlock(ev.Get("Headers"))
	limit := b.opts.MaxHeaders
	if limit <= 0 {
		limit = DefaultMaxHeaders
	}
	if len(h) > limit {
		b.warn("the %s header block (event %d) has %d headers, more than the limit of %d; kept the first %d", which, ev.Index, len(h), limit, limit)
		h = h[:limit:limit]
	}
	return h
}

func (b *builder) warn(format string, args ...any) {
	b.t.Warnings = append(b.t.Warnings, fmt.Sprintf(format, args...))
}

func (b *builder) add(ev *Event) {
	t := b.t
	ev.Index = t.EventCount
	t.EventCount++
	if ev.Index == 0 {
		t.Start = ev.Time
		if ev.Name != "GENERAL_REQUEST_START" && ev.Name != "LOG_FILE_MAX_SIZE_TRUNCATE" {
			t.Truncated = true
			b.warn("the trace starts at %s: its first events are missing", ev.Name)
		}
	}
	if t.Server == "" {
		t.Server = ev.computer
	}
	if ev.Time.After(t.End) {
		t.End = ev.Time
	}
	var before viewMark
	if b.keep != nil {
		before = b.mark()
	}
	b.step(ev)
	b.track(ev)
	b.derive(ev)
	b.views(ev)
	switch {
	case b.keep != nil:
		t.Events = b.keep.add(t.Events, ev, b.keyEvent(ev, before))
	case b.opts.KeepEvents:
		t.Events = append(t.Events, *ev)
	}
}

func (b *builder) derive(ev *Event) {
	t := b.t
	switch ev.Name {
	case "GENERAL_REQUEST_START":
		t.Passes = append(t.Passes, Pass{URL: ev.Get("RequestURL"), Verb: ev.Get("RequestVerb")})
	case "GENERAL_ENDPOINT_INFORMATION":
		if t.ClientAddress == "" {
			t.ClientAddress = ev.Get("RemoteAddress")
			t.ClientPort = atoi(ev.Get("RemotePort"))
			t.LocalAddress = ev.Get("LocalAddress")
			t.LocalPort = atoi(ev.Get("LocalPort"))
		}
	case "GENERAL_REQUEST_HEADERS":
		h := b.headerBlock(ev, "request")
		if t.RequestHeaders == nil {
			t.RequestHeaders = h
		}
		if p := b.pass(); p != nil {
			p.Headers = h
		}
	case "GENERAL_RESPONSE_HEADERS":
		t.ResponseHeaders = b.headerBlock(ev, "response")
		t.ResponseHeadersTraced = true
	case "GENERAL_SET_REQUEST_HEADER", "FILTER_SET_REQ_HEADER":
		t.RequestHeaderChanges = append(t.RequestHeaderChanges, change(ev))
	case "GENERAL_SET_RESPONSE_HEADER":
		t.ResponseHeaderChanges = append(t.ResponseHeaderChanges, change(ev))
	case "MODULE_SET_RESPONSE_ERROR_STATUS":
		t.Errors = append(t.Errors, ErrorStatus{
			Module:          ev.Get("ModuleName"),
			Notification:    ev.Description("Notification"),
			HTTPStatus:      atoi(ev.Get("HttpStatus")),
			HTTPSubStatus:   atoi(ev.Get("HttpSubStatus")),
			HTTPReason:      ev.Get("HttpReason"),
			ErrorCode:       parseCode(ev.Get("ErrorCode")),
			ErrorText:       oneLine(lookup(ev.Descriptions, "ErrorCode")),
			ConfigException: strings.TrimSpace(ev.Get("ConfigExceptionInfo")),
			Description:     b.pendDesc,
			Event:           ev.Index,
		})
		b.pendDesc = ""
	case "SET_RESPONSE_ERROR_DESCRIPTION":
		d := strings.TrimSpace(ev.Get("ErrorDescription"))
		if n := len(t.Errors); n > 0 && t.Errors[n-1].Description == "" {
			t.Errors[n-1].Description = d
		} else {
			b.pendDesc = d
		}
	case "GENERAL_REQUEST_END":
		t.BytesSent = int64(atoi(ev.Get("BytesSent")))
		t.BytesReceived = int64(atoi(ev.Get("BytesReceived")))
		if p := b.pass(); p != nil {
			p.Ended = true
			p.BytesSent, p.BytesReceived = t.BytesSent, t.BytesReceived
			p.HTTPStatus = atoi(ev.Get("HttpStatus"))
			p.HTTPSubStatus = atoi(ev.Get("HttpSubStatus"))
		}
	case "GENERAL_FLUSH_RESPONSE_END", "GENERAL_READ_ENTITY_END", "NOTIFY_MODULE_COMPLETION":
		if code := parseCode(ev.Get("ErrorCode")); code != 0 {
			t.IOErrors = append(t.IOErrors, IOError{
				Event: ev.Index, Name: ev.Name, Module: ev.Get("ModuleName"),
				ErrorCode: code, ErrorText: oneLine(lookup(ev.Descriptions, "ErrorCode")),
			})
		}
	case "LOG_FILE_MAX_SIZE_TRUNCATE":
		t.Truncated = true
		b.warn("IIS cut the trace at maxLogFileSizeKB (LOG_FILE_MAX_SIZE_TRUNCATE): later events are missing")
	}
	if strings.HasPrefix(ev.Name, "AUTH_") || ev.Name == "USER_SET" {
		t.AuthEvents = append(t.AuthEvents, *ev)
	}
}

func (b *builder) pass() *Pass {
	if n := len(b.t.Passes); n > 0 {
		return &b.t.Passes[n-1]
	}
	return nil
}

func change(ev *Event) headers.Change {
	return headers.Change{
		Name:    headers.NormalizeName(ev.Get("HeaderName")),
		Value:   ev.Get("HeaderValue"),
		Replace: strings.EqualFold(ev.Get("Replace"), "true"),
		Event:   ev.Index,
	}
}

// step records the gap before ev, attributed to the previous event, and
// keeps the longest ones.
func (b *builder) step(ev *Event) {
	if m := ev.Get("ModuleName"); m != "" {
		defer func() { b.prevMod = m }()
	}
	prev := b.prev
	b.prev = ev
	limit := b.opts.SlowSteps
	if prev == nil || limit <= 0 || ev.Time.IsZero() || prev.Time.IsZero() {
		return
	}
	gap := ev.Time.Sub(prev.Time)
	if gap <= 0 {
		return
	}
	module := b.prevMod
	if n := len(b.modules); n > 0 {
		module = b.modules[n-1]
	} else if m := prev.Get("ModuleName"); m != "" {
		module = m
	}
	activity := ""
	if n := len(b.open); n > 0 {
		activity = b.open[n-1]
	}
	s := Step{
		Event:      prev.Index,
		Name:       prev.Name,
		Next:       ev.Name,
		Module:     module,
		Activity:   activity,
		ElapsedMs:  ms(prev.Time.Sub(b.t.Start)),
		DurationMs: ms(gap),
	}
	i := sort.Search(len(b.steps), func(i int) bool { return b.steps[i].DurationMs < s.DurationMs })
	if i >= limit {
		return
	}
	b.steps = append(b.steps, Step{})
	copy(b.steps[i+1:], b.steps[i:])
	b.steps[i] = s
	if len(b.steps) > limit {
		b.steps = b.steps[:limit]
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (b *builder) finish() *Trace {
	t := b.t
	t.SlowestSteps = b.steps
	if b.keep != nil {
		t.Events, t.Omitted = b.keep.finish(t.Events)
	}
	if !t.ResponseHeadersTraced && len(t.ResponseHeaderChanges) > 0 {
		t.ResponseHeaders = headers.Apply(nil, t.ResponseHeaderChanges)
	}
	t.ErrorStatus = decisiveError(t)
	if t.EventCount == 0 {
		b.warn("the trace has no events (only the root attributes): its time is the file's modification time, and nothing but the status can be diagnosed")
	}
	return t
}

// decisiveError picks the error that matches the final status; modules can
// set several (a 401.2 challenge later replaced by a 500), and the last one
// that agrees with what the client got is the one to explain.
func decisiveError(t *Trace) *ErrorStatus {
	for i := len(t.Errors) - 1; i >= 0; i-- {
		if t.Errors[i].HTTPStatus == t.StatusCode {
			return &t.Errors[i]
		}
	}
	if n := len(t.Errors); n > 0 {
		return &t.Errors[n-1]
	}
	return nil
}

// parseCode reads an error code IIS writes as unsigned decimal
// (2147942402) and, defensively, as hex (0x80070002).
func parseCode(s string) uint32 {
	s = strings.TrimSpace(s)
	base := 10
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		if i, err2 := strconv.ParseInt(s, base, 64); err2 == nil {
			return uint32(i)
		}
		return 0
	}
	return uint32(n)
}

// oneLine folds the CR LF IIS 7.5 puts inside some error texts.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
