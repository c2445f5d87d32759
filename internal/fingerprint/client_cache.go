package fingerprint

import (
	"strings"
	"sync"
	"sync/atomic"
)

// maxCachedClients bounds the cache: an archive has a few dozen user
// agents, a scanner sweeping the server a few thousand, and past the
// bound the rules simply run every time.
const maxCachedClients = 4096

// clientCache remembers what each User-Agent was recognised as. The
// regular expressions cost about 40 µs per trace, most of the work of
// preparing a trace for the rules, and a scan sees the same few user
// agents thousands of times. Safe for the scan's workers.
type clientCache struct {
	m   sync.Map // string -> ClientInfo
	n   atomic.Int64
	max int64 // entries kept at most
}

var clients = clientCache{max: maxCachedClients}

func (c *clientCache) get(ua string) ClientInfo {
	if v, ok := c.m.Load(ua); ok {
		return v.(ClientInfo)
	}
	// The key and the Version substring must not point into the caller's
	// string: it may share memory with a whole trace event.
	own := strings.Clone(ua)
	info := recognise(own)
	if c.n.Load() < c.max {
		if _, loaded := c.m.LoadOrStore(own, info); !loaded {
			c.n.Add(1)
		}
	}
	return info
}
