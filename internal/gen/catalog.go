package gen

// Provider GUIDs as IIS writes them in <Provider Guid="...">.
const (
	providerWWW    = "WWW Server"
	guidWWW        = "{3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83}"
	providerASPNET = "ASPNET"
	guidASPNET     = "{AFF081FE-0247-4275-9C4E-021F3DC1DA35}"
)

// Event GUIDs (ExtendedTracingInfo/EventGuid): one per trace area.
const (
	evGeneral  = "{D42CF7EF-DE92-473E-8B6C-621EA663113A}"
	evNotify   = "{002E91E3-E7AE-44AB-8E07-99230FFA6ADE}"
	evFilter   = "{00237F0D-73EB-4BCF-A232-126693595847}"
	evAuth     = "{C33BBE8F-985B-4080-81E6-005F1A06B9E2}"
	evCache    = "{AC1D69F1-BF33-4CA0-9313-BCA13873E1DC}"
	evCompress = "{E60CEE96-4472-448D-A13C-2170B18220EC}"
	evRewrite  = "{0469ABFA-1BB2-466A-B645-E3E15A02F38B}"
	evARR      = "{53AE50FA-81DF-47B1-8161-71F0A1C55A48}"
	evModule   = "{D79A948E-95F1-417B-A731-B7A79DEC7AE5}"
	evASPNET   = "{06A01367-79D3-4594-8EB3-C721603C4679}"
	evNone     = "{00000000-0000-0000-0000-000000000000}"
)

// class is what IIS writes in <System> and <RenderingInfo> for one kind of
// event. The numeric opcode is only unique together with the event GUID,
// so both are kept per event name.
type class struct {
	provider string
	version  int
	level    int
	opcode   int
	keywords uint32
	guid     string
	// aspnet events name their fields "ConnID" and "Context ID" instead of
	// "ContextId".
	aspnet bool
	// bare events have no ContextId at all (LOG_FILE_MAX_SIZE_TRUNCATE).
	bare bool
}

func www(level, opcode int, keywords uint32, guid string) class {
	return class{provider: providerWWW, version: 1, level: level, opcode: opcode, keywords: keywords, guid: guid}
}

func aspnet(level, opcode int, keywords uint32) class {
	return class{provider: providerASPNET, version: 0, level: level, opcode: opcode, keywords: keywords, guid: evASPNET, aspnet: true}
}

// classes was taken from the 87 real traces in the shared corpus; the
// values are the ones IIS 10 writes. ARR_SERVER_ROUTED is the one event
// not seen there: its opcode is an assumption (documented in Microsoft's
// ARR troubleshooting article without the number).
var classes = map[string]class{
	"GENERAL_REQUEST_START": www(0, 1, 0, evGeneral),
	"GENERAL_REQUEST_END":   www(0, 2, 0, evGeneral),
	// Child requests (default document, server-side include, a module's
	// ExecuteRequest) are not in the corpus: the field names are the ones
	// Microsoft's FREB walkthroughs show, the opcodes an assumption.
	"GENERAL_CHILD_REQUEST_START":        www(0, 3, 0, evGeneral),
	"GENERAL_CHILD_REQUEST_END":          www(0, 4, 0, evGeneral),
	"GENERAL_STATIC_FILE_HANDLER":        www(0, 10, 0, evGeneral),
	"GENERAL_ISAPI_HANDLER":              www(0, 12, 0, evGeneral),
	"GENERAL_GET_URL_METADATA":           www(4, 30, 0, evGeneral),
	"GENERAL_SEND_CUSTOM_ERROR":          www(0, 33, 0, evGeneral),
	"GENERAL_FLUSH_RESPONSE_START":       www(4, 35, 0, evGeneral),
	"GENERAL_FLUSH_RESPONSE_END":         www(4, 36, 0, evGeneral),
	"GENERAL_READ_ENTITY_START":          www(4, 37, 0, evGeneral),
	"GENERAL_READ_ENTITY_END":            www(4, 38, 0, evGeneral),
	"URL_CHANGED":                        www(4, 42, 0, evGeneral),
	"HANDLER_CHANGED":                    www(4, 43, 0, evGeneral),
	"USER_SET":                           www(4, 44, 0, evGeneral),
	"MODULE_PRECONDITION_NOT_MATCH":      www(4, 45, 0, evGeneral),
	"HANDLER_PRECONDITION_NOT_MATCH":     www(4, 46, 0, evGeneral),
	"GENERAL_RESPONSE_HEADERS":           www(4, 47, 0, evGeneral),
	"GENERAL_RESPONSE_ENTITY_BUFFER":     www(5, 49, 0, evGeneral),
	"GENERAL_REQUEST_HEADERS":            www(4, 50, 0, evGeneral),
	"GENERAL_REQUEST_ENTITY":             www(5, 51, 0, evGeneral),
	"GENERAL_NOT_SEND_CUSTOM_ERROR":      www(5, 52, 0, evGeneral),
	"GENERAL_SET_REQUEST_HEADER":         www(5, 53, 0, evGeneral),
	"GENERAL_ENDPOINT_INFORMATION":       www(4, 55, 0, evGeneral),
	"GENERAL_SET_RESPONSE_HEADER":        www(4, 56, 0, evGeneral),
	"NOTIFY_MODULE_START":                www(5, 1, 0x100, evNotify),
	"NOTIFY_MODULE_END":                  www(5, 2, 0x100, evNotify),
	"NOTIFY_MODULE_COMPLETION":           www(5, 3, 0x100, evNotify),
	"PRE_BEGIN_REQUEST_START":            www(5, 4, 0x100, evNotify),
	"PRE_BEGIN_REQUEST_END":              www(5, 5, 0x100, evNotify),
	"MODULE_SET_RESPONSE_ERROR_STATUS":   www(3, 16, 0x100, evNotify),
	"MODULE_SET_RESPONSE_SUCCESS_STATUS": www(4, 17, 0x100, evNotify),
	"SET_RESPONSE_ERROR_DESCRIPTION":     www(3, 18, 0x100, evNotify),
	"FILTER_START":                       www(0, 1, 0x8, evFilter),
	"FILTER_END":                         www(0, 2, 0x8, evFilter),
	"FILTER_PREPROC_HEADERS_START":       www(4, 13, 0x8, evFilter),
	"FILTER_PREPROC_HEADERS_END":         www(4, 14, 0x8, evFilter),
	"FILTER_AUTH_COMPLETE_START":         www(4, 19, 0x8, evFilter),
	"FILTER_AUTH_COMPLETE_END":           www(4, 20, 0x8, evFilter),
	"FILTER_SET_REQ_HEADER":              www(4, 31, 0x8, evFilter),
	"AUTH_START":                         www(4, 10, 0x2, evAuth),
	"AUTH_SUCCEEDED":                     www(4, 11, 0x2, evAuth),
	"AUTH_REQUEST_AUTH_TYPE":             www(4, 27, 0x2, evAuth),
	"AUTH_END":                           www(4, 28, 0x2, evAuth),
	"FILE_CACHE_ACCESS_START":            www(4, 10, 0x80, evCache),
	"FILE_CACHE_ACCESS_END":              www(4, 11, 0x80, evCache),
	"URL_CACHE_ACCESS_START":             www(4, 12, 0x80, evCache),
	"URL_CACHE_ACCESS_END":               www(4, 13, 0x80, evCache),
	"HTTPSYS_CACHEABLE":                  www(4, 14, 0x80, evCache),
	"OUTPUT_CACHE_LOOKUP_START":          www(4, 15, 0x80, evCache),
	"OUTPUT_CACHE_LOOKUP_END":            www(4, 16, 0x80, evCache),
	"OUTPUT_CACHE_UPDATE_START":          www(4, 17, 0x80, evCache),
	"OUTPUT_CACHE_UPDATE_END":            www(4, 18, 0x80, evCache),
	"OUTPUT_CACHE_DISABLED":              www(4, 19, 0x80, evCache),
	"FILE_CACHE_CREATE_FILE":             www(4, 20, 0x80, evCache),
	"STATIC_COMPRESSION_START":           www(4, 1, 0x40, evCompress),
	"STATIC_COMPRESSION_NOT_SUCCESS":     www(4, 3, 0x40, evCompress),
	"DYNAMIC_COMPRESSION_START":          www(4, 6, 0x40, evCompress),
	"DYNAMIC_COMPRESSION_NOT_SUCCESS":    www(4, 8, 0x40, evCompress),
	"DYNAMIC_COMPRESSION_END":            www(4, 10, 0x40, evCompress),
	"STATIC_COMPRESSION_END":             www(4, 11, 0x40, evCompress),
	"URL_REWRITE_START":                  www(4, 1, 0x400, evRewrite),
	"URL_REWRITE_END":                    www(4, 2, 0x400, evRewrite),
	"RULE_EVALUATION_START":              www(5, 3, 0x400, evRewrite),
	"RULE_EVALUATION_END":                www(5, 4, 0x400, evRewrite),
	"PATTERN_MATCH":                      www(5, 10, 0x400, evRewrite),
	"REWRITE_ACTION":                     www(5, 12, 0x400, evRewrite),
	"ARR_SERVER_ROUTED":                  www(4, 1, 0x800, evARR),
	"ARR_REQUEST_HEADERS_START":          www(4, 3, 0x800, evARR),
	"ARR_REQUEST_HEADERS_END":            www(4, 4, 0x800, evARR),
	"ARR_RESPONSE_HEADERS_START":         www(4, 7, 0x800, evARR),
	"ARR_RESPONSE_HEADERS_END":           www(4, 8, 0x800, evARR),
	"ARR_RESPONSE_ENTITY_START":          www(5, 9, 0x800, evARR),
	"ARR_RESPONSE_ENTITY_END":            www(5, 10, 0x800, evARR),
	"ARR_WEBFARM_NOT_ROUTED":             www(4, 11, 0x800, evARR),
	"MODULE_WARNING":                     www(3, 5, 0x200, evModule),
	"LOG_FILE_MAX_SIZE_TRUNCATE":         {provider: providerWWW, version: 0, level: 3, opcode: 0, guid: evNone, bare: true},
	"AspNetStart":                        aspnet(0, 1, 0xf),
	"AspNetAppDomainEnter":               aspnet(5, 7, 0x1),
	"AspNetStartHandler":                 aspnet(5, 8, 0x1),
	"AspNetEndHandler":                   aspnet(5, 9, 0x1),
	"AspNetPipelineEnter":                aspnet(5, 10, 0x2),
	"AspNetPipelineLeave":                aspnet(5, 11, 0x2),
	"AspNetMapHandlerEnter":              aspnet(5, 12, 0x1),
	"AspNetMapHandlerLeave":              aspnet(5, 13, 0x1),
	"AspNetHttpHandlerEnter":             aspnet(4, 18, 0x4),
	"AspNetHttpHandlerLeave":             aspnet(4, 19, 0x4),
	"AspNetSessionDataBegin":             aspnet(4, 42, 0x8),
	"AspNetSessionDataEnd":               aspnet(4, 43, 0x8),
	"AspNetCompileEnter":                 aspnet(5, 16, 0x1),
	"AspNetCompileLeave":                 aspnet(5, 17, 0x1),
	"AspNetWebEventRaiseStart":           aspnet(5, 50, 0x1),
	"ABORT_REQUEST_ACTION":               www(3, 15, 0x400, evRewrite),
}

// keywordName is the RenderingInfo <Keyword> for a provider's keyword
// mask; "" means IIS leaves <Keywords> out (0x0, or 0xf on ASPNET).
func keywordName(provider string, kw uint32) string {
	if provider == providerASPNET {
		return map[uint32]string{0x1: "Infrastructure", 0x2: "Module", 0x4: "Page", 0x8: "AppServices"}[kw]
	}
	return map[uint32]string{
		0x2: "Authentication", 0x8: "Filter", 0x40: "Compression", 0x80: "Cache",
		0x100: "RequestNotifications", 0x200: "Module", 0x400: "Rewrite",
		0x800: "RequestRouting", 0x1000: "FastCGI", 0x10000: "ANCM",
	}[kw]
}
