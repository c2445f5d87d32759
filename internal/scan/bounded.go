package scan

import (
	"container/heap"
	"hash/fnv"
	"sort"
)

// The tables of a scan are built from counters whose memory must not grow
// with the number of traces: a fleet scan sees a new client address on
// almost every trace. Small domains (statuses, servers, sites) keep exact
// counts; open ones (URLs, clients, user agents) keep a fixed number of
// keys with the space-saving algorithm (Metwally, Agrawal and El Abbadi,
// 2005), which is exact while the keys seen fit and otherwise keeps every
// key more frequent than total/capacity, with counts that may be too high
// by at most the smallest count kept. Reports say when a table is
// approximate.

// Capacities of the bounded counters: the scan-wide tables, and the
// tables of each finding group (there are as many groups as rules).
const (
	tableKeys = 4096
	groupKeys = 256
	// distinctKeys is how many clients a group counts exactly before its
	// incident count becomes an estimate.
	distinctKeys = 4096
)

// topCounter counts keys, exactly up to its capacity and approximately
// beyond (space-saving); capacity 0 keeps every key.
type topCounter struct {
	capacity int
	index    map[string]*ssEntry
	heap     ssHeap // by count, smallest first: the entry to replace
	// approximate is set once a key was replaced to make room.
	approximate bool
}

type ssEntry struct {
	key   string
	count int
	at    int // place in the heap
}

func newTopCounter(capacity int) *topCounter {
	return &topCounter{capacity: capacity, index: map[string]*ssEntry{}}
}

// add counts one occurrence of k; the empty key is not counted.
func (c *topCounter) add(k string) {
	if k == "" {
		return
	}
	if e, ok := c.index[k]; ok {
		e.count++
		heap.Fix(&c.heap, e.at)
		return
	}
	if c.capacity > 0 && len(c.heap) >= c.capacity {
		// The least counted key makes room: the new key inherits its
		// count, which bounds how often the new key may have been missed.
		e := c.heap[0]
		delete(c.index, e.key)
		e.key = k
		e.count++
		c.index[k] = e
		heap.Fix(&c.heap, 0)
		c.approximate = true
		return
	}
	e := &ssEntry{key: k, count: 1}
	c.index[k] = e
	heap.Push(&c.heap, e)
}

// top returns the n most frequent keys (every key for n <= 0), ties by
// key.
func (c *topCounter) top(n int) []Count {
	out := make([]Count, 0, len(c.heap))
	for _, e := range c.heap {
		out = append(out, Count{Key: e.key, Count: e.count})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// len is how many keys the counter holds.
func (c *topCounter) len() int { return len(c.heap) }

type ssHeap []*ssEntry

func (h ssHeap) Len() int { return len(h) }
func (h ssHeap) Less(i, j int) bool {
	if h[i].count != h[j].count {
		return h[i].count < h[j].count
	}
	// Ties go by key so that which key is replaced does not depend on
	// the heap's history beyond the counts.
	return h[i].key > h[j].key
}
func (h ssHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].at, h[j].at = i, j
}
func (h *ssHeap) Push(x any) {
	e := x.(*ssEntry)
	e.at = len(*h)
	*h = append(*h, e)
}
func (h *ssHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// distinct counts distinct keys: exactly up to its capacity, then by the
// k-minimum-values estimate (Bar-Yossef et al., 2002) from the capacity
// smallest hashes, which is within a few per cent for a capacity in the
// thousands.
type distinct struct {
	capacity int
	seen     map[uint64]struct{}
	// largest is a max-heap of the hashes kept once past capacity.
	largest     maxHeap
	approximate bool
}

func newDistinct(capacity int) *distinct {
	return &distinct{capacity: capacity, seen: map[uint64]struct{}{}}
}

func (d *distinct) add(k string) {
	h := hash64(k)
	if _, ok := d.seen[h]; ok {
		return
	}
	if len(d.seen) < d.capacity {
		d.seen[h] = struct{}{}
		heap.Push(&d.largest, h)
		return
	}
	d.approximate = true
	if h >= d.largest[0] {
		return
	}
	delete(d.seen, d.largest[0])
	d.largest[0] = h
	heap.Fix(&d.largest, 0)
	d.seen[h] = struct{}{}
}

// count is the number of distinct keys added, estimated once approximate.
func (d *distinct) count() int {
	if !d.approximate {
		return len(d.seen)
	}
	// The k-th smallest of n uniform hashes is about k/n of the range.
	kth := float64(d.largest[0]) / float64(^uint64(0))
	if kth <= 0 {
		return len(d.seen)
	}
	return int(float64(d.capacity-1) / kth)
}

// hash64 is FNV-1a finished with the splitmix64 mixer, so that hashes of
// similar strings (addresses differing in the last digit) spread over the
// whole range as the estimate needs; fixed, so runs agree.
func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

type maxHeap []uint64

func (h maxHeap) Len() int           { return len(h) }
func (h maxHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h maxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *maxHeap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
