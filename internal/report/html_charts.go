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
