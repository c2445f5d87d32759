package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/scan"
)

// Charts are computed here and drawn by the template as inline SVG: the
// geometry is numbers, every label is text html/template escapes.

// htmlBar is one bar of a horizontal bar chart; W is its length in
// percent of the longest.
type htmlBar struct {
	Label, Value, Note string
	W                  string
}

func bars(cs []scan.Count, n int) []htmlBar {
	if n > 0 && len(cs) > n {
		cs = cs[:n]
	}
	most := 0
	for _, c := range cs {
		most = max(most, c.Count)
	}
	out := make([]htmlBar, 0, len(cs))
	for _, c := range cs {
		w := 0.0
		if most > 0 {
			w = 100 * float64(c.Count) / float64(most)
		}
		out = append(out, htmlBar{Label: clip(c.Key, 200), Value: fmt.Sprintf("%d", c.Count), W: fmt.Sprintf("%.1f", max(w, 0.5))})
	}
	return out
}

// statusClasses are the series of the timeline, stacked bottom-up.
var statusClasses = []string{"2xx", "3xx", "4xx", "5xx", "other"}

// htmlTimeline is requests by status class over time as stacked bars.
type htmlTimeline struct {
	W, H          int
	Rects         []htmlRect
	From, Mid, To string
	Slice         string
	Legend        []htmlLegend
	Peak          int
}

type htmlRect struct {
	X, Y, W, H string
	Class      string
	Title      string
}

type htmlLegend struct {
	Class, Label string
	Count        int
}

func timelineChart(buckets []scan.Bucket) *htmlTimeline {
	if len(buckets) == 0 {
		return nil
	}
	const colW, gap, height = 10.0, 2.0, 100.0
	peak := 0
	totals := map[string]int{}
	for _, b := range buckets {
		n := 0
		for k, c := range b.Counts {
			n += c
			totals[k] += c
		}
		peak = max(peak, n)
	}
	tl := &htmlTimeline{W: int(colW) * len(buckets), H: int(height), Peak: peak}
	for i, b := range buckets {
		y := height
		var parts []string
		for _, cls := range statusClasses {
			n := b.Counts[cls]
			if n == 0 {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s: %d", cls, n))
			h := height * float64(n) / float64(max(peak, 1))
			y -= h
			tl.Rects = append(tl.Rects, htmlRect{X: fmt.Sprintf("%.1f", float64(i)*colW+gap/2), Y: fmt.Sprintf("%.2f", y),
				W: fmt.Sprintf("%.1f", colW-gap), H: fmt.Sprintf("%.2f", h), Class: "c" + cls})
		}
		title := b.Start.UTC().Format("2006-01-02 15:04") + " UTC — " + strings.Join(parts, ", ")
		for j := range tl.Rects {
			if tl.Rects[j].Title == "" {
				tl.Rects[j].Title = title
			}
		}
	}
	size := time.Minute
	if len(buckets) > 1 {
		size = buckets[1].Start.Sub(buckets[0].Start)
	}
	tl.Slice = humanDuration(size)
	layout := "2006-01-02 15:04"
	tl.From = buckets[0].Start.UTC().Format(layout)
	tl.To = buckets[len(buckets)-1].Start.Add(size).UTC().Format(layout) + " UTC"
	if len(buckets) > 2 {
		// The middle label says what changes across the chart: the hour
		// within a day, the date beyond.
		midLayout := "15:04"
		if size*time.Duration(len(buckets)) > 24*time.Hour {
			midLayout = "2006-01-02"
		}
		tl.Mid = buckets[len(buckets)/2].Start.UTC().Format(midLayout)
	}
	keys := make([]string, 0, len(totals))
	for k := range totals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return classOrder(keys[i]) < classOrder(keys[j]) })
	for _, k := range keys {
		tl.Legend = append(tl.Legend, htmlLegend{Class: "c" + k, Label: k, Count: totals[k]})
	}
	return tl
}

func classOrder(c string) int {
	for i, s := range statusClasses {
		if s == c {
			return i
		}
	}
	return len(statusClasses)
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= 365*24*time.Hour && d%(365*24*time.Hour) == 0:
		return fmt.Sprintf("%d-year", d/(365*24*time.Hour))
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d-day", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d-hour", d/time.Hour)
	}
	return fmt.Sprintf("%d-minute", d/time.Minute)
}

// htmlGroupTimeline is one finding group's occurrences over time: bars
// scaled to the group's own span and peak, not the scan's, so a burst of
// a few minutes in a scan of years keeps its shape.
type htmlGroupTimeline struct {
	W, H    int
	Rects   []htmlRect
	From    string
	To      string
	Slice   string
	Peak    int
	Summary string
}

// groupTimelineChart draws a group's timeline; nil when it has fewer than
// two slices (the group's "seen" time says all there is).
func groupTimelineChart(tl *scan.Timeline) *htmlGroupTimeline {
	if tl == nil || len(tl.Counts) < 2 {
		return nil
	}
	const colW, gap, height = 10.0, 2.0, 40.0
	step := tl.Step()
	peak, peakAt, total := 0, 0, 0
	for i, n := range tl.Counts {
		total += n
		if n > peak {
			peak, peakAt = n, i
		}
	}
	layout := sliceLayout(step)
	c := &htmlGroupTimeline{W: int(colW) * len(tl.Counts), H: int(height), Peak: peak, Slice: humanDuration(step)}
	for i, n := range tl.Counts {
		if n == 0 {
			continue
		}
		// A slice of one finding under a peak of hundreds stays visible.
		h := max(height*float64(n)/float64(peak), 3)
		start := tl.Start.Add(step * time.Duration(i))
		c.Rects = append(c.Rects, htmlRect{X: fmt.Sprintf("%.1f", float64(i)*colW+gap/2), Y: fmt.Sprintf("%.2f", height-h),
			W: fmt.Sprintf("%.1f", colW-gap), H: fmt.Sprintf("%.2f", h),
			Title: fmt.Sprintf("%s UTC: %d finding%s", start.UTC().Format(layout), n, plural(n))})
	}
	end := tl.Start.Add(step * time.Duration(len(tl.Counts)))
	c.From, c.To = tl.Start.UTC().Format(layout), end.UTC().Format(layout)+" UTC"
	c.Summary = fmt.Sprintf("%d finding%s from %s to %s in %s slices; the most, %d, in the slice from %s",
		total, plural(total), c.From, c.To, c.Slice, peak, tl.Start.Add(step*time.Duration(peakAt)).UTC().Format(layout))
	return c
}

// sliceLayout writes slice starts as precisely as the slices need.
func sliceLayout(step time.Duration) string {
	if step >= 24*time.Hour {
		return "2006-01-02"
	}
	return "2006-01-02 15:04"
}
