package cli

import (
	"strings"
	"testing"
	"time"
)

func TestParseStatusList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		match   [][2]int
		nomatch [][2]int
		err     bool
	}{
		{in: "400,401", match: [][2]int{{400, 0}, {401, 2}}, nomatch: [][2]int{{403, 0}}},
		{in: "401.2", match: [][2]int{{401, 2}}, nomatch: [][2]int{{401, 1}, {401, 0}}},
		{in: "5xx", match: [][2]int{{500, 19}, {503, 2}}, nomatch: [][2]int{{404, 0}}},
		{in: "400-404", match: [][2]int{{403, 4}}, nomatch: [][2]int{{405, 0}}},
		{in: "abc", err: true}, {in: "9xx", err: true}, {in: "404-400", err: true}, {in: "40", err: true},
	}
	for _, tc := range tests {
		ms, err := parseStatusList(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("%q: err = %v", tc.in, err)
			continue
		}
		matches := func(code, sub int) bool {
			for _, m := range ms {
				if m.Match(code, sub) {
					return true
				}
			}
			return false
		}
		for _, m := range tc.match {
			if !matches(m[0], m[1]) {
				t.Errorf("%q should match %v", tc.in, m)
			}
		}
		for _, m := range tc.nomatch {
			if matches(m[0], m[1]) {
				t.Errorf("%q should not match %v", tc.in, m)
			}
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Time{
		"24h":                  now.Add(-24 * time.Hour),
		"7d":                   now.Add(-7 * 24 * time.Hour),
		"90m":                  now.Add(-90 * time.Minute),
		"2026-03-01T10:00:00Z": time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
	}
	for in, want := range tests {
		got, err := parseTime(in, now, false)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if d, err := parseTime("2026-03-01", now, false); err != nil || d.Day() != 1 {
		t.Errorf("date: %v %v", d, err)
	}
	for _, bad := range []string{"yesterday", "-5h", "2026-13-01"} {
		if _, err := parseTime(bad, now, false); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
}

// FuzzFlagParse checks the parsers of the filter flags (--status,
// --since/--until): a mistyped flag must fail with a message that names
// it, never panic, and what parses must describe sane ranges.
func FuzzFlagParse(f *testing.F) {
	for _, s := range []string{"400,401.2,5xx,400-404", "999", "1xx", "-1", "400-", "4xx.1", "401.99999999999999999999", "7d", "90m", "2026-03-02 14:00", "2026-03-02T14:00:00Z", "64MB", "1GiB", "-3KB"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		ms, err := parseStatusList(spec)
		if err != nil && !strings.Contains(err.Error(), "--status") {
			t.Fatalf("error %q does not name the flag", err)
		}
		for _, m := range ms {
			if m.Lo < 100 || m.Hi > 999 || m.Lo > m.Hi || m.Sub < -1 {
				t.Fatalf("parseStatusList(%q) gave %+v", spec, m)
			}
			if !m.Match(m.Lo, max(m.Sub, 0)) {
				t.Fatalf("%+v does not match its own low end", m)
			}
		}
		if _, err := parseTime(spec, now, true); err != nil && !strings.Contains(err.Error(), "is not a time") {
			t.Fatalf("parseTime(%q): %v", spec, err)
		}
		if n, err := parseSize(spec); err == nil && n < 0 {
			t.Fatalf("parseSize(%q) = %d", spec, n)
		}
	})
}
