package cli

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/scan"
)

// limitFlags are the per-file limits scan and show share (docs/SECURITY.md
// explains them). Their defaults are the reader's and the scan's
// constants, shown in help as sizes.
type limitFlags struct {
	fileSize, eventSize string
	headers             int
	archiveSize         string
	archiveRatio        int64
	archiveEntries      int
}

func (l *limitFlags) register(f *pflag.FlagSet) {
	f.StringVar(&l.fileSize, "max-file-size", formatSize(scan.DefaultMaxFileSize), "read at most this much of one file (0: no limit); the rest is skipped with a warning")
	f.StringVar(&l.eventSize, "max-event-size", formatSize(freb.DefaultMaxEventSize), "largest <Event> held in memory; a larger one is skipped with a warning")
	f.IntVar(&l.headers, "max-headers", freb.DefaultMaxHeaders, "headers kept per header block; the rest are dropped with a warning")
	f.StringVar(&l.archiveSize, "max-archive-size", formatSize(scan.DefaultMaxArchiveSize), "uncompressed bytes read from one .zip, all entries together; entries past it are not read (an error names them)")
	f.Int64Var(&l.archiveRatio, "max-archive-ratio", scan.DefaultMaxArchiveRatio, "times an entry of a .zip may expand when decompressed (zip bomb guard); a larger entry is not read")
	f.IntVar(&l.archiveEntries, "max-archive-entries", scan.DefaultMaxArchiveEntries, "entries a .zip may hold; a larger archive is not read")
}

func (l *limitFlags) parse() (scan.Limits, error) {
	lim, err := parseLimits(l.fileSize, l.eventSize, l.headers)
	if err != nil {
		return lim, err
	}
	lim.Archive, err = parseArchiveLimits(l.archiveSize, l.archiveRatio, l.archiveEntries)
	return lim, err
}

// parseArchiveLimits reads the --max-archive-* flags. Each must be
// positive: an archive without limits is what a zip bomb needs.
func parseArchiveLimits(size string, ratio int64, entries int) (scan.ArchiveLimits, error) {
	var l scan.ArchiveLimits
	n, err := parseSize(size)
	switch {
	case err != nil:
		return l, fmt.Errorf("--max-archive-size: %w", err)
	case n <= 0:
		return l, fmt.Errorf("--max-archive-size must be more than 0 (the default is %s)", formatSize(scan.DefaultMaxArchiveSize))
	case ratio <= 0:
		return l, fmt.Errorf("--max-archive-ratio must be 1 or more (the default is %d)", scan.DefaultMaxArchiveRatio)
	case entries <= 0:
		return l, fmt.Errorf("--max-archive-entries must be 1 or more (the default is %d)", scan.DefaultMaxArchiveEntries)
	}
	return scan.ArchiveLimits{MaxSize: n, MaxRatio: ratio, MaxEntries: entries}, nil
}

// formatSize writes a size the way parseSize reads it: 1GB, 64MB.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// parseLimits reads the limit flags: sizes as bytes or with a unit (KB,
// MB, GB, binary multiples: "64MB" is 64 MiB); "0" for the file size means
// no limit.
func parseLimits(fileSize, eventSize string, headers int) (scan.Limits, error) {
	var l scan.Limits
	var err error
	if l.MaxFileSize, err = parseSize(fileSize); err != nil {
		return l, fmt.Errorf("--max-file-size: %w", err)
	}
	ev, err := parseSize(eventSize)
	if err != nil {
		return l, fmt.Errorf("--max-event-size: %w", err)
	}
	if ev > 1<<40 {
		return l, fmt.Errorf("--max-event-size: %s is more than anything a reader can hold", eventSize)
	}
	l.MaxEventSize = int(ev)
	if headers < 0 {
		return l, fmt.Errorf("--max-headers must be 0 (the default, %d) or more", freb.DefaultMaxHeaders)
	}
	l.MaxHeaders = headers
	return l, nil
}

// parseSize reads "1048576", "512KB", "64MB", "1GB" (multiples of 1024;
// KiB, MiB, GiB and a lone K, M, G are accepted too).
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (1048576, 512KB, 64MB, 1GB)", s)
	}
	return n * mult, nil
}

// parseStatusList reads --status: comma-separated codes, code.sub,
// classes (4xx) and ranges (400-404).
func parseStatusList(s string) ([]scan.StatusMatch, error) {
	var out []scan.StatusMatch
	for _, term := range strings.Split(s, ",") {
		term = strings.ToLower(strings.TrimSpace(term))
		if term == "" {
			continue
		}
		m, err := parseStatusTerm(term)
		if err != nil {
			return nil, fmt.Errorf("--status %q: %w", term, err)
		}
		out = append(out, m)
	}
	return out, nil
}

func parseStatusTerm(term string) (scan.StatusMatch, error) {
	if len(term) == 3 && strings.HasSuffix(term, "xx") && term[0] >= '1' && term[0] <= '5' {
		c := int(term[0]-'0') * 100
		return scan.StatusMatch{Lo: c, Hi: c + 99, Sub: -1}, nil
	}
	if lo, hi, ok := strings.Cut(term, "-"); ok {
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a > b || a < 100 || b > 999 {
			return scan.StatusMatch{}, fmt.Errorf("want a range like 400-499")
		}
		return scan.StatusMatch{Lo: a, Hi: b, Sub: -1}, nil
	}
	code, sub, ok := freb.ParseStatus(term)
	if !ok || code < 100 || code > 999 {
		return scan.StatusMatch{}, fmt.Errorf("want 400, 401.2, 5xx or 400-499")
	}
	m := scan.StatusMatch{Lo: code, Hi: code, Sub: -1}
	if strings.Contains(term, ".") {
		m.Sub = sub
	}
	return m, nil
}

// parseTime reads --since/--until: an RFC 3339 time, a date, "date time",
// or a duration back from now (90m, 24h, 7d). A time without a zone is
// UTC, as every report prints times in UTC and FREB traces are stamped in
// UTC: an admin copies a time from a report into --since and gets the same
// instant on any machine. For --until (endOfDay) a bare date means the end
// of that day, so "--until 2024-03-12" includes the 12th.
func parseTime(s string, now time.Time, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if strings.HasSuffix(s, "d") {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && n >= 0 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if endOfDay {
			return t.Add(24*time.Hour - time.Nanosecond), nil
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (2026-03-02, \"2026-03-02 14:00\" in UTC, RFC 3339 with a zone) or a duration back from now (90m, 24h, 7d)", s)
}

// checkClient validates --client: an address, a CIDR block, or the start
// or part of an address. Anything else matches nothing, and an empty
// report with exit 0 would read as "all clear" for a typo.
func checkClient(s string) error {
	const forms = "want an address (10.0.0.5, 2001:db8::5), a CIDR block (10.0.0.0/8) or part of an address (10.0.)"
	if strings.Contains(s, "/") {
		if _, _, err := net.ParseCIDR(s); err != nil {
			return fmt.Errorf("--client %q is not a CIDR block: %s", s, forms)
		}
		return nil
	}
	if net.ParseIP(strings.Trim(s, "[]")) != nil {
		return nil
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF.:[]", r) {
			return fmt.Errorf("--client %q is not an address: %s", s, forms)
		}
	}
	return nil
}

// parseSites reads --site: site IDs (1,2) or W3SVC folder names (W3SVC1).
func parseSites(s string) ([]string, error) {
	var out []string
	for _, term := range strings.Split(s, ",") {
		term = strings.TrimSpace(term)
		id := term
		if len(id) > 5 && strings.EqualFold(id[:5], "w3svc") {
			id = id[5:]
		}
		if n, err := strconv.Atoi(id); err != nil || n <= 0 {
			return nil, fmt.Errorf("--site %q: want a site ID (1, 2) or a log folder name (W3SVC1), comma-separated", term)
		}
		out = append(out, id)
	}
	return out, nil
}
