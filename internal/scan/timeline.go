package scan

import (
	"fmt"
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

// timeline counts rows by status class per time slice.
func timeline(rows []Row) []Bucket {
	var from, to time.Time
	for _, r := range rows {
		if r.Time.IsZero() {
			continue
		}
		if from.IsZero() || r.Time.Before(from) {
			from = r.Time
		}
		if r.Time.After(to) {
			to = r.Time
		}
	}
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
	for _, r := range rows {
		if r.Time.IsZero() {
			continue
		}
		i := int(r.Time.Sub(start) / size)
		if i >= 0 && i < n {
			out[i].Counts[statusClass(r.StatusCode)]++
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
