package state

import (
	"slices"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// Window is the recent correlation steps a scheduled scan hands to the
// next one, so a handshake split across two runs is still recognised.
// It holds diagnose's own sequences: no copy of their fields here can
// fall behind when one is added.
type Window []diagnose.Sequence

// Seed returns the stored correlation window for the next scan.
func (s *State) Seed() []*diagnose.Sequence {
	out := make([]*diagnose.Sequence, len(s.Window))
	for i, seq := range s.Window {
		// The scan appends to its sequences: not to the state's arrays.
		seq.Steps = slices.Clone(seq.Steps)
		out[i] = &seq
	}
	return out
}

// SetWindow keeps the steps newer than window before the newest step seen,
// bounded per sequence and in number of sequences.
func (s *State) SetWindow(seqs []*diagnose.Sequence, window time.Duration) {
	var newest time.Time
	for _, seq := range seqs {
		for _, st := range seq.Steps {
			if st.Time.After(newest) {
				newest = st.Time
			}
		}
	}
	cutoff := newest.Add(-window)
	out := Window{}
	for _, seq := range seqs {
		var steps []diagnose.SequenceStep
		for _, st := range seq.Steps {
			if !st.Time.Before(cutoff) {
				steps = append(steps, st)
			}
		}
		if len(steps) == 0 {
			continue
		}
		if len(steps) > maxStepsPerKey {
			steps = steps[len(steps)-maxStepsPerKey:]
		}
		kept := *seq
		kept.Steps = steps
		out = append(out, kept)
	}
	if len(out) > maxKeys {
		out = out[len(out)-maxKeys:]
	}
	s.Window = out
}
