// Package status explains IIS status codes (status.substatus as FREB and
// the IIS log write them) and the error codes modules attach to them
// (HRESULTs, Win32, WinHTTP, SSPI and NTSTATUS codes), so a report can say
// "401.1 logon failed: SEC_E_LOGON_DENIED" instead of two numbers.
package status

import (
	"net/http"
	"strconv"
)

// Info is what is known about one status.substatus.
type Info struct {
	Code int `json:"code"`
	Sub  int `json:"sub"`
	// Reason is the HTTP reason phrase ("Unauthorized").
	Reason string `json:"reason"`
	// Text is the IIS meaning of the substatus; empty when the substatus
	// is not documented.
	Text string `json:"text,omitempty"`
}

// Lookup returns what is known about code.sub; ok is false when neither
// the code nor the substatus is known.
func Lookup(code, sub int) (Info, bool) {
	in := Info{Code: code, Sub: sub, Reason: http.StatusText(code)}
	if subs, ok := substatus[code]; ok {
		in.Text = subs[sub]
	}
	return in, in.Reason != "" || in.Text != ""
}

// Describe explains code.sub in one phrase, e.g. Describe(401, 1) is
// "Logon failed: the user name or password is wrong". Undocumented
// substatus codes fall back to the reason phrase and say so.
func Describe(code, sub int) string {
	in, _ := Lookup(code, sub)
	switch {
	case in.Text != "":
		return in.Text
	case in.Reason != "" && sub == 0:
		return in.Reason
	case in.Reason != "":
		return in.Reason + " (substatus " + strconv.Itoa(sub) + " is not documented)"
	default:
		return "HTTP status " + strconv.Itoa(code)
	}
}
