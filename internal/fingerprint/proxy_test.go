package fingerprint

import (
	"reflect"
	"testing"

	"github.com/frebscan/frebscan/internal/headers"
)

func hl(kv ...string) headers.List {
	var l headers.List
	for i := 0; i+1 < len(kv); i += 2 {
		l = append(l, headers.Header{Name: kv[i], Value: kv[i+1]})
	}
	return l
}

func TestProxy(t *testing.T) {
	tests := []struct {
		name    string
		req     headers.List
		changes []headers.Change
		peer    string
		want    ProxyInfo
	}{
		{
			name: "no proxy headers",
			req:  hl("Host", "mail.contoso.com", "User-Agent", "curl/8.4.0", "Cookie", "session=abc", "X-Forwarded-For", " "),
			peer: "203.0.113.7",
			want: ProxyInfo{},
		},
		{
			name: "KEMP with Via (the Mac Mail case)",
			req:  hl("Host", "mail.contoso.com", "Via", "HTTPS/1.1 lb:443", "X-ClientSide", "203.0.113.7:51234 -> 10.0.0.5:443"),
			peer: "10.0.0.5",
			want: ProxyInfo{
				Detected: true, Vendor: "KEMP LoadMaster", Confidence: ConfidenceHigh,
				ProxyAddress: "10.0.0.5:443", ClientAddress: "203.0.113.7", ClientPort: "51234", Hops: 1,
				Evidence: []Evidence{{"X-ClientSide", "203.0.113.7:51234 -> 10.0.0.5:443"}, {"Via", "HTTPS/1.1 lb:443"}},
			},
		},
		{
			name: "F5 cookie and XFF",
			req:  hl("Cookie", "ClientId=1; BIGipServerpool_exchange=1677787402.47873.0000", "X-Forwarded-For", "198.51.100.4"),
			peer: "10.1.1.10",
			want: ProxyInfo{
				Detected: true, Vendor: "F5 BIG-IP", Confidence: ConfidenceHigh,
				ProxyAddress: "10.1.1.10", ClientAddress: "198.51.100.4", Hops: 1,
				Evidence: []Evidence{{"Cookie", "BIGipServerpool_exchange"}, {"X-Forwarded-For", "198.51.100.4"}},
			},
		},
		{
			name: "NetScaler cookie",
			req:  hl("Cookie", "NSC_ESNS=5be5a3d1", "Client-IP", "198.51.100.9"),
			peer: "10.2.0.1",
			want: ProxyInfo{
				Detected: true, Vendor: "Citrix NetScaler", Confidence: ConfidenceHigh,
				ProxyAddress: "10.2.0.1", ClientAddress: "198.51.100.9",
				Evidence: []Evidence{{"Cookie", "NSC_ESNS"}, {"Client-IP", "198.51.100.9"}},
			},
		},
		{
			name: "ARR upstream with ip:port XFF",
			req:  hl("X-Forwarded-For", "192.168.0.204:49247", "X-ARR-LOG-ID", "2b1d0c3e-0f7a-4f7e-9b6b-1d2f3c4b5a69", "X-Original-URL", "/ews/exchange.asmx"),
			peer: "10.0.0.20",
			want: ProxyInfo{
				Detected: true, Vendor: "IIS ARR", Confidence: ConfidenceHigh,
				ProxyAddress: "10.0.0.20", ClientAddress: "192.168.0.204", ClientPort: "49247", Hops: 1,
				Evidence: []Evidence{{"X-ARR-LOG-ID", "2b1d0c3e-0f7a-4f7e-9b6b-1d2f3c4b5a69"}, {"X-Original-URL", "/ews/exchange.asmx"}, {"X-Forwarded-For", "192.168.0.204:49247"}},
			},
		},
		{
			name: "Cloudflare in front of KEMP",
			req:  hl("CF-RAY", "8a1b2c3d4e5f6a7b-FRA", "CF-Connecting-IP", "2001:db8::7", "X-ClientSide", "172.70.1.1:40000 -> 10.0.0.5:443", "X-Forwarded-For", "2001:db8::7, 172.70.1.1"),
			peer: "10.0.0.5",
			want: ProxyInfo{
				Detected: true, Vendor: "KEMP LoadMaster", Confidence: ConfidenceHigh, Others: []string{"Cloudflare"},
				ProxyAddress: "10.0.0.5:443", ClientAddress: "172.70.1.1", ClientPort: "40000", Hops: 2,
				Evidence: []Evidence{
					{"X-ClientSide", "172.70.1.1:40000 -> 10.0.0.5:443"},
					{"CF-Connecting-IP", "2001:db8::7"}, {"CF-RAY", "8a1b2c3d4e5f6a7b-FRA"},
					{"X-Forwarded-For", "2001:db8::7, 172.70.1.1"},
				},
			},
		},
		{
			name: "Forwarded with bracketed IPv6",
			req:  hl("Forwarded", `for="[2001:db8:cafe::17]:4711";proto=https, for=192.0.2.60`, "Via", "1.1 proxy1, 1.0 fred"),
			peer: "192.0.2.1",
			want: ProxyInfo{
				Detected: true, Vendor: UnknownProxy, Confidence: ConfidenceMedium,
				ProxyAddress: "fred", ClientAddress: "2001:db8:cafe::17", ClientPort: "4711", Hops: 2,
				Evidence: []Evidence{{"Via", "1.1 proxy1, 1.0 fred"}, {"Forwarded", `for="[2001:db8:cafe::17]:4711";proto=https, for=192.0.2.60`}},
			},
		},
		{
			name: "XFF alone",
			req:  hl("X-Forwarded-For", "unknown, 198.51.100.23"),
			peer: "10.9.9.9",
			want: ProxyInfo{
				Detected: true, Vendor: UnknownProxy, Confidence: ConfidenceLow,
				ProxyAddress: "10.9.9.9", Hops: 2,
				Evidence: []Evidence{{"X-Forwarded-For", "unknown, 198.51.100.23"}},
			},
		},
		{
			name: "Azure Front Door then App Gateway",
			req:  hl("X-Azure-FDID", "d1f4e6c2-0000-4000-8000-000000000000", "X-Azure-Ref", "0abc", "X-AppGW-Trace-Id", "f00d", "X-Original-Host", "www.contoso.com"),
			want: ProxyInfo{
				Detected: true, Vendor: "Azure Application Gateway", Confidence: ConfidenceHigh, Others: []string{"Azure Front Door"},
				Evidence: []Evidence{
					{"X-AppGW-Trace-Id", "f00d"}, {"X-Original-Host", "www.contoso.com"},
					{"X-Azure-FDID", "d1f4e6c2-0000-4000-8000-000000000000"}, {"X-Azure-Ref", "0abc"},
				},
			},
		},
		{
			name: "AWS ALB",
			req:  hl("X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"),
			peer: "172.31.0.10",
			want: ProxyInfo{
				Detected: true, Vendor: "AWS Application Load Balancer", Confidence: ConfidenceHigh,
				ProxyAddress: "172.31.0.10", ClientAddress: "203.0.113.9", Hops: 1,
				Evidence: []Evidence{
					{"X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678"},
					{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"},
				},
			},
		},
		{
			name: "Akamai",
			req:  hl("True-Client-IP", "198.51.100.77", "Akamai-Origin-Hop", "2"),
			peer: "23.0.0.1",
			want: ProxyInfo{
				Detected: true, Vendor: "Akamai", Confidence: ConfidenceHigh,
				ProxyAddress: "23.0.0.1", ClientAddress: "198.51.100.77",
				Evidence: []Evidence{{"Akamai-Origin-Hop", "2"}, {"True-Client-IP", "198.51.100.77"}},
			},
		},
		{
			name:    "this server is ARR",
			req:     hl("Host", "www.contoso.com"),
			changes: []headers.Change{{Name: "X-Forwarded-For", Value: "198.51.100.1:50000"}, {Name: "X-ARR-LOG-ID:", Value: "x"}},
			peer:    "198.51.100.1",
			want:    ProxyInfo{LocalARR: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Proxy(tt.req, tt.changes, tt.peer)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Proxy() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestSplitAddr(t *testing.T) {
	tests := []struct{ in, host, port string }{
		{"192.0.2.1:443", "192.0.2.1", "443"},
		{"192.0.2.1", "192.0.2.1", ""},
		{"[2001:db8::1]:8443", "2001:db8::1", "8443"},
		{"2001:db8::1", "2001:db8::1", ""},
		{"[2001:db8::1", "[2001:db8::1", ""},
	}
	for _, tt := range tests {
		h, p := splitAddr(tt.in)
		if h != tt.host || p != tt.port {
			t.Errorf("splitAddr(%q) = %q, %q", tt.in, h, p)
		}
	}
}

// TestProxyVendors: each product is named from the headers it adds by
// default (sources in vendors.go), and a header several products send
// does not name one of them alone.
func TestProxyVendors(t *testing.T) {
	tests := []struct {
		name   string
		req    headers.List
		vendor string
		conf   Confidence
	}{
		{"Caddy always adds Via", hl("Via", "1.1 Caddy", "X-Forwarded-For", "198.51.100.2", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "mail.contoso.com"), VendorCaddy, ConfidenceHigh},
		{"Caddy after an HTTP/2 client", hl("Via", "2.0 Caddy", "X-Forwarded-For", "198.51.100.2"), VendorCaddy, ConfidenceHigh},
		{"Apache with ProxyVia Full", hl("Via", "1.1 proxy01 (Apache/2.4.58)", "X-Forwarded-For", "198.51.100.2"), VendorApache, ConfidenceHigh},
		{"Apache mod_proxy default headers", hl("X-Forwarded-For", "198.51.100.2", "X-Forwarded-Host", "app.contoso.com", "X-Forwarded-Server", "proxy01.contoso.com"), VendorApache, ConfidenceMedium},
		{"Traefik forwarded headers", hl("X-Forwarded-For", "198.51.100.2", "X-Forwarded-Host", "app.contoso.com", "X-Forwarded-Port", "443",
			"X-Forwarded-Proto", "https", "X-Forwarded-Server", "traefik-7d9f", "X-Real-Ip", "198.51.100.2"), VendorTraefik, ConfidenceMedium},
		{"nginx convention X-Real-IP", hl("X-Real-IP", "198.51.100.2", "X-Forwarded-For", "198.51.100.2"), VendorNginx, ConfidenceLow},
		{"nginx X-NginX-Proxy snippet", hl("X-NginX-Proxy", "true", "X-Forwarded-For", "198.51.100.2"), VendorNginx, ConfidenceMedium},
		{"YARP default transforms with a path base", hl("X-Forwarded-For", "198.51.100.2", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "app.contoso.com", "X-Forwarded-Prefix", "/app"), VendorYARP, ConfidenceLow},
		{"Application Gateway sends X-Original-URL too", hl("X-Forwarded-For", "198.51.100.2:50412", "X-Original-URL", "/ews/exchange.asmx", "X-Original-Host", "mail.contoso.com",
			"X-AppGW-Trace-Id", "5d6f0c1e0f7a4f7e9b6b1d2f3c4b5a69"), VendorAppGateway, ConfidenceHigh},
		{"X-Original-URL alone is not ARR", hl("X-Forwarded-For", "198.51.100.2", "X-Original-URL", "/owa/"), UnknownProxy, ConfidenceLow},
		{"AWS ALB", hl("X-Forwarded-For", "198.51.100.2", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443", "X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678"), VendorALB, ConfidenceHigh},
		{"generic headers only", hl("X-Forwarded-For", "198.51.100.2", "X-Forwarded-Proto", "https"), UnknownProxy, ConfidenceLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Proxy(tt.req, nil, "10.0.0.2")
			if got.Vendor != tt.vendor || got.Confidence != tt.conf {
				t.Errorf("vendor %q (%s), want %q (%s); evidence %v", got.Vendor, got.Confidence, tt.vendor, tt.conf, got.Evidence)
			}
		})
	}
	if p := Proxy(hl("X-Original-URL", "/owa/"), nil, "10.0.0.2"); p.Detected {
		t.Errorf("X-Original-URL alone (URL Rewrite on this server) detected %q", p.Vendor)
	}
}
