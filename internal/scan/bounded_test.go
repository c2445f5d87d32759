package scan

import (
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// TestTopCounter: exact while the keys fit, flagged approximate past the
// capacity, and the heavy hitters kept with counts never too low.
func TestTopCounter(t *testing.T) {
	for _, tc := range []struct {
		name     string
		capacity int
		heavy    int // keys added 100 times each
		light    int // keys added once each
		// Space-saving keeps every key more frequent than total/capacity:
		// 100 > 5500/128 in "overflows".
		approx     bool
		wantTopLen int
	}{
		{"fits", 64, 5, 50, false, 5},
		{"exactly full", 55, 5, 50, false, 5},
		{"overflows", 128, 5, 5000, true, 5},
		{"unbounded", 0, 5, 5000, false, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTopCounter(tc.capacity)
			exact := map[string]int{}
			rng := rand.New(rand.NewSource(1))
			var seq []string
			for h := range tc.heavy {
				for range 100 {
					seq = append(seq, fmt.Sprintf("heavy-%d", h))
				}
			}
			for l := range tc.light {
				seq = append(seq, fmt.Sprintf("light-%d", l))
			}
			rng.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })
			for _, k := range seq {
				c.add(k)
				exact[k]++
			}
			c.add("")
			if c.approximate != tc.approx {
				t.Errorf("approximate = %v, want %v", c.approximate, tc.approx)
			}
			if tc.capacity > 0 && c.len() > tc.capacity {
				t.Errorf("%d keys held, capacity %d", c.len(), tc.capacity)
			}
			top := c.top(tc.wantTopLen)
			for _, e := range top {
				if !tc.approx && e.Count != exact[e.Key] {
					t.Errorf("%s: %d, want exactly %d", e.Key, e.Count, exact[e.Key])
				}
				if e.Count < exact[e.Key] {
					t.Errorf("%s: %d, below its true count %d", e.Key, e.Count, exact[e.Key])
				}
				if e.Key[:5] != "heavy" {
					t.Errorf("top holds %s, want only the heavy keys", e.Key)
				}
			}
		})
	}
}

// TestDistinct: exact up to the capacity, within 10 % beyond.
func TestDistinct(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 4096, 4097, 100_000} {
		d := newDistinct(4096)
		for i := range n {
			d.add(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			d.add(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)) // twice: counted once
		}
		got := d.count()
		if n <= 4096 {
			if got != n || d.approximate {
				t.Errorf("%d distinct: %d (approximate %v), want exactly %d", n, got, d.approximate, n)
			}
			continue
		}
		if !d.approximate {
			t.Errorf("%d distinct: not flagged approximate", n)
		}
		t.Logf("%d distinct: estimated %d", n, got)
		if err := float64(got-n) / float64(n); err > 0.1 || err < -0.1 {
			t.Errorf("%d distinct: estimated %d (%.1f %%)", n, got, err*100)
		}
	}
}

// referenceTimeline counts every row's time at the bucket size chosen,
// as the timeline did when it held all rows.
func referenceTimeline(times []time.Time, codes []int) []Bucket {
	c := &timelineCounter{counts: map[int64]map[string]int{}}
	for i, tm := range times {
		if c.from.IsZero() || tm.Before(c.from) {
			c.from = tm
		}
		if tm.After(c.to) {
			c.to = tm
		}
		_ = codes[i]
	}
	out := (&timelineCounter{counts: map[int64]map[string]int{}, from: c.from, to: c.to}).buckets()
	if len(out) == 0 {
		return out
	}
	size := time.Duration(1)
	if len(out) > 1 {
		size = out[1].Start.Sub(out[0].Start)
	} else {
		for _, s := range bucketSizes {
			if int(c.to.Sub(c.from)/s)+1 <= maxBuckets {
				size = s
				break
			}
		}
	}
	for i, tm := range times {
		k := int(tm.Sub(out[0].Start) / size)
		out[k].Counts[statusClass(codes[i])]++
	}
	return out
}

// TestRowStore: rows come back in report order whatever the batch size,
// from memory when they fit and from a spill file otherwise, which is
// never left behind.
func TestRowStore(t *testing.T) {
	base := time.Date(2024, 3, 12, 6, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewSource(2))
	var rows []Row
	for i := range 1000 {
		// Many rows share a millisecond: the file breaks the tie.
		rows = append(rows, Row{File: fmt.Sprintf("f%04d.xml", rng.Intn(100000)*10+i%10), Time: base.Add(time.Duration(rng.Intn(50)) * time.Millisecond),
			Findings: []Ref{}, StatusCode: 200 + i%3, ID: [16]byte{byte(i)}})
	}
	want := slices.Clone(rows)
	sortRows(want)
	for _, limit := range []int{1, 7, 999, 1000, 5000} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			dir := t.TempDir()
			s := newRowStore(limit, dir)
			for _, r := range rows {
				s.add(r)
			}
			s.done()
			if spilled := s.file != nil; spilled != (limit < len(rows)) {
				t.Errorf("spilled = %v with %d rows of at most %d a batch", spilled, len(rows), limit)
			}
			var got []Row
			if err := s.each(func(r *Row) error { got = append(got, *r); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d rows back, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].File != want[i].File || !got[i].Time.Equal(want[i].Time) || got[i].ID != want[i].ID || got[i].Findings == nil {
					t.Fatalf("row %d: %s %v, want %s %v", i, got[i].File, got[i].Time, want[i].File, want[i].Time)
				}
			}
			if err := s.close(); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestRowStoreUnwritableDir: a spill that cannot be created is an error
// that says what to do, not a panic or a silent loss of rows.
func TestRowStoreUnwritableDir(t *testing.T) {
	s := newRowStore(1, "/nonexistent/frebscan")
	s.add(Row{File: "a"})
	s.add(Row{File: "b"})
	s.done()
	err := s.each(func(*Row) error { return nil })
	if err == nil {
		t.Fatal("no error from a spill into a missing directory")
	}
	t.Log(err)
}

// TestUnansweredChallengesOutliveTheirSequence: a sequence that closes on
// an NTLM challenge before the scan ends (window or eviction) is kept for
// the note on handshakes abandoned outside IIS, until a later sequence of
// the same client, agent and URL answers it; the sequences finish closes
// are Result.Correlation's and not kept twice; the list is bounded.
func TestUnansweredChallengesOutliveTheirSequence(t *testing.T) {
	step := func(code, ntlm int, sec int64) diagnose.SequenceStep {
		return diagnose.SequenceStep{Code: code, NTLMType: ntlm, Time: time.Unix(sec, 0)}
	}
	seq := func(key string, steps ...diagnose.SequenceStep) *diagnose.Sequence {
		return &diagnose.Sequence{Key: key, Client: key, Steps: steps}
	}
	a := &aggregator{r: &Result{}}
	a.noteUnanswered(seq("a", step(401, 0, 1), step(401, 1, 2)))
	a.noteUnanswered(seq("b", step(401, 1, 1)))
	a.noteUnanswered(seq("c", step(401, 1, 1), step(200, 3, 2))) // answered
	conn := seq("d", step(401, 1, 1))
	conn.ByConnection = true
	a.noteUnanswered(conn)
	if got := keys(a.r.Unanswered); got != "a b" {
		t.Fatalf("kept %q, want \"a b\"", got)
	}
	a.noteUnanswered(seq("b", step(401, 1, 900), step(200, 3, 901))) // b came back and answered
	if got := keys(a.r.Unanswered); got != "a" {
		t.Fatalf("after b answered: kept %q, want \"a\"", got)
	}
	a.finishing = true
	a.noteUnanswered(seq("e", step(401, 1, 1)))
	if got := keys(a.r.Unanswered); got != "a" {
		t.Fatalf("a sequence closed by finish was kept: %q", got)
	}
	a = &aggregator{r: &Result{}}
	for i := 0; i < maxUnanswered+10; i++ {
		a.noteUnanswered(seq(fmt.Sprint(i), step(401, 1, 1)))
	}
	if len(a.r.Unanswered) != maxUnanswered {
		t.Errorf("%d kept, bound %d", len(a.r.Unanswered), maxUnanswered)
	}
}

func keys(seqs []*diagnose.Sequence) string {
	var k []string
	for _, s := range seqs {
		k = append(k, s.Key)
	}
	return strings.Join(k, " ")
}
