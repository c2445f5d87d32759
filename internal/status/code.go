package status

import (
	"fmt"
	"strconv"
	"strings"
)

// CodeInfo explains one error code as IIS writes it in FREB ErrorCode
// fields (an HRESULT, e.g. 2147942402 = 0x80070002) or in the
// sc-win32-status log field (a Win32 code, e.g. 12002).
type CodeInfo struct {
	Value uint32 `json:"value"`
	// Hex is Value as eight hex digits, "0x80070002".
	Hex string `json:"hex"`
	// Name is the symbolic name ("ERROR_FILE_NOT_FOUND"); empty when the
	// code is not in the tables.
	Name string `json:"name,omitempty"`
	// Text is the system message, or for unknown codes a generic
	// breakdown into facility and code.
	Text string `json:"text"`
	// Facility is the HRESULT facility ("WIN32", "SECURITY", …), "NTSTATUS"
	// for NTSTATUS values, and "WIN32" for bare Win32 codes.
	Facility string `json:"facility"`
	// Win32 is the Win32 error inside an HRESULT_FROM_WIN32 code, or the
	// value itself when it is a bare Win32 code.
	Win32 uint32 `json:"win32,omitempty"`
	// Known reports whether Name and Text come from the tables.
	Known bool `json:"known"`
}

// facilities names HRESULT facilities (winerror.h).
var facilities = map[uint32]string{
	0: "NULL", 1: "RPC", 2: "DISPATCH", 3: "STORAGE", 4: "ITF", 7: "WIN32",
	8: "WINDOWS", 9: "SECURITY", 10: "CONTROL", 11: "CERT", 12: "INTERNET",
	13: "MEDIASERVER", 14: "MSMQ", 15: "SETUPAPI", 16: "SCARD", 17: "COMPLUS",
	19: "URT", 25: "HTTP",
}

// Code explains an error code. It accepts HRESULTs, NTSTATUS values and
// bare Win32 codes (anything up to 0xFFFF is read as Win32, which is how
// the IIS log and HTTPERR show them).
func Code(v uint32) CodeInfo {
	c := CodeInfo{Value: v, Hex: fmt.Sprintf("0x%08x", v)}
	switch {
	case v <= 0xffff:
		c.Facility, c.Win32 = "WIN32", v
		c.fill(win32Codes[v], v != 0)
		if v == 0 {
			c.fill(hresults[0], false)
		}
	case v&0xc0000000 == 0xc0000000:
		c.Facility = "NTSTATUS"
		c.fill(ntstatus[v], true)
	case v>>16&0x1fff == 7 && v&0x80000000 != 0:
		c.Facility, c.Win32 = "WIN32", v&0xffff
		c.fill(win32Codes[v&0xffff], true)
	default:
		c.Facility = facilities[v>>16&0x1fff]
		if c.Facility == "" {
			c.Facility = "facility " + strconv.Itoa(int(v>>16&0x1fff))
		}
		c.fill(hresults[v], true)
	}
	return c
}

func (c *CodeInfo) fill(e entry, generic bool) {
	if e.name != "" {
		c.Name, c.Text, c.Known = e.name, e.text, true
		return
	}
	if !generic {
		return
	}
	severity := "success"
	if c.Value&0x80000000 != 0 {
		severity = "failure"
	}
	switch c.Facility {
	case "NTSTATUS":
		c.Text = "unknown NTSTATUS " + c.Hex
	case "WIN32":
		c.Text = fmt.Sprintf("unknown Win32 error %d", c.Win32)
	default:
		c.Text = fmt.Sprintf("unknown %s code, facility %s, code %d (0x%04x)", severity, c.Facility, c.Value&0xffff, c.Value&0xffff)
	}
}

// String is "ERROR_FILE_NOT_FOUND (0x80070002): The system cannot find
// the file specified."
func (c CodeInfo) String() string {
	if c.Name == "" {
		return c.Hex + ": " + c.Text
	}
	return c.Name + " (" + c.Hex + "): " + c.Text
}

// ParseCode reads an error code as FREB and logs write it: unsigned
// decimal ("2147942402"), signed decimal ("-2147024894", as .NET shows
// HRESULTs) or hex with a 0x prefix ("0x80070002").
func ParseCode(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		v, err := strconv.ParseUint(h, 16, 32)
		return uint32(v), err == nil
	}
	if strings.HasPrefix(s, "-") {
		v, err := strconv.ParseInt(s, 10, 32)
		return uint32(int32(v)), err == nil
	}
	v, err := strconv.ParseUint(s, 10, 32)
	return uint32(v), err == nil
}

// entry is one row of the code tables.
type entry struct{ name, text string }
