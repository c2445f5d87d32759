package scan

import (
	"testing"
	"time"
)

func TestGroupTimeline(t *testing.T) {
	t.Parallel()
	base := time.Date(2024, 3, 12, 14, 2, 31, 0, time.UTC)
	every := func(n int, gap time.Duration) []time.Time {
		var out []time.Time
		for i := range n {
			out = append(out, base.Add(time.Duration(i)*gap))
		}
		return out
	}
	tests := []struct {
		name  string
		times []time.Time
		// remove are taken away again (findings a more specific rule
		// superseded at the end of the scan).
		remove    []time.Time
		step      time.Duration
		start     time.Time
		slices    int
		wantFirst int
	}{
		{name: "a burst of two minutes in minutes", times: []time.Time{base, base.Add(10 * time.Second), base.Add(2 * time.Minute)},
			step: time.Minute, start: base.Truncate(time.Minute), slices: 3, wantFirst: 2},
		{name: "one occurrence", times: []time.Time{base}, step: time.Minute, start: base.Truncate(time.Minute), slices: 1, wantFirst: 1},
		{name: "an hour in 5 minutes", times: every(61, time.Minute), step: 5 * time.Minute, start: base.Truncate(5 * time.Minute), slices: 13, wantFirst: 3},
		{name: "years like the corpus (2012-2026) in 360 days", times: []time.Time{base.AddDate(-12, 0, 0), base.AddDate(-5, 0, 0), base, base},
			step: 360 * 24 * time.Hour, start: base.AddDate(-12, 0, 0).Truncate(360 * 24 * time.Hour), slices: 13, wantFirst: 1},
		{name: "many minutes merged while scanning, counts exact", times: every(5000, time.Minute), step: 6 * time.Hour, start: base.Truncate(6 * time.Hour), slices: 15},
		{name: "a finding taken back", times: []time.Time{base, base.Add(3 * time.Minute)}, remove: []time.Time{base},
			step: time.Minute, start: base.Add(3 * time.Minute).Truncate(time.Minute), slices: 1, wantFirst: 1},
		{name: "no time", times: []time.Time{{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var h histogram
			for _, tm := range tc.times {
				h.add(tm, 1)
			}
			for _, tm := range tc.remove {
				h.add(tm, -1)
			}
			if len(h.counts) > histogramKeep {
				t.Errorf("%d slices held, more than %d", len(h.counts), histogramKeep)
			}
			tl := h.timeline()
			if tc.slices == 0 {
				if tl != nil {
					t.Fatalf("timeline %+v for no timed occurrence", tl)
				}
				return
			}
			if tl == nil {
				t.Fatal("no timeline")
			}
			if tl.Step() != tc.step || !tl.Start.Equal(tc.start) || len(tl.Counts) != tc.slices {
				t.Errorf("step %v, start %v, %d slices; want %v, %v, %d", tl.Step(), tl.Start, len(tl.Counts), tc.step, tc.start, tc.slices)
			}
			if len(tl.Counts) > groupTimelineSlices {
				t.Errorf("%d slices, more than %d", len(tl.Counts), groupTimelineSlices)
			}
			sum := 0
			for _, n := range tl.Counts {
				sum += n
			}
			if want := len(tc.times) - len(tc.remove); sum != want {
				t.Errorf("counts add up to %d, want %d", sum, want)
			}
			if tc.wantFirst != 0 && tl.Counts[0] != tc.wantFirst {
				t.Errorf("first slice %d, want %d", tl.Counts[0], tc.wantFirst)
			}
			if tl.Counts[len(tl.Counts)-1] == 0 || tl.Counts[0] == 0 {
				t.Errorf("the slices do not span first to last occurrence: %v", tl.Counts)
			}
		})
	}
}

// TestGroupTimelinesAddUp holds every group's timeline to its count on the
// samples, whose traces all have times.
func TestGroupTimelinesAddUp(t *testing.T) {
	t.Parallel()
	r := run(t, Options{Inputs: []string{samples}})
	for _, g := range r.Findings {
		if g.Timeline == nil {
			t.Errorf("%s: no timeline", g.Rule)
			continue
		}
		sum := 0
		for _, n := range g.Timeline.Counts {
			sum += n
		}
		if sum != g.Count {
			t.Errorf("%s: timeline adds up to %d, count %d", g.Rule, sum, g.Count)
		}
		if g.Timeline.Start.After(g.FirstSeen) {
			t.Errorf("%s: timeline starts %v, after the first finding %v", g.Rule, g.Timeline.Start, g.FirstSeen)
		}
	}
}
