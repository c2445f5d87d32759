package fingerprint

import (
	"regexp"
	"strings"
)

// Client kinds.
const (
	KindMailClient = "mail client"
	KindMobile     = "mobile"
	KindBrowser    = "browser"
	KindScript     = "script"
	KindTool       = "tool"
	KindProbe      = "probe"
	KindUnknown    = "unknown"
)

// ClientInfo is what a User-Agent says about the client program.
type ClientInfo struct {
	// Family is the program, e.g. "Apple Mail", "Outlook for Windows".
	Family string `json:"family"`
	// Kind groups families: mail client, mobile, browser, script, tool,
	// probe or unknown.
	Kind    string `json:"kind"`
	Version string `json:"version,omitempty"`
	// OS is e.g. "macOS 10.11.1", "Windows NT 10.0", "iOS 17.1".
	OS string `json:"os,omitempty"`
	// IgnoresPersistentAuthFalse marks clients known not to re-authenticate
	// after "Persistent-Auth: false" (Apple Mail's EWS stack), which turns
	// a proxy's Via header into 401/400 loops.
	IgnoresPersistentAuthFalse bool `json:"ignoresPersistentAuthFalse,omitempty"`
}

// clientRule recognises one family. The rules are tried in order, so
// specific products come before the generic stacks they are built on
// (PowerShell before browsers: its UA starts with "Mozilla/5.0").
type clientRule struct {
	family, kind string
	match        *regexp.Regexp // case-insensitive; group 1, if any, is the version
	ignoresPA    bool
}

var clientRules = []clientRule{
	{"Remote Connectivity Analyzer", KindTool, regexp.MustCompile(`(?i)ExRCA|Microsoft Connectivity Analyzer|TestConnectivity`), false},
	{"Exchange Managed Availability probe", KindProbe, regexp.MustCompile(`(?i)AMProbe`), false},
	{"Outlook for Mac", KindMailClient, regexp.MustCompile(`(?i)MacOutlook/([\d.]+)`), false},
	{"Outlook for Mac", KindMailClient, regexp.MustCompile(`(?i)Macintosh.*Microsoft Outlook ([\d.]+)`), false},
	{"Apple Mail", KindMailClient, regexp.MustCompile(`(?i)ExchangeWebServices/.*\bMail/([\d.]+)`), true},
	{"Apple Mail", KindMailClient, regexp.MustCompile(`(?i)\bMail/([\d.]+).*ExchangeWebServices/`), true},
	// Calendar and Contacts on macOS talk EWS through the same
	// ExchangeWebServices framework as Mail, so they share its handling
	// of Persistent-Auth (inferred from the shared stack, not observed).
	{"Apple Calendar", KindMailClient, regexp.MustCompile(`(?i)ExchangeWebServices/.*\b(?:CalendarAgent|iCal|Calendar)/([\d.]+)`), true},
	{"Apple Contacts", KindMailClient, regexp.MustCompile(`(?i)ExchangeWebServices/.*\b(?:AddressBookSourceSync|ContactsAgent|Contacts|AddressBook)/([\d.]+)`), true},
	{"Apple EWS client", KindMailClient, regexp.MustCompile(`(?i)(?:Mac[ _]OS[ _]X|macOS)/[\d.]+.*ExchangeWebServices/([\d.]+)`), true},
	{"Outlook for iOS", KindMobile, regexp.MustCompile(`(?i)Outlook-iOS/([\w.]+)`), false},
	{"Outlook for Android", KindMobile, regexp.MustCompile(`(?i)Outlook-Android/([\w.]+)`), false},
	{"Outlook for Windows", KindMailClient, regexp.MustCompile(`(?i)Microsoft Outlook ([\d.]+)`), false},
	{"Outlook for Windows", KindMailClient, regexp.MustCompile(`(?i)Microsoft Office Outlook(?: ([\d.]+))?`), false},
	{"Outlook for Windows", KindMailClient, regexp.MustCompile(`^MSRPC$`), false},
	{"iOS ActiveSync", KindMobile, regexp.MustCompile(`(?i)^Apple-(?:iPhone|iPad|iPod)[\w,]*/([\w.]+)`), false},
	{"Android ActiveSync", KindMobile, regexp.MustCompile(`(?i)^Android[-/][\w-]*/?([\w.]*)`), false},
	{"EWS Managed API", KindTool, regexp.MustCompile(`(?i)ExchangeServicesClient/([\d.]+)`), false},
	{"PowerShell", KindScript, regexp.MustCompile(`(?i)(?:Windows)?PowerShell/([\d.]+)`), false},
	{"curl", KindScript, regexp.MustCompile(`(?i)^curl/([\w.-]+)`), false},
	{"Python requests", KindScript, regexp.MustCompile(`(?i)python-requests/([\d.]+)`), false},
	{"Python urllib", KindScript, regexp.MustCompile(`(?i)Python-urllib/([\d.]+)`), false},
	{"Go HTTP client", KindScript, regexp.MustCompile(`(?i)^Go-http-client/([\d.]+)`), false},
	{"Wget", KindScript, regexp.MustCompile(`(?i)^Wget/([\w.]+)`), false},
	{"AWS ELB health check", KindProbe, regexp.MustCompile(`(?i)ELB-HealthChecker/([\d.]+)`), false},
	{"Azure Front Door health probe", KindProbe, regexp.MustCompile(`(?i)Edge Health Probe`), false},
	{"Azure Traffic Manager probe", KindProbe, regexp.MustCompile(`(?i)Azure Traffic Manager Endpoint Monitor`), false},
	{"Azure App Service warm-up", KindProbe, regexp.MustCompile(`(?i)^AlwaysOn$`), false},
	{"Monitoring probe", KindProbe, regexp.MustCompile(`(?i)Pingdom|UptimeRobot|Site24x7|StatusCake|Zabbix|Nagios|check_http|PRTG|HealthCheck|Health-Check|monitor`), false},
	{"Edge", KindBrowser, regexp.MustCompile(`(?i)\bEdg(?:e|A|iOS)?/([\d.]+)`), false},
	{"Chrome", KindBrowser, regexp.MustCompile(`(?i)\b(?:Chrome|CriOS)/([\d.]+)`), false},
	{"Firefox", KindBrowser, regexp.MustCompile(`(?i)\b(?:Firefox|FxiOS)/([\d.]+)`), false},
	{"Safari", KindBrowser, regexp.MustCompile(`(?i)Version/([\d.]+).*Safari/`), false},
	{"Internet Explorer", KindBrowser, regexp.MustCompile(`(?i)MSIE ([\d.]+)|Trident/.*rv:([\d.]+)`), false},
}

// maxUserAgent bounds the text the expressions scan.
const maxUserAgent = 1024

// Client recognises the client program from a User-Agent value.
func Client(userAgent string) ClientInfo {
	ua := strings.TrimSpace(userAgent)
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	if ua == "" {
		return ClientInfo{Family: "Unknown", Kind: KindUnknown}
	}
	return clients.get(ua)
}

// recognise runs the rules on a trimmed, bounded, non-empty User-Agent.
func recognise(ua string) ClientInfo {
	info := ClientInfo{Family: "Unknown", Kind: KindUnknown}
	for _, r := range clientRules {
		m := r.match.FindStringSubmatch(ua)
		if m == nil {
			continue
		}
		info = ClientInfo{Family: r.family, Kind: r.kind, IgnoresPersistentAuthFalse: r.ignoresPA}
		for _, g := range m[1:] {
			if g != "" {
				info.Version = g
				break
			}
		}
		break
	}
	info.OS = operatingSystem(ua)
	return info
}

// osRules find the operating system; the first match wins.
var osRules = []struct {
	re   *regexp.Regexp
	name string
	dots bool // version uses underscores that become dots
}{
	{regexp.MustCompile(`(?i)(?:Mac[ _]OS[ _]X|macOS)/([\d.]+)`), "macOS", false},
	{regexp.MustCompile(`(?i)(?:iPhone|CPU) OS ([\d_]+)`), "iOS", true},
	{regexp.MustCompile(`(?i)(?:^|[\s;(])iOS[ /]([\d.]+)`), "iOS", false},
	{regexp.MustCompile(`(?i)Mac OS X ([\d_.]+)`), "macOS", true},
	{regexp.MustCompile(`(?i)Windows NT ([\d.]+)`), "Windows NT", false},
	{regexp.MustCompile(`(?i)Android ([\d.]+)`), "Android", false},
	{regexp.MustCompile(`(?i)^Android`), "Android", false},
	{regexp.MustCompile(`(?i)Linux`), "Linux", false},
}

func operatingSystem(ua string) string {
	for _, r := range osRules {
		m := r.re.FindStringSubmatch(ua)
		if m == nil {
			continue
		}
		if len(m) < 2 || m[1] == "" {
			return r.name
		}
		v := m[1]
		if r.dots {
			v = strings.ReplaceAll(v, "_", ".")
		}
		return r.name + " " + strings.Trim(v, ".")
	}
	return ""
}
