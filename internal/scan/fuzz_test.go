package scan

import (
	"strings"
	"testing"
)

// FuzzFilterParse checks the matchers behind --url, --client and --site:
// a scan started from a scheduled task with a mistyped flag must fail with
// a message, never panic. (The flag parsers are fuzzed in internal/cli.)
func FuzzFilterParse(f *testing.F) {
	for _, s := range []string{"400,401.2,5xx,400-404", "999", "1xx", "-1", "400-", "4xx.1", "401.99999999999999999999", "7d", "90m", "2026-03-02 14:00", "2026-03-02T14:00:00Z", "10.0.0.0/8", "[::1]", "/ews/*", "http://h/[a-"} {
		f.Add(s, "http://mail.contoso.com/ews/exchange.asmx?x=1", "10.1.2.3")
	}
	f.Fuzz(func(t *testing.T, spec, url, addr string) {
		_ = urlMatch(spec, url)
		_ = clientMatch(spec, addr, url)
		_ = siteMatch(strings.Split(spec, ","), addr)
	})
}
