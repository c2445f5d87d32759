package scan

import (
	"fmt"
	"math"
	"os"
	"time"

	"github.com/frebscan/frebscan/internal/redact"
)

// bucketSizes are the time slices a timeline may use, smallest first; the
// first that gives at most maxBuckets slices is chosen.
//
// The longest are for archives that span years (the public corpus runs
// from 2012 to 2026): with weeks at most, such a chart had hundreds of
// empty slices and looked empty.
var bucketSizes = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour,
	30 * 24 * time.Hour, 91 * 24 * time.Hour, 365 * 24 * time.Hour, 5 * 365 * 24 * time.Hour}

const maxBuckets = 48

// timelineLevels are the resolutions the timeline counts at while the
// scan runs, finest first. Each divides every bucket size it may have to
// serve: more than maxTimelineKeys distinct minutes span more than 13 days,
// which a timeline shows in days or more; as many hours span years; as
// many days, decades.
var timelineLevels = []time.Duration{time.Minute, time.Hour, 24 * time.Hour, 365 * 24 * time.Hour}

const maxTimelineKeys = 20_000

// timelineCounter counts rows by status class per slice of time as they
// come, in memory bounded by maxTimelineKeys, so the timeline needs no
// second pass over the rows and gives the same buckets as counting the
// rows at the end.
type timelineCounter struct {
	level    int
	counts   map[int64]map[string]int // slice start (Unix seconds at the level) -> class -> count
	from, to time.Time
}

func newTimelineCounter() *timelineCounter {
	return &timelineCounter{counts: map[int64]map[string]int{}}
}

func (c *timelineCounter) add(t time.Time, code int) {
	if t.IsZero() {
		return
	}
	if c.from.IsZero() || t.Before(c.from) {
		c.from = t
	}
	if t.After(c.to) {
		c.to = t
	}
	k := t.Truncate(timelineLevels[c.level]).Unix()
	m := c.counts[k]
	if m == nil {
		m = map[string]int{}
		c.counts[k] = m
	}
	m[statusClass(code)]++
	for len(c.counts) > maxTimelineKeys && c.level < len(timelineLevels)-1 {
		c.coarsen()
	}
}

// coarsen merges the counts into the next level's slices.
func (c *timelineCounter) coarsen() {
	c.level++
	size := timelineLevels[c.level]
	out := map[int64]map[string]int{}
	for k, m := range c.counts {
		nk := time.Unix(k, 0).UTC().Truncate(size).Unix()
		dst := out[nk]
		if dst == nil {
			dst = map[string]int{}
			out[nk] = dst
		}
		for class, n := range m {
			dst[class] += n
		}
	}
	c.counts = out
}

// buckets is the timeline: the smallest bucket size that gives at most
// maxBuckets slices between the first and the last row.
func (c *timelineCounter) buckets() []Bucket {
	from, to := c.from, c.to
	if from.IsZero() {
		return []Bucket{}
	}
	size := bucketSizes[len(bucketSizes)-1]
	for _, s := range bucketSizes {
		if int(to.Sub(from)/s)+1 <= maxBuckets {
			size = s
			break
		}
	}
	start := from.Truncate(size)
	n := int(to.Sub(start)/size) + 1
	out := make([]Bucket, n)
	for i := range out {
		out[i] = Bucket{Start: start.Add(time.Duration(i) * size), Counts: map[string]int{}}
	}
	for k, m := range c.counts {
		i := int(time.Unix(k, 0).Sub(start) / size)
		if i >= 0 && i < n {
			for class, cnt := range m {
				out[i].Counts[class] += cnt
			}
		}
	}
	return out
}

func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return fmt.Sprintf("%dxx", code/100)
}

// fileTime is the modification time of a trace that has no event to date
// it by.
func fileTime(path string) time.Time {
	fi, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime().UTC()
}

func redactURL(u string) string { return redact.URL(u) }

// Timeline is when one finding group's occurrences happened: Counts[i]
// findings in the slice that starts at Start + i×Step. The slices span the
// group's own first to last occurrence, so a burst of two minutes inside a
// scan of two years still shows its shape; counts are exact.
type Timeline struct {
	Start       time.Time `json:"start"`
	StepSeconds int64     `json:"stepSeconds"`
	Counts      []int     `json:"counts"`
}

// Step is the length of one slice.
func (t *Timeline) Step() time.Duration { return time.Duration(t.StepSeconds) * time.Second }

// histogramSteps are the slice lengths a group's timeline may use. Each
// divides the next and time.Truncate aligns them on the same origin, so
// counts kept at one length add up exactly into the next (unlike
// bucketSizes, whose week and 30 days do not nest).
var histogramSteps = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour,
	5 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour, 360 * 24 * time.Hour, 1800 * 24 * time.Hour, 18000 * 24 * time.Hour}

const (
	// histogramKeep bounds the slices a group holds while scanning: past
	// it, every slice is merged into the next length. A group costs at
	// most this many map entries however many findings it has.
	histogramKeep = 256
	// groupTimelineSlices bounds the slices of the chart.
	groupTimelineSlices = 40
)

// histogram counts occurrence times in slices of histogramSteps[level],
// merging into longer slices as it grows; the zero value is ready.
type histogram struct {
	level int
	// counts are keyed by the slice's start in Unix seconds: a time.Time
	// key would tell the same instant in two locations apart.
	counts map[int64]int
}

func (h *histogram) step() time.Duration { return histogramSteps[h.level] }

func (h *histogram) add(t time.Time, n int) {
	if t.IsZero() {
		return
	}
	if h.counts == nil {
		h.counts = map[int64]int{}
	}
	k := t.Truncate(h.step()).Unix()
	if h.counts[k] += n; h.counts[k] <= 0 {
		delete(h.counts, k)
	}
	for len(h.counts) > histogramKeep && h.level < len(histogramSteps)-1 {
		h.coarsen()
	}
}

// coarsen merges every slice into the next length.
func (h *histogram) coarsen() {
	h.level++
	merged := make(map[int64]int, len(h.counts))
	for k, n := range h.counts {
		merged[time.Unix(k, 0).Truncate(h.step()).Unix()] += n
	}
	h.counts = merged
}

// timeline returns the counts in at most groupTimelineSlices slices from
// the first occurrence to the last, or nil when no occurrence had a time.
func (h *histogram) timeline() *Timeline {
	if len(h.counts) == 0 {
		return nil
	}
	c := histogram{level: h.level, counts: make(map[int64]int, len(h.counts))}
	for k, n := range h.counts {
		c.counts[k] = n
	}
	for {
		first, last := int64(math.MaxInt64), int64(math.MinInt64)
		for k := range c.counts {
			first, last = min(first, k), max(last, k)
		}
		step := int64(c.step() / time.Second)
		n := int((last-first)/step) + 1
		if n <= groupTimelineSlices || c.level == len(histogramSteps)-1 {
			out := &Timeline{Start: time.Unix(first, 0).UTC(), StepSeconds: step, Counts: make([]int, n)}
			for k, v := range c.counts {
				out.Counts[(k-first)/step] = v
			}
			return out
		}
		c.coarsen()
	}
}
