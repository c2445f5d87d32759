package gen

import (
	"fmt"
	"strconv"
)

// Notification values as IIS writes them in the Notification field.
const (
	BeginRequest          = "BEGIN_REQUEST"
	AuthenticateRequest   = "AUTHENTICATE_REQUEST"
	AuthorizeRequest      = "AUTHORIZE_REQUEST"
	ResolveRequestCache   = "RESOLVE_REQUEST_CACHE"
	MapRequestHandler     = "MAP_REQUEST_HANDLER"
	RequestAcquireState   = "REQUEST_ACQUIRE_STATE"
	ExecuteRequestHandler = "EXECUTE_REQUEST_HANDLER"
	ReleaseRequestState   = "RELEASE_REQUEST_STATE"
	UpdateRequestCache    = "UPDATE_REQUEST_CACHE"
	LogRequest            = "LOG_REQUEST"
	EndRequest            = "END_REQUEST"
	SendResponse          = "SEND_RESPONSE"
	MapPath               = "MAP_PATH"
)

var notificationValue = map[string]uint32{
	BeginRequest: 1, AuthenticateRequest: 2, AuthorizeRequest: 4, ResolveRequestCache: 8,
	MapRequestHandler: 16, RequestAcquireState: 32, "PRE_EXECUTE_REQUEST_HANDLER": 64,
	ExecuteRequestHandler: 128, ReleaseRequestState: 256, UpdateRequestCache: 512,
	LogRequest: 1024, EndRequest: 2048, SendResponse: 536870912, MapPath: 2147483648,
}

var notificationName = invert(notificationValue)

func invert(m map[string]uint32) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strconv.FormatUint(uint64(v), 10)] = k
	}
	return out
}

// describers render a numeric Data field as IIS does in
// <freb:Description Data="...">. A field is described only in the events
// listed; the same name means different things elsewhere (USER_SET's
// AuthType is already text).
var describers = map[string]map[string]func(string) (string, bool){
	"*": {
		"Notification":       lookupIn(notificationName),
		"NotificationStatus": lookupIn(map[string]string{"0": "NOTIFICATION_CONTINUE", "2": "NOTIFICATION_FINISH_REQUEST", "134217730": "SF_STATUS_REQ_NEXT_NOTIFICATION"}),
		"ErrorCode":          errorCodeText,
		"CachePolicy":        lookupIn(map[string]string{"0": "NO_CACHE", "1": "USER_INVALIDATES"}),
		"Scope":              lookupIn(map[string]string{"0": "Global", "1": "Distributed"}),
		"Type":               lookupIn(map[string]string{"0": "Inbound", "1": "Outbound"}),
		"PatternSyntax":      lookupIn(map[string]string{"0": "Regex", "1": "Wildcard"}),
	},
	"AUTH_START":             {"AuthTypeSupported": lookupIn(authTypeNames)},
	"AUTH_REQUEST_AUTH_TYPE": {"RequestAuthType": lookupIn(authTypeNames)},
	"AUTH_SUCCEEDED": {
		"AuthType":                lookupIn(authTypeNames),
		"TokenImpersonationLevel": lookupIn(map[string]string{"2": "ImpersonationImpersonate", "3": "ImpersonationDelegate"}),
	},
	"HTTPSYS_CACHEABLE": {"Reason": lookupIn(map[string]string{
		"0": "OK", "8": "CHILD_REQUEST", "9": "HANDLER_HTTPSYS_UNFRIENDLY", "11": "NON_ANONYMOUS_ACCESS",
		"16": "STATIC_REQUEST_QUERYSTRING", "17": "RESPONSE_MORE_DATA", "21": "NO_PIPELINE_ENABLE",
		"22": "VERB_NOT_GET", "23": "NO_CACHE_INVALIDATOR", "24": "HANDLER_CHANGED", "25": "REQUEST_FILTER_RULE",
	})},
	"GENERAL_NOT_SEND_CUSTOM_ERROR": {"Reason": lookupIn(map[string]string{"1": "SETSTATUS_SUCCESS", "2": "SETSTATUS_TRYSKIP", "4": "EXISTINGRESPONSE_AUTO"})},
	"DYNAMIC_COMPRESSION_NOT_SUCCESS": {"Reason": lookupIn(map[string]string{
		"1": "NO_ACCEPT_ENCODING", "2": "COMPRESSION_DISABLED", "9": "NOT_SUCCESS_STATUS", "12": "NO_MATCHING_CONTENT_TYPE",
	})},
	"STATIC_COMPRESSION_NOT_SUCCESS": {"Reason": lookupIn(map[string]string{"6": "UNKNOWN_ERROR", "14": "NOT_FREQUENTLY_HIT"})},
	"OUTPUT_CACHE_LOOKUP_END":        {"Result": lookupIn(map[string]string{"0": "NOT_FOUND"})},
	"OUTPUT_CACHE_UPDATE_END": {"Result": lookupIn(map[string]string{
		"2": "NOT_FREQUENTLY_HIT", "3": "HEADERS_FLUSHED", "6": "STATUS_NOT_OK", "7": "CACHING_DISABLED",
	})},
}

// Authentication type bits (AuthTypeSupported, RequestAuthType, AuthType).
const (
	authAnonymous  = 1
	authBasic      = 2
	authNT         = 4
	authDigest     = 16
	authMapCliCert = 128
)

var authTypeNames = map[string]string{"1": "Anonymous", "2": "Basic", "4": "NT", "16": "Digest", "128": "MapCliCert"}

func lookupIn(m map[string]string) func(string) (string, bool) {
	return func(v string) (string, bool) {
		s, ok := m[v]
		return s, ok
	}
}

// describe returns the freb:Description renderings for an event's fields,
// in field order.
func describe(name string, data []field) []field {
	var out []field
	for _, f := range data {
		fn := describers[name][f.name]
		if fn == nil {
			fn = describers["*"][f.name]
		}
		if fn == nil {
			continue
		}
		if text, ok := fn(f.value); ok {
			out = append(out, field{f.name, text})
		}
	}
	return out
}

// errorCodeText renders an HRESULT the way IIS 10 does: the system message
// (which ends in CR LF) with its LF cut, then " (0x…)" in lower-case hex
// without padding. Codes without a system message (WinHTTP's 0x80072EE2
// and friends) get no description at all, as in real ARR traces.
func errorCodeText(v string) (string, bool) {
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return "", false
	}
	msg, ok := systemMessages[uint32(n)]
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s\r (0x%x)", msg, n), true
}

// Error codes frebscan's rules look for.
const (
	CodeOK                    uint32 = 0
	CodeFileNotFound          uint32 = 0x80070002
	CodePathNotFound          uint32 = 0x80070003
	CodeAccessDenied          uint32 = 0x80070005
	CodeInvalidData           uint32 = 0x8007000D
	CodeLockViolation         uint32 = 0x80070021
	CodeNetnameDeleted        uint32 = 0x80070040
	CodeAlreadyExists         uint32 = 0x800700B7
	CodeOperationAborted      uint32 = 0x800703E3
	CodeConnectionInvalid     uint32 = 0x800704CD
	CodeLogonFailure          uint32 = 0x8007052E
	CodeContinueNeeded        uint32 = 0x00090312
	CodeInvalidToken          uint32 = 0x80090308
	CodeLogonDenied           uint32 = 0x8009030C
	CodeNoCredentials         uint32 = 0x8009030E
	CodeWrongPrincipal        uint32 = 0x80090322
	CodeBadBindings           uint32 = 0x80090346
	CodeWinHTTPTimeout        uint32 = 0x80072EE2
	CodeWinHTTPCannotConnect  uint32 = 0x80072EFD
	CodeWinHTTPConnReset      uint32 = 0x80072EFE
	CodeWinHTTPInvalidServer  uint32 = 0x80072F78
	CodeWinHTTPSecureFailure  uint32 = 0x80072F8F
	CodeRequestNotSupported   uint32 = 0x80070032
	CodeUnspecified           uint32 = 0x80004005
	CodeInsufficientResources uint32 = 0x800705AA
)

// systemMessages are FormatMessage texts (en-US) without their CR LF.
var systemMessages = map[uint32]string{
	CodeOK:                    "The operation completed successfully.",
	CodeFileNotFound:          "The system cannot find the file specified.",
	CodePathNotFound:          "The system cannot find the path specified.",
	CodeAccessDenied:          "Access is denied.",
	CodeInvalidData:           "The data is invalid.",
	CodeLockViolation:         "The process cannot access the file because another process has locked a portion of the file.",
	CodeNetnameDeleted:        "The specified network name is no longer available.",
	CodeAlreadyExists:         "Cannot create a file when that file already exists.",
	CodeOperationAborted:      "The I/O operation has been aborted because of either a thread exit or an application request.",
	CodeConnectionInvalid:     "An operation was attempted on a nonexistent network connection.",
	CodeLogonFailure:          "The user name or password is incorrect.",
	CodeContinueNeeded:        "The function completed successfully, but must be called again to complete the context",
	CodeInvalidToken:          "The token supplied to the function is invalid",
	CodeLogonDenied:           "The logon attempt failed",
	CodeNoCredentials:         "No credentials are available in the security package",
	CodeWrongPrincipal:        "The target principal name is incorrect.",
	CodeBadBindings:           "Client's supplied SSPI channel bindings were incorrect.",
	CodeRequestNotSupported:   "The request is not supported.",
	CodeUnspecified:           "Unspecified error",
	CodeInsufficientResources: "Insufficient system resources exist to complete the requested service.",
}

// winHTTPMessages are what ARR writes in SET_RESPONSE_ERROR_DESCRIPTION
// for the WinHTTP error it got from the backend.
var winHTTPMessages = map[uint32]string{
	CodeWinHTTPTimeout:       "The operation timed out",
	CodeWinHTTPCannotConnect: "A connection with the server could not be established",
	CodeWinHTTPConnReset:     "The connection with the server was terminated abnormally",
	CodeWinHTTPInvalidServer: "The server returned an invalid or unrecognized response",
	CodeWinHTTPSecureFailure: "A security error occurred",
}
