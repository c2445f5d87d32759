//go:build !race

// Scan tests whose cost is volume in one goroutine: 60,000 rows counted
// into timelines over six spans, every sample made large and detailed.
// The race detector has nothing to find in them and slowed them tenfold;
// make test runs this file in its second pass, without -race.

package scan

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/gen"
)

// TestTimelineCounter: counting as rows come, coarsening past
// maxTimelineKeys, gives the buckets counting every row at the end gives,
// over spans from minutes to decades.
func TestTimelineCounter(t *testing.T) {
	base := time.Date(2024, 3, 12, 6, 0, 0, 0, time.UTC)
	for _, span := range []time.Duration{0, 40 * time.Minute, 30 * time.Hour, 60 * 24 * time.Hour, 3 * 365 * 24 * time.Hour, 70 * 365 * 24 * time.Hour} {
		t.Run(span.String(), func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(span)))
			var times []time.Time
			var codes []int
			c := newTimelineCounter()
			for range 60_000 {
				tm := base.Add(time.Duration(rng.Int63n(int64(span) + 1)))
				code := []int{200, 401, 404, 500, 0}[rng.Intn(5)]
				times, codes = append(times, tm), append(codes, code)
				c.add(tm, code)
			}
			if len(c.counts) > maxTimelineKeys {
				t.Errorf("%d slices held, bound %d", len(c.counts), maxTimelineKeys)
			}
			got, want := c.buckets(), referenceTimeline(times, codes)
			if len(got) != len(want) {
				t.Fatalf("%d buckets, want %d", len(got), len(want))
			}
			for i := range got {
				if !got[i].Start.Equal(want[i].Start) || fmt.Sprint(got[i].Counts) != fmt.Sprint(want[i].Counts) {
					t.Fatalf("bucket %d: %v %v, want %v %v", i, got[i].Start, got[i].Counts, want[i].Start, want[i].Counts)
				}
			}
		})
	}
}

// Every sample made large (its managed pipeline repeated) and detailed
// within a small budget keeps what its findings rest on: the same
// findings as a full read, and every event a view names.
func TestDetailerKeepsWhatFindingsRestOn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cut := 0
	for _, s := range gen.Samples() {
		sc := s.Traces[len(s.Traces)-1]
		sc.Padding = 600
		file := filepath.Join(dir, s.Rule+".xml")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := gen.Write(f, sc); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		opts := withDefaults(Options{DetailBudget: 128 << 10})
		full, err := Detailer(withDefaults(Options{DetailBudget: 1 << 40}))(file)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Detailer(opts)(file)
		if err != nil {
			t.Fatal(err)
		}
		if full.Omitted != nil {
			t.Fatalf("%s: a budget of 1 TB left events out", s.Rule)
		}
		if d.Omitted == nil {
			continue
		}
		cut++
		if got, want := ruleIDs(d), ruleIDs(full); !slices.Equal(got, want) {
			t.Errorf("%s: findings %v within the budget, %v in full", s.Rule, got, want)
		}
		kept := map[int]bool{}
		for _, ev := range d.Events {
			kept[ev.Index] = true
		}
		for _, ev := range full.Events {
			if ev.Level > 0 && ev.Level <= 3 && !kept[ev.Index] {
				t.Errorf("%s: %s (event %d, level %d) left out", s.Rule, ev.Name, ev.Index, ev.Level)
			}
		}
		for _, i := range viewEvents(full.Trace) {
			if !kept[i] {
				t.Errorf("%s: event %d (%s), which a view names, left out", s.Rule, i, full.Events[i].Name)
			}
		}
		if d.Omitted.Events+len(d.Events) != full.EventCount {
			t.Errorf("%s: %d kept + %d left out of %d events", s.Rule, len(d.Events), d.Omitted.Events, full.EventCount)
		}
	}
	if cut < len(gen.Samples())/2 {
		t.Errorf("only %d samples were cut: the test does not test retention", cut)
	}
}
