package scan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/freb"
)

// DefaultMaxFileSize is how much of one file scan and show read by
// default. IIS caps a trace at maxLogFileSizeKB (512 KB unless raised), so
// a file of a gigabyte is a runaway request or not a trace; its first
// gigabyte is read, with a warning, and the scan goes on.
const DefaultMaxFileSize = 1 << 30

// Limits bound what one file may cost (--max-file-size, --max-event-size,
// --max-headers); docs/SECURITY.md explains them. Zero values mean the
// reader's defaults, and for MaxFileSize no limit.
type Limits struct {
	MaxFileSize  int64
	MaxEventSize int
	MaxHeaders   int
}

// Apply sets the limits on reader options.
func (l Limits) Apply(o *freb.Options) {
	o.MaxFileSize, o.MaxEventSize, o.MaxHeaders = l.MaxFileSize, l.MaxEventSize, l.MaxHeaders
}

// ParseLimits reads the limit flags: sizes as bytes or with a unit (KB,
// MB, GB, binary multiples: "64MB" is 64 MiB); "0" for the file size means
// no limit.
func ParseLimits(fileSize, eventSize string, headers int) (Limits, error) {
	var l Limits
	var err error
	if l.MaxFileSize, err = ParseSize(fileSize); err != nil {
		return l, fmt.Errorf("--max-file-size: %w", err)
	}
	ev, err := ParseSize(eventSize)
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

// ParseSize reads "1048576", "512KB", "64MB", "1GB" (multiples of 1024;
// KiB, MiB, GiB and a lone K, M, G are accepted too).
func ParseSize(s string) (int64, error) {
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
