package diagnose

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/freb"
)

// TestBoundedCorrelator: a client quiet for longer than the window starts
// a new sequence, a step out of time order does not close one, and past
// the cap the least recently extended sequence closes, counted.
func TestBoundedCorrelator(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mk := func(file string, at time.Duration, client string) *Subject {
		return &Subject{
			Trace:  &freb.Trace{File: file, Start: base.Add(at), Verb: "POST", URL: "https://h:443/EWS/Exchange.asmx", StatusCode: 401, ClientAddress: client},
			Client: ClientView{UserAgent: "Mail/9.1"},
		}
	}
	type step struct {
		file   string
		at     time.Duration
		client string
	}
	files := func(seqs []*Sequence) []string {
		var out []string
		for _, s := range seqs {
			var fs []string
			for _, st := range s.Steps {
				fs = append(fs, st.File)
			}
			out = append(out, fmt.Sprint(fs))
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		maxOpen     int
		steps       []step
		closedEarly []string // closed while adding, in order
		atEnd       []string // closed by Close, by key
		evicted     int
	}{
		{
			name:  "within the window: one sequence",
			steps: []step{{"a", 0, "c1"}, {"b", 5 * time.Minute, "c1"}, {"c", 19 * time.Minute, "c1"}},
			atEnd: []string{"[a b c]"},
		},
		{
			name:        "quiet past the window: two",
			steps:       []step{{"a", 0, "c1"}, {"b", time.Second, "c1"}, {"c", 20 * time.Minute, "c1"}},
			closedEarly: []string{"[a b]"},
			atEnd:       []string{"[c]"},
		},
		{
			name:        "full at 3 steps",
			steps:       []step{{"a", 0, "c1"}, {"b", time.Second, "c1"}, {"c", 2 * time.Second, "c1"}, {"d", 3 * time.Second, "c1"}},
			closedEarly: []string{"[a b c]"},
			atEnd:       []string{"[d]"},
		},
		{
			name:  "an earlier step (another server walked later) joins",
			steps: []step{{"b", 30 * time.Minute, "c1"}, {"a", 0, "c1"}, {"c", 31 * time.Minute, "c1"}},
			atEnd: []string{"[a b c]"},
		},
		{
			name:        "cap: the least recently extended closes",
			maxOpen:     2,
			steps:       []step{{"a", 0, "c1"}, {"b", 0, "c2"}, {"a2", time.Second, "c1"}, {"c", 0, "c3"}},
			closedEarly: []string{"[b]"},
			atEnd:       []string{"[a a2]", "[c]"},
			evicted:     1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewBoundedCorrelator(15*time.Minute, tc.maxOpen, 3)
			var early []*Sequence
			for _, st := range tc.steps {
				if n := c.Add(mk(st.file, st.at, st.client)); n != 1 {
					t.Errorf("%s joined %d sequences, want 1 (no proxy connection)", st.file, n)
				}
				early = append(early, c.TakeClosed()...)
			}
			if got := files(early); !slices.Equal(got, tc.closedEarly) {
				t.Errorf("closed early %v, want %v", got, tc.closedEarly)
			}
			if got := files(c.Close()); !slices.Equal(got, tc.atEnd) {
				t.Errorf("closed at the end %v, want %v", got, tc.atEnd)
			}
			if c.Evicted() != tc.evicted {
				t.Errorf("evicted %d, want %d", c.Evicted(), tc.evicted)
			}
			if len(c.All()) != 0 {
				t.Errorf("%d sequences open after Close", len(c.All()))
			}
		})
	}
}

// TestEvictOldest closes the least recently extended sequence.
func TestEvictOldest(t *testing.T) {
	c := NewBoundedCorrelator(0, 0, 0)
	for i, client := range []string{"c1", "c2", "c1"} {
		c.Add(&Subject{Trace: &freb.Trace{File: fmt.Sprint(i), ClientAddress: client, URL: "/"}})
	}
	if !c.EvictOldest() {
		t.Fatal("nothing evicted")
	}
	got := c.TakeClosed()
	if len(got) != 1 || got[0].Client != "c2" {
		t.Fatalf("evicted %v, want c2's sequence", got)
	}
	c.EvictOldest()
	if c.EvictOldest() {
		t.Error("evicted from an empty correlator")
	}
}
