package fingerprint

import (
	"fmt"
	"testing"
)

func TestClient(t *testing.T) {
	tests := []struct {
		ua   string
		want ClientInfo
	}{
		{"Mac OS X/10.11.1 (15B42); ExchangeWebServices/6.0 (242); Mail/9.1 (3096.5)",
			ClientInfo{Family: "Apple Mail", Kind: KindMailClient, Version: "9.1", OS: "macOS 10.11.1", IgnoresPersistentAuthFalse: true}},
		{"macOS/14.2.1 (23C71); ExchangeWebServices/14.0 (304); Mail/16.0 (3774.300.61)",
			ClientInfo{Family: "Apple Mail", Kind: KindMailClient, Version: "16.0", OS: "macOS 14.2.1", IgnoresPersistentAuthFalse: true}},
		{"Mac_OS_X/10.9.2 (13C64); ExchangeWebServices/4.0 (193); Mail/7.2 (1874)",
			ClientInfo{Family: "Apple Mail", Kind: KindMailClient, Version: "7.2", OS: "macOS 10.9.2", IgnoresPersistentAuthFalse: true}},
		{"Mac OS X/10.11.1 (15B42); ExchangeWebServices/6.0 (242); CalendarAgent/361.2",
			ClientInfo{Family: "Apple Calendar", Kind: KindMailClient, Version: "361.2", OS: "macOS 10.11.1", IgnoresPersistentAuthFalse: true}},
		{"Mac OS X/10.15.7 (19H2); ExchangeWebServices/11.0 (325); AddressBookSourceSync/2452",
			ClientInfo{Family: "Apple Contacts", Kind: KindMailClient, Version: "2452", OS: "macOS 10.15.7", IgnoresPersistentAuthFalse: true}},
		{"macOS/13.4 (22F66); ExchangeWebServices/13.0 (285)",
			ClientInfo{Family: "Apple EWS client", Kind: KindMailClient, Version: "13.0", OS: "macOS 13.4", IgnoresPersistentAuthFalse: true}},
		{"MacOutlook/16.80.23121017 (Intelx64 Mac OS X 14.2.1 (Build 23C71))",
			ClientInfo{Family: "Outlook for Mac", Kind: KindMailClient, Version: "16.80.23121017", OS: "macOS 14.2.1"}},
		{"Microsoft Office/16.0 (Macintosh; Mac OS X 10_15_7; Microsoft Outlook 16.78.23101520; Pro)",
			ClientInfo{Family: "Outlook for Mac", Kind: KindMailClient, Version: "16.78.23101520", OS: "macOS 10.15.7"}},
		{"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)",
			ClientInfo{Family: "Outlook for Windows", Kind: KindMailClient, Version: "16.0.17126", OS: "Windows NT 10.0"}},
		{"MSRPC", ClientInfo{Family: "Outlook for Windows", Kind: KindMailClient}},
		{"Microsoft Office Outlook 12.0", ClientInfo{Family: "Outlook for Windows", Kind: KindMailClient, Version: "12.0"}},
		{"Outlook-iOS/709.2189947.prod.iphone (4.2402.0)", ClientInfo{Family: "Outlook for iOS", Kind: KindMobile, Version: "709.2189947.prod.iphone"}},
		{"Outlook-Android/2.0", ClientInfo{Family: "Outlook for Android", Kind: KindMobile, Version: "2.0"}},
		{"Apple-iPhone15C2/2101.47", ClientInfo{Family: "iOS ActiveSync", Kind: KindMobile, Version: "2101.47"}},
		{"Android-SAMSUNG-SM-G991B/102.1.0", ClientInfo{Family: "Android ActiveSync", Kind: KindMobile, Version: "102.1.0", OS: "Android"}},
		{"ExchangeServicesClient/15.00.0913.015", ClientInfo{Family: "EWS Managed API", Kind: KindTool, Version: "15.00.0913.015"}},
		{"Microsoft Connectivity Analyzer (ExRCA)", ClientInfo{Family: "Remote Connectivity Analyzer", Kind: KindTool}},
		{"Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3803",
			ClientInfo{Family: "PowerShell", Kind: KindScript, Version: "5.1.19041.3803", OS: "Windows NT 10.0"}},
		{"curl/8.4.0", ClientInfo{Family: "curl", Kind: KindScript, Version: "8.4.0"}},
		{"python-requests/2.31.0", ClientInfo{Family: "Python requests", Kind: KindScript, Version: "2.31.0"}},
		{"Go-http-client/1.1", ClientInfo{Family: "Go HTTP client", Kind: KindScript, Version: "1.1"}},
		{"AMProbe/Local/ClientAccess", ClientInfo{Family: "Exchange Managed Availability probe", Kind: KindProbe}},
		{"ELB-HealthChecker/2.0", ClientInfo{Family: "AWS ELB health check", Kind: KindProbe, Version: "2.0"}},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
			ClientInfo{Family: "Edge", Kind: KindBrowser, Version: "120.0.2210.91", OS: "Windows NT 10.0"}},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
			ClientInfo{Family: "Chrome", Kind: KindBrowser, Version: "120.0.0.0", OS: "Windows NT 10.0"}},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
			ClientInfo{Family: "Firefox", Kind: KindBrowser, Version: "121.0", OS: "Windows NT 10.0"}},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
			ClientInfo{Family: "Safari", Kind: KindBrowser, Version: "17.1.2", OS: "iOS 17.1.2"}},
		{"", ClientInfo{Family: "Unknown", Kind: KindUnknown}},
		{"SomethingElse/1.0", ClientInfo{Family: "Unknown", Kind: KindUnknown}},
	}
	for _, tt := range tests {
		if got := Client(tt.ua); got != tt.want {
			t.Errorf("Client(%q) =\n %+v, want\n %+v", tt.ua, got, tt.want)
		}
	}
}

// TestClientCache: a cached answer is the uncached one, and the cache
// stops growing at its bound without changing answers.
func TestClientCache(t *testing.T) {
	uas := []string{
		"Mac OS X/14.3 (23D56); ExchangeWebServices/12.0 (273.1); Mail/16.0 (3774.400.31)",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5095; Pro)",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15",
		"curl/8.4.0",
	}
	for _, ua := range uas {
		want := recognise(ua)
		for i := 0; i < 3; i++ {
			if got := Client(ua); got != want {
				t.Errorf("Client(%q) call %d = %+v, want %+v", ua, i, got, want)
			}
		}
	}
	// The bound, on a small cache: past it, user agents are recognised
	// every time and not kept (4,096 real probes cost half a minute of
	// regular expressions under -race).
	small := clientCache{max: 8}
	for i := 0; i < 108; i++ {
		ua := fmt.Sprintf("Probe-%d/1.%d", i, i)
		if got, want := small.get(ua), recognise(ua); got != want {
			t.Fatalf("get(%q) = %+v, want %+v", ua, got, want)
		}
	}
	if n := small.n.Load(); n != 8 {
		t.Errorf("cache holds %d user agents, bound is 8", n)
	}
	if clients.max != maxCachedClients {
		t.Errorf("the scan's cache is bounded at %d, want %d", clients.max, maxCachedClients)
	}
}
