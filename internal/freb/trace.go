// Package freb reads IIS Failed Request Tracing (FREB) files into a Trace,
// the model every later stage of frebscan shares.
package freb

import (
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// Trace is one FREB file: the root attributes IIS wrote on
// <failedRequest>, the events kept, and views derived from them while
// reading (headers, error status, endpoints), so that stages which do not
// keep events still see everything they need.
type Trace struct {
	File string `json:"file"`

	URL                  string `json:"url"`
	Verb                 string `json:"verb"`
	StatusCode           int    `json:"statusCode"`
	SubStatusCode        int    `json:"subStatusCode"`
	TriggerStatusCode    int    `json:"triggerStatusCode"`
	TriggerSubStatusCode int    `json:"triggerSubStatusCode"`
	FailureReason        string `json:"failureReason"`
	TimeTakenMs          int64  `json:"timeTakenMs"`
	SiteID               string `json:"siteId"`
	AppPoolID            string `json:"appPoolId"`
	ProcessID            string `json:"processId"`
	ActivityID           string `json:"activityId"`
	RemoteUserName       string `json:"remoteUserName,omitempty"`
	UserName             string `json:"userName,omitempty"`
	TokenUserName        string `json:"tokenUserName,omitempty"`
	AuthenticationType   string `json:"authenticationType"`
	// Attributes holds every root attribute in document order, including
	// ones this version of frebscan does not know.
	Attributes []Attribute `json:"attributes"`

	// Server is the Computer of the events: the IIS host that wrote the trace.
	Server string `json:"server"`
	// Start is the time of the first event kept (zero when there is none).
	Start time.Time `json:"start"`
	// End is the time of the last event kept: with Start, how much of the
	// time taken the events cover.
	End           time.Time `json:"-"`
	ClientAddress string    `json:"clientAddress"`
	ClientPort    int       `json:"clientPort,omitempty"`
	LocalAddress  string    `json:"localAddress,omitempty"`
	LocalPort     int       `json:"localPort,omitempty"`
	BytesSent     int64     `json:"bytesSent"`
	BytesReceived int64     `json:"bytesReceived"`

	// RequestHeaders are the headers as the client (or the proxy in front
	// of IIS) sent them: the first GENERAL_REQUEST_HEADERS block.
	RequestHeaders headers.List `json:"requestHeaders"`
	// RequestHeaderChanges are the headers modules set afterwards (ARR,
	// URL Rewrite, ISAPI filters), in order.
	RequestHeaderChanges []headers.Change `json:"requestHeaderChanges,omitempty"`
	// ResponseHeaders are the last GENERAL_RESPONSE_HEADERS block or, when
	// the trace has none (aborted or truncated), the headers modules set.
	ResponseHeaders       headers.List     `json:"responseHeaders"`
	ResponseHeaderChanges []headers.Change `json:"responseHeaderChanges,omitempty"`
	// ResponseHeadersTraced is false when no GENERAL_RESPONSE_HEADERS event
	// was seen, so ResponseHeaders were rebuilt from set-header events.
	ResponseHeadersTraced bool `json:"responseHeadersTraced"`

	// Passes holds one entry per GENERAL_REQUEST_START: IIS re-executes a
	// request for default documents, rewrites and ASP.NET transfers.
	Passes []Pass `json:"passes,omitempty"`

	// ErrorStatus is the error that decided the response (nil when no
	// module set one); Errors holds every one in order.
	ErrorStatus *ErrorStatus  `json:"errorStatus"`
	Errors      []ErrorStatus `json:"errors,omitempty"`
	// IOErrors are failed reads, writes and completions
	// (GENERAL_FLUSH_RESPONSE_END, GENERAL_READ_ENTITY_END,
	// NOTIFY_MODULE_COMPLETION with a non-zero ErrorCode): how a reset
	// connection shows up in a trace.
	IOErrors []IOError `json:"ioErrors,omitempty"`
	// AuthEvents are the authentication events (AUTH_*, USER_SET).
	AuthEvents []Event `json:"authEvents,omitempty"`
	// SlowestSteps are the longest gaps between consecutive events, longest
	// first, attributed to the event that started the gap.
	SlowestSteps []Step `json:"slowestSteps,omitempty"`

	// Body is the response body as the trace recorded it
	// (GENERAL_RESPONSE_ENTITY_BUFFER events joined, chunk framing
	// dropped, at most MaxBody bytes): where an error page says what
	// failed. It is not in the JSON form; the events carry it.
	Body string `json:"-"`
	// BodyCut is set when IIS cut a buffer ("TRUNCATED...") or Body
	// reached MaxBody, so the end of the page is missing.
	BodyCut bool `json:"-"`
	// Handler is the handler mapping that served the request (the last
	// HANDLER_CHANGED), nil when the trace has none.
	Handler *Handler `json:"handler,omitempty"`
	// ModuleWarnings are the MODULE_WARNING events (FastCGI's stderr).
	ModuleWarnings []ModuleWarning `json:"moduleWarnings,omitempty"`
	// WebEvents are the ASP.NET health-monitoring events raised.
	WebEvents []WebEvent `json:"webEvents,omitempty"`
	// CompileFailures are the files of AspNetCompileLeave events that
	// ended in "failure".
	CompileFailures []string `json:"compileFailures,omitempty"`
	// RewriteAbort is set when a URL Rewrite rule aborted the request.
	RewriteAbort *RewriteAbort `json:"rewriteAbort,omitempty"`
	// Children are the child requests executed inside this one.
	Children []Child `json:"children,omitempty"`
	// CustomError is the custom error page IIS sent
	// (GENERAL_SEND_CUSTOM_ERROR FileNameOrURL).
	CustomError string `json:"customError,omitempty"`
	// ResponseFile is the file the static file handler sent.
	ResponseFile *ResponseFile `json:"responseFile,omitempty"`
	// MissingFiles are the physical paths the file cache failed to open
	// (FILE_CACHE_ACCESS_END with an error): what a 404.0 looked for.
	MissingFiles []string `json:"missingFiles,omitempty"`

	EventCount int     `json:"eventCount"`
	Events     []Event `json:"events,omitempty"`
	// Omitted says which events were left out of Events to keep within
	// Options.EventBudget; nil when Events holds every event read.
	Omitted   *Omitted `json:"omitted,omitempty"`
	Truncated bool     `json:"truncated"`
	// Unfinished is set when the file itself ends mid-document (being
	// written or cut by a copy), as opposed to IIS truncating the trace
	// at maxLogFileSizeKB, which still ends the document properly.
	Unfinished bool `json:"unfinished,omitempty"`
	// Warnings say what was odd about the file and what frebscan did about
	// it; a trace with warnings is still usable.
	Warnings []string `json:"warnings"`
}

// Attribute is one root attribute as written.
type Attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Pass is one execution of the request inside the trace.
type Pass struct {
	URL           string       `json:"url"`
	Verb          string       `json:"verb"`
	Headers       headers.List `json:"headers,omitempty"`
	HTTPStatus    int          `json:"httpStatus,omitempty"`
	HTTPSubStatus int          `json:"httpSubStatus,omitempty"`
	BytesSent     int64        `json:"bytesSent,omitempty"`
	BytesReceived int64        `json:"bytesReceived,omitempty"`
	Ended         bool         `json:"ended"`
}

// ErrorStatus is what MODULE_SET_RESPONSE_ERROR_STATUS (and the events
// around it) say about the failure.
type ErrorStatus struct {
	Module        string `json:"module"`
	Notification  string `json:"notification"`
	HTTPStatus    int    `json:"httpStatus"`
	HTTPSubStatus int    `json:"httpSubStatus"`
	HTTPReason    string `json:"httpReason"`
	ErrorCode     uint32 `json:"errorCode"`
	ErrorText     string `json:"errorText"`
	// ConfigException is set for configuration errors (500.19): the file,
	// line and message IIS reports.
	ConfigException string `json:"configException,omitempty"`
	// Description comes from SET_RESPONSE_ERROR_DESCRIPTION when present.
	Description string `json:"description,omitempty"`
	Event       int    `json:"event"`
}

// IOError is a non-zero ErrorCode on an I/O event.
type IOError struct {
	Event     int    `json:"event"`
	Name      string `json:"name"`
	Module    string `json:"module,omitempty"`
	ErrorCode uint32 `json:"errorCode"`
	ErrorText string `json:"errorText,omitempty"`
}

// Step is a gap between two events: the time IIS spent after Event before
// the next event was written.
type Step struct {
	Event int    `json:"event"`
	Name  string `json:"name"`
	// Next is the event that ended the gap: what IIS was waiting for
	// shows there (VIRTUAL_MODULE_UNRESOLVED after a long gap is ASP.NET
	// starting the application).
	Next string `json:"next"`
	// Module is the module that was running during the gap (the
	// innermost NOTIFY_MODULE_START not yet ended), or the last one named
	// when no notification was open.
	Module string `json:"module,omitempty"`
	// Activity is the innermost activity open during the gap, named by
	// the event that opened it (AspNetPageLoadEnter,
	// FASTCGI_WAITING_FOR_RESPONSE, ASP_SCRIPT_TRACE_COM_CALL_START): what
	// the time was spent on.
	Activity   string  `json:"activity,omitempty"`
	ElapsedMs  float64 `json:"elapsedMs"`
	DurationMs float64 `json:"durationMs"`
}

// Event is one <Event> element.
type Event struct {
	Index    int       `json:"index"`
	Name     string    `json:"name"`
	Time     time.Time `json:"time"`
	Provider string    `json:"provider"`
	Level    int       `json:"level"`
	Opcode   int       `json:"opcode"`
	Keyword  string    `json:"keyword,omitempty"`
	Process  int       `json:"processId,omitempty"`
	Thread   int       `json:"threadId,omitempty"`
	// Data are the EventData fields in order; names can contain spaces.
	Data []Field `json:"data,omitempty"`
	// Descriptions are IIS's rendering of numeric Data fields
	// (Notification 16 -> MAP_REQUEST_HANDLER).
	Descriptions []Field `json:"descriptions,omitempty"`

	computer string // copied to Trace.Server; not repeated per event
}

// Field is a named value.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Get returns the value of the named Data field.
func (e *Event) Get(name string) string {
	return lookup(e.Data, name)
}

// Description returns IIS's rendered text for the named Data field, or
// the raw value when IIS gave none.
func (e *Event) Description(name string) string {
	if d := lookup(e.Descriptions, name); d != "" {
		return d
	}
	return e.Get(name)
}

func lookup(fields []Field, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Attr returns the value of a root attribute, or "".
func (t *Trace) Attr(name string) string {
	for _, a := range t.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// Status renders the final status as IIS does: "500.19", or "400" when the
// substatus is 0.
func (t *Trace) Status() string {
	return FormatStatus(t.StatusCode, t.SubStatusCode)
}

// EffectiveRequestHeaders returns the request headers after every module
// change, as the handler saw them.
func (t *Trace) EffectiveRequestHeaders() headers.List {
	return headers.Apply(t.RequestHeaders, t.RequestHeaderChanges)
}

// Path returns the URL's path without scheme, host and query, lower-cased
// for matching (IIS URLs are case-insensitive).
func (t *Trace) Path() string {
	return URLPath(t.URL)
}

// URLPath returns the path of a FREB URL, lower-cased.
func URLPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.ToLower(u)
}
