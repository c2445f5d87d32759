package report

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/redact"
)

// noisyEvents are the events a compact timeline leaves out: they make up
// most of every trace (module notifications, ASP.NET pipeline steps, cache
// probes) and rarely explain a failure on their own. Slow ones still show
// in the slowest-steps table.
var noisyEvents = map[string]bool{
	"NOTIFY_MODULE_START": true, "NOTIFY_MODULE_END": true, "NOTIFY_MODULE_COMPLETION": true,
	"PRE_BEGIN_REQUEST_START": true, "PRE_BEGIN_REQUEST_END": true,
	"FILTER_START": true, "FILTER_END": true, "FILTER_PREPROC_HEADERS_START": true, "FILTER_PREPROC_HEADERS_END": true,
	"FILTER_AUTH_COMPLETE_START": true, "FILTER_AUTH_COMPLETE_END": true,
	"HANDLER_PRECONDITION_NOT_MATCH": true, "MODULE_PRECONDITION_NOT_MATCH": true, "VIRTUAL_MODULE_UNRESOLVED": true,
	"URL_CACHE_ACCESS_START": true, "URL_CACHE_ACCESS_END": true, "FILE_CACHE_ACCESS_START": true, "FILE_CACHE_ACCESS_END": true,
	"OUTPUT_CACHE_LOOKUP_START": true, "OUTPUT_CACHE_LOOKUP_END": true, "OUTPUT_CACHE_UPDATE_START": true, "OUTPUT_CACHE_UPDATE_END": true,
	"OUTPUT_CACHE_DISABLED": true, "HTTPSYS_CACHEABLE": true, "GENERAL_GET_URL_METADATA": true,
	"AspNetPipelineEnter": true, "AspNetPipelineLeave": true, "ANCM_WINHTTP_CALLBACK": true,
	"GENERAL_FLUSH_RESPONSE_START": true, "GENERAL_READ_ENTITY_START": true,
	"STATIC_COMPRESSION_START": true, "STATIC_COMPRESSION_END": true, "DYNAMIC_COMPRESSION_START": true, "DYNAMIC_COMPRESSION_END": true,
}

// Notable reports whether an event belongs in a compact timeline.
func Notable(ev *freb.Event) bool {
	if ev.Level > 0 && ev.Level <= 3 {
		return true
	}
	if ev.Name == "GENERAL_FLUSH_RESPONSE_END" || ev.Name == "NOTIFY_MODULE_COMPLETION" {
		return errorCode(ev) != ""
	}
	return !noisyEvents[ev.Name]
}

// EventDetail summarises an event's data in one line for timelines.
func EventDetail(ev *freb.Event) string {
	switch ev.Name {
	case "GENERAL_REQUEST_START":
		return ev.Get("RequestVerb") + " " + ev.Get("RequestURL")
	case "GENERAL_ENDPOINT_INFORMATION":
		return fmt.Sprintf("client %s:%s -> %s:%s", ev.Get("RemoteAddress"), ev.Get("RemotePort"), ev.Get("LocalAddress"), ev.Get("LocalPort"))
	case "GENERAL_REQUEST_HEADERS", "GENERAL_RESPONSE_HEADERS":
		n := strings.Count(strings.TrimRight(ev.Get("Headers"), "\r\n"), "\n") + 1
		if strings.TrimSpace(ev.Get("Headers")) == "" {
			n = 0
		}
		return fmt.Sprintf("%d header(s)", n)
	case "GENERAL_SET_REQUEST_HEADER", "GENERAL_SET_RESPONSE_HEADER", "FILTER_SET_REQ_HEADER":
		s := headers.NormalizeName(ev.Get("HeaderName")) + ": " + ev.Get("HeaderValue")
		if strings.EqualFold(ev.Get("Replace"), "true") {
			s += " (replace)"
		}
		return s
	case "MODULE_SET_RESPONSE_ERROR_STATUS", "MODULE_SET_RESPONSE_SUCCESS_STATUS":
		s := fmt.Sprintf("%s set %s %s in %s", ev.Get("ModuleName"),
			freb.FormatStatus(atoi(ev.Get("HttpStatus")), atoi(ev.Get("HttpSubStatus"))), ev.Get("HttpReason"), ev.Description("Notification"))
		if c := errorCode(ev); c != "" {
			s += ", " + c
		}
		return s
	case "GENERAL_REQUEST_END":
		return fmt.Sprintf("%s, sent %s B, received %s B", freb.FormatStatus(atoi(ev.Get("HttpStatus")), atoi(ev.Get("HttpSubStatus"))), ev.Get("BytesSent"), ev.Get("BytesReceived"))
	case "GENERAL_REQUEST_ENTITY", "GENERAL_RESPONSE_ENTITY_BUFFER":
		b := ev.Get("Buffer")
		// A redacted request body is replaced by a placeholder that keeps
		// the real length; its own length would be wrong.
		if redact.IsBodyPlaceholder(b) {
			return b
		}
		return fmt.Sprintf("%d bytes of body", len(b))
	}
	var parts []string
	for _, f := range ev.Data {
		if f.Name == "ContextId" || f.Name == "Context ID" || f.Name == "ConnID" || f.Value == "" {
			continue
		}
		v := f.Value
		if d := descriptionOf(ev, f.Name); d != "" && d != v {
			v = d
		}
		parts = append(parts, f.Name+"="+oneLine(v, 80))
		if len(parts) == 4 {
			break
		}
	}
	return strings.Join(parts, " ")
}

func descriptionOf(ev *freb.Event, name string) string {
	for _, d := range ev.Descriptions {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}

// errorCode renders an event's ErrorCode when it is not success.
func errorCode(ev *freb.Event) string {
	raw := ev.Get("ErrorCode")
	if raw == "" || raw == "0" {
		return ""
	}
	if d := descriptionOf(ev, "ErrorCode"); d != "" {
		return oneLine(d, 120)
	}
	return "error " + raw
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if max > 0 && len(s) > max {
		cut := max - 1
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func atoi(s string) int {
	n := 0
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}
