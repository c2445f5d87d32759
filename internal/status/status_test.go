package status

import (
	"strconv"
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		code, sub int
		want      string
	}{
		{401, 1, "Logon failed: the user name or password is wrong"},
		{401, 2, "Logon failed due to server configuration: no authentication method in common, or the first leg of a Negotiate/NTLM handshake"},
		{400, 10, "Invalid X-Forwarded-For header (IIS 8 and later)"},
		{400, 605, "ARR: maximum number of forwards reached (a proxy loop)"},
		{401, 503, "IP address restriction: the client IP is denied"},
		{403, 4, "SSL required"},
		{404, 13, "Request filtering: Content-Length too large (maxAllowedContentLength, 30,000,000 bytes by default)"},
		{404, 0, "Not found"},
		{500, 19, "Configuration data is invalid"},
		{500, 52, "URL Rewrite error during RQ_SEND_RESPONSE: outbound rule execution error"},
		{502, 3, "Bad gateway: forwarder connection error (ARR: WinHTTP error talking to the backend)"},
		{503, 2, "Concurrent request limit exceeded (appConcurrentRequestLimit)"},
		{200, 0, "OK"},
		{401, 0, "Unauthorized"},
		{401, 77, "Unauthorized (substatus 77 is not documented)"},
		{799, 0, "HTTP status 799"},
		{-1, -5, "HTTP status -1"},
	}
	for _, tt := range tests {
		if got := Describe(tt.code, tt.sub); got != tt.want {
			t.Errorf("Describe(%d, %d) = %q, want %q", tt.code, tt.sub, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	in, ok := Lookup(502, 4)
	if !ok || in.Reason != "Bad Gateway" || !strings.Contains(in.Text, "no server") {
		t.Errorf("Lookup(502, 4) = %+v, %v", in, ok)
	}
	if _, ok := Lookup(799, 1); ok {
		t.Error("Lookup(799, 1) reported known")
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		v        uint32
		hex      string
		name     string
		facility string
		win32    uint32
		text     string
	}{
		{0x80070002, "0x80070002", "ERROR_FILE_NOT_FOUND", "WIN32", 2, "The system cannot find the file specified."},
		{2147942405, "0x80070005", "ERROR_ACCESS_DENIED", "WIN32", 5, "Access is denied."},
		{0x800704cd, "0x800704cd", "ERROR_CONNECTION_INVALID", "WIN32", 1229, "An operation was attempted on a nonexistent network connection."},
		{0x80072ee2, "0x80072ee2", "ERROR_WINHTTP_TIMEOUT", "WIN32", 12002, ""},
		{12002, "0x00002ee2", "ERROR_WINHTTP_TIMEOUT", "WIN32", 12002, ""},
		{0x80072efd, "0x80072efd", "ERROR_WINHTTP_CANNOT_CONNECT", "WIN32", 12029, ""},
		{0x80072efe, "0x80072efe", "ERROR_WINHTTP_CONNECTION_ERROR", "WIN32", 12030, ""},
		{0x80072f78, "0x80072f78", "ERROR_WINHTTP_INVALID_SERVER_RESPONSE", "WIN32", 12152, ""},
		{0x80072f8f, "0x80072f8f", "ERROR_WINHTTP_SECURE_FAILURE", "WIN32", 12175, ""},
		{0x80072ee7, "0x80072ee7", "ERROR_WINHTTP_NAME_NOT_RESOLVED", "WIN32", 12007, ""},
		{2148074254, "0x8009030e", "SEC_E_NO_CREDENTIALS", "SECURITY", 0, ""},
		{0x80090346, "0x80090346", "SEC_E_BAD_BINDINGS", "SECURITY", 0, ""},
		{0x00090312, "0x00090312", "SEC_I_CONTINUE_NEEDED", "SECURITY", 0, ""},
		{0, "0x00000000", "S_OK", "WIN32", 0, "The operation completed successfully."},
		{64, "0x00000040", "ERROR_NETNAME_DELETED", "WIN32", 64, ""},
		{0xc000006d, "0xc000006d", "STATUS_LOGON_FAILURE", "NTSTATUS", 0, ""},
		{0x80070bad, "0x80070bad", "", "WIN32", 0xbad, "unknown Win32 error 2989"},
		{0x8009ffff, "0x8009ffff", "", "SECURITY", 0, "unknown failure code, facility SECURITY, code 65535 (0xffff)"},
		{0x87ff0001, "0x87ff0001", "", "facility 2047", 0, "unknown failure code, facility facility 2047, code 1 (0x0001)"},
		{0xc0001234, "0xc0001234", "", "NTSTATUS", 0, "unknown NTSTATUS 0xc0001234"},
		{4711, "0x00001267", "", "WIN32", 4711, "unknown Win32 error 4711"},
	}
	for _, tt := range tests {
		c := Code(tt.v)
		if c.Hex != tt.hex || c.Name != tt.name || c.Facility != tt.facility || c.Win32 != tt.win32 || c.Known != (tt.name != "") {
			t.Errorf("Code(%#x) = %+v", tt.v, c)
		}
		if tt.text != "" && c.Text != tt.text {
			t.Errorf("Code(%#x).Text = %q, want %q", tt.v, c.Text, tt.text)
		}
		if c.Text == "" {
			t.Errorf("Code(%#x) has no text", tt.v)
		}
	}
	want := "ERROR_FILE_NOT_FOUND (0x80070002): The system cannot find the file specified."
	if got := Code(0x80070002).String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestCatalogueCodes makes sure every code the failure catalogue names
// decodes to a known entry.
func TestCatalogueCodes(t *testing.T) {
	for _, v := range []uint32{
		0x80070002, 0x80070003, 0x80070005, 0x8007000d, 0x80070020, 0x80070021, 0x80070040,
		0x8007006d, 0x800700b7, 0x8007007e, 0x800700c1, 0x8007010b, 0x8007052e, 0x800704cd, 0x800703e3,
		0x80090302, 0x80090303, 0x80090305, 0x80090308, 0x8009030c, 0x8009030e, 0x80090311,
		0x80090317, 0x80090322, 0x80090324, 0x80090346,
		0x80072ee2, 0x80072efd, 0x80072efe, 0x80072f78, 0x80072f8f, 0x80072ee7,
		12002, 12029, 12030, 12152, 12175, 12007, 64, 1229,
	} {
		if !Code(v).Known {
			t.Errorf("Code(%#x) unknown", v)
		}
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"2147942402", 0x80070002, true},
		{"0x80070002", 0x80070002, true},
		{"0X8007000D", 0x8007000d, true},
		{"-2147024894", 0x80070002, true},
		{" 12002 ", 12002, true},
		{"0", 0, true},
		{"", 0, false},
		{"0x", 0, false},
		{"0x1ffffffff", 0, false},
		{"99999999999", 0, false},
		{"abc", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseCode(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseCode(%q) = %#x, %v; want %#x, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzStatus(f *testing.F) {
	f.Add(401, 2, uint32(0x8009030e), "2147942402")
	f.Add(502, 3, uint32(12002), "0x80072ee2")
	f.Add(-1, 1<<30, uint32(0xffffffff), "-1")
	f.Fuzz(func(t *testing.T, code, sub int, v uint32, s string) {
		if Describe(code, sub) == "" {
			t.Fatal("empty description")
		}
		c := Code(v)
		if c.Text == "" || c.Facility == "" || len(c.Hex) != 10 {
			t.Fatalf("Code(%#x) = %+v", v, c)
		}
		// The hex form a report prints reads back as the same code, as
		// does the signed form .NET prints.
		if back, ok := ParseCode(c.Hex); !ok || back != v {
			t.Fatalf("ParseCode(%q) = %#x, %v", c.Hex, back, ok)
		}
		if back, ok := ParseCode(strconv.Itoa(int(int32(v)))); !ok || back != v {
			t.Fatalf("signed %d reads back as %#x, %v", int32(v), back, ok)
		}
		if n, ok := ParseCode(s); ok {
			if str := Code(n).String(); !strings.HasPrefix(str, Code(n).Name) {
				t.Fatalf("String() = %q", str)
			}
		}
	})
}
