package gen

import (
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// Failure reasons IIS writes in failureReason.
const (
	ReasonStatusCode = "STATUS_CODE"
	ReasonTimeTaken  = "TIME_TAKEN"
)

// Scenario describes one request and what IIS saw of it. Only what makes
// the case is required (URL, Status, request and response headers); the
// rest has realistic defaults derived from Seed, and the ordinary pipeline
// events are filled in around it.
type Scenario struct {
	// Seed makes everything the scenario leaves open (activity ID, ports,
	// thread IDs, timing jitter) reproducible.
	Seed int64

	// Root attributes.
	URL           string // full URL with scheme, host and explicit port
	Verb          string // default GET
	Status        Status
	Trigger       *Status // triggerStatusCode; nil means Status (or 0 for TIME_TAKEN)
	FailureReason string  // ReasonStatusCode (default) or ReasonTimeTaken
	// TimeTaken is the request's duration; events are spaced to match it.
	// Zero picks a short realistic value.
	TimeTaken time.Duration
	SiteID    int    // default 1
	AppPool   string // default DefaultAppPool
	ProcessID int    // default derived from Seed
	// ActivityID is the braced upper-case GUID; empty derives one from Seed.
	ActivityID string
	// User, when set, writes remoteUserName, userName and tokenUserName;
	// IIS leaves all three out when the request failed before a user was
	// set.
	User *User
	// AuthenticationType is the root attribute: anonymous, NT, Negotiate,
	// NTLM, Basic, NOT_AVAILABLE. Default anonymous, or NOT_AVAILABLE when
	// User is nil.
	AuthenticationType string

	Computer string    // the IIS host; default EX01
	Start    time.Time // time of the first event, UTC
	Client   Endpoint  // RemoteAddress as IIS sees it (the proxy's, under SNAT)
	Local    Endpoint  // LocalAddress and LocalPort

	// RequestHeaders is the GENERAL_REQUEST_HEADERS block as it arrived.
	RequestHeaders headers.List
	// SetRequestHeaders are headers modules change on the way in
	// (GENERAL_SET_REQUEST_HEADER), written after ARR's own when ARR is set.
	SetRequestHeaders []SetHeader
	// SetResponseHeaders are headers modules add to the response
	// (GENERAL_SET_RESPONSE_HEADER). WWW-Authenticate and Persistent-Auth
	// default to WindowsAuthenticationModule during SEND_RESPONSE, others
	// to the handler.
	SetResponseHeaders []SetHeader
	// ResponseHeaders is the final GENERAL_RESPONSE_HEADERS block; nil
	// means the response was never flushed (aborted or cut).
	ResponseHeaders headers.List

	// Auth describes the authentication modules' work; nil means an
	// anonymous site where only anonymous authentication runs.
	Auth *Auth
	// Error is the module error (MODULE_SET_RESPONSE_ERROR_STATUS); nil for
	// a request no module failed.
	Error *ModuleError
	// ARR routes the request through Application Request Routing.
	ARR *ARR
	// Handler overrides the handler picked from the URL.
	Handler *Handler

	// RequestBody and ResponseBody are written as GENERAL_REQUEST_ENTITY
	// and GENERAL_RESPONSE_ENTITY_BUFFER events, in chunks as IIS reads and
	// sends them. An empty ResponseBody on an error becomes IIS's detailed
	// error page.
	RequestBody  string
	ResponseBody string
	// FlushError is GENERAL_FLUSH_RESPONSE_END's ErrorCode: the client (or
	// the load balancer) reset the connection while IIS was sending.
	FlushError uint32
	// ReadError is GENERAL_READ_ENTITY_END's ErrorCode when the request
	// body never arrived (RequestBody empty): IIS waits in the handler, then
	// the read fails.
	ReadError uint32

	// BeginEvents are written by URL Rewrite during BEGIN_REQUEST (rule
	// evaluation, an abort); HandlerEvents inside the handler, before the
	// module error (ASP.NET web events and compilation, FastCGI warnings).
	// They describe what the generic pipeline does not know.
	BeginEvents   []Extra
	HandlerEvents []Extra

	// Slow makes chosen modules take time; whatever TimeTaken leaves over
	// goes to the handler.
	Slow []Slow

	BytesSent     int64 // 0 computes it from the response
	BytesReceived int64 // 0 computes it from the request

	// Padding adds this many extra notification rounds of managed modules
	// (AspNetPipelineEnter/Leave and NOTIFY_MODULE pairs), to reach the
	// file sizes of busy real servers.
	Padding int

	// Quiet leaves out the verbose notification events (NOTIFY_MODULE_*,
	// PRE_BEGIN_REQUEST_*, AspNetPipeline*), as a rule whose
	// RequestNotifications/Module areas trace at Warning does.
	Quiet bool

	Truncate Truncation
}

// Extra is one event a scenario adds: its name, its data fields in order,
// and the time spent before it is written.
type Extra struct {
	Name string
	Data [][2]string
	Wait time.Duration
}

// Status is an HTTP status with the IIS substatus.
type Status struct {
	Code, Sub int
}

// User is what the root attributes say about the authenticated user.
type User struct {
	RemoteUserName, UserName, TokenUserName string
}

// Endpoint is an address and port as GENERAL_ENDPOINT_INFORMATION writes
// them (IPv6 without brackets).
type Endpoint struct {
	Address string
	Port    int
}

// SetHeader is one GENERAL_SET_REQUEST_HEADER / GENERAL_SET_RESPONSE_HEADER.
type SetHeader struct {
	Name, Value string
	Replace     bool
	// Module that sets it; see Scenario.SetResponseHeaders for defaults.
	Module string
}

// Auth describes the authentication events.
type Auth struct {
	// Windows is true when Windows authentication is enabled (the usual
	// Exchange and intranet set-up); Basic and Anonymous likewise.
	Windows, Basic, Anonymous bool
	// Outcome is what Windows authentication made of the Authorization
	// header: AuthNone (no header), AuthSucceeded, AuthContinue (NTLM type 1
	// or Negotiate leg answered with a challenge), AuthFailed.
	Outcome AuthOutcome
	// User is DOMAIN\user on success.
	User string
	// Package is the USER_SET AuthType: "NTLM", "Negotiate" or "Kerberos".
	Package string
	// NTLMUsed is AUTH_SUCCEEDED's NTLMUsed.
	NTLMUsed bool
}

// AuthOutcome is how Windows authentication ended.
type AuthOutcome int

// Authentication outcomes.
const (
	AuthNone AuthOutcome = iota
	AuthSucceeded
	AuthContinue
	AuthFailed
)

// ModuleError is MODULE_SET_RESPONSE_ERROR_STATUS and, optionally,
// SET_RESPONSE_ERROR_DESCRIPTION.
type ModuleError struct {
	Module       string
	Notification string // e.g. AuthenticateRequest; default ExecuteRequestHandler
	// Status defaults to the scenario's.
	Status     Status
	Reason     string // HttpReason; default from the status code
	Code       uint32 // ErrorCode as an HRESULT
	ConfigInfo string // ConfigExceptionInfo
	// Description is SET_RESPONSE_ERROR_DESCRIPTION; empty leaves it out.
	Description string
}

// ARR describes Application Request Routing forwarding the request.
type ARR struct {
	Farm    string // server farm; empty means a rewrite to a URL (ARR_WEBFARM_NOT_ROUTED)
	Server  string // backend chosen (Host header ARR sends)
	LogID   string // X-ARR-LOG-ID; empty derives one from Seed
	SSL     string // X-ARR-SSL value; empty when the client used http
	Rewrite string // the URL Rewrite rule name that routed the request
	// Code is the WinHTTP error the backend call ended with; 0 for a
	// backend that answered.
	Code uint32
	// NoServer is 502.4: no healthy farm member.
	NoServer bool
	// BackendStatus is what the backend answered (when Code is 0).
	BackendStatus Status
}

// Handler is what HANDLER_CHANGED says.
type Handler struct {
	Name, Modules, Type, ScriptProcessor string
}

// Slow is a module that took Duration in one notification.
type Slow struct {
	Module       string
	Notification string
	Duration     time.Duration
}

// Truncation cuts the trace like IIS or a careless copy does.
type Truncation struct {
	// Head drops the first Head events (trace head lost).
	Head int
	// Tail keeps only the first Tail events and ends with
	// LOG_FILE_MAX_SIZE_TRUNCATE (maxLogFileSizeKB reached).
	Tail int
}
