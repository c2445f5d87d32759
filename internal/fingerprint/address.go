package fingerprint

import (
	"net/netip"
	"strings"
)

// maxEntries bounds list parsing for hostile headers.
const maxEntries = 64

// splitValues splits comma-separated header values across all lines.
func splitValues(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" && len(out) < maxEntries {
				out = append(out, part)
			}
		}
	}
	return out
}

// viaEntries returns the received-by of every Via entry (RFC 9110 7.6.3:
// "1.1 proxy.example:8080 (comment)"), in order.
func viaEntries(values []string) []string {
	var out []string
	for _, v := range values {
		for _, entry := range splitOutsideParens(v) {
			fields := strings.Fields(entry)
			if len(fields) >= 2 && len(out) < maxEntries {
				out = append(out, fields[1])
			}
		}
	}
	return out
}

func splitOutsideParens(v string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// forwardedFor returns the for= values of RFC 7239 Forwarded headers.
func forwardedFor(values []string) []string {
	var out []string
	for _, elem := range splitValues(values) {
		for _, pair := range strings.Split(elem, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "for") {
				out = append(out, strings.Trim(strings.TrimSpace(v), `"`))
			}
		}
	}
	return out
}

// parseClientSide reads KEMP's "X-ClientSide: 203.0.113.7:51234 -> 10.0.0.5:443".
func parseClientSide(v string) (client, vip string, ok bool) {
	left, right, found := strings.Cut(v, "->")
	if !found {
		return "", "", false
	}
	client, vip = strings.TrimSpace(left), strings.TrimSpace(right)
	return client, vip, client != ""
}

// splitAddr separates "ip:port", "[v6]:port", bare IPv4 and bare IPv6.
func splitAddr(s string) (host, port string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return s, ""
		}
		host, port = s[1:end], strings.TrimPrefix(s[end+1:], ":")
		return host, port
	}
	if strings.Count(s, ":") == 1 {
		host, port, _ = strings.Cut(s, ":")
		return host, port
	}
	return s, ""
}

func validIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

func validPort(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n > 0 && n <= 65535
}
