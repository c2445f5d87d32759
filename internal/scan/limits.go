package scan

import (
	"github.com/frebscan/frebscan/internal/freb"
)

// DefaultMaxFileSize is how much of one file scan and show read by
// default. IIS caps a trace at maxLogFileSizeKB (512 KB unless raised), so
// a file of a gigabyte is a runaway request or not a trace; its first
// gigabyte is read, with a warning, and the scan goes on.
const DefaultMaxFileSize = 1 << 30

// Limits bound what one file may cost (--max-file-size, --max-event-size,
// --max-headers) and what one zip archive may cost (--max-archive-*);
// docs/SECURITY.md explains them. Zero values mean the reader's defaults,
// and for MaxFileSize no limit.
type Limits struct {
	MaxFileSize  int64
	MaxEventSize int
	MaxHeaders   int
	Archive      ArchiveLimits
}

// Apply sets the limits on reader options.
func (l Limits) Apply(o *freb.Options) {
	o.MaxFileSize, o.MaxEventSize, o.MaxHeaders = l.MaxFileSize, l.MaxEventSize, l.MaxHeaders
}
