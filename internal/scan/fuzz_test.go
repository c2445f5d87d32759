package scan

import (
	"strings"
	"testing"
	"time"
)

// FuzzFilterParse checks the parsers of the filter flags (--status,
// --since/--until) and the matchers behind --url and --client: a scan
// started from a scheduled task with a mistyped flag must fail with a
// message, never panic, and what parses must describe sane ranges.
func FuzzFilterParse(f *testing.F) {
	for _, s := range []string{"400,401.2,5xx,400-404", "999", "1xx", "-1", "400-", "4xx.1", "401.99999999999999999999", "7d", "90m", "2026-03-02 14:00", "2026-03-02T14:00:00Z", "10.0.0.0/8", "[::1]", "/ews/*", "http://h/[a-"} {
		f.Add(s, "http://mail.contoso.com/ews/exchange.asmx?x=1", "10.1.2.3")
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec, url, addr string) {
		ms, err := ParseStatusList(spec)
		if err != nil {
			if !strings.Contains(err.Error(), "--status") {
				t.Fatalf("error %q does not name the flag", err)
			}
		}
		for _, m := range ms {
			if m.Lo < 100 || m.Hi > 999 || m.Lo > m.Hi || m.Sub < -1 {
				t.Fatalf("ParseStatusList(%q) gave %+v", spec, m)
			}
			if !m.match(m.Lo, max(m.Sub, 0)) {
				t.Fatalf("%+v does not match its own low end", m)
			}
		}
		if _, err := ParseTime(spec, now); err != nil && !strings.Contains(err.Error(), "is not a time") {
			t.Fatalf("ParseTime(%q): %v", spec, err)
		}
		_ = urlMatch(spec, url)
		_ = clientMatch(spec, addr, url)
		_ = siteMatch(strings.Split(spec, ","), addr)
	})
}
