package state

import "time"

// AlertedSince reports whether rule raised an alert at or after since.
func (s *State) AlertedSince(rule string, since time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.Alerted[rule]
	return ok && !t.Before(since)
}

// MarkAlerted records that rule raised an alert at t.
func (s *State) MarkAlerted(rule string, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Alerted == nil {
		s.Alerted = map[string]time.Time{}
	}
	s.Alerted[rule] = t.UTC()
}

// clampAlerted brings alert times later than now back to now: a clock
// that ran fast once must not silence a rule for longer than
// --notify-repeat.
func (s *State) clampAlerted() {
	now := s.now().UTC()
	for rule, t := range s.Alerted {
		if t.After(now) {
			s.Alerted[rule] = now
		}
	}
}
