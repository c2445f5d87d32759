package state

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"github.com/frebscan/frebscan/internal/atomicfile"
)

// Journal is the run in progress, committed to the state file before the
// run has any effect outside it (an incident report, an alert), so a run
// killed half-way is finished by the next one instead of repeated:
//
//  1. the traces the run analysed, the incident name it will write and
//     the alerts of earlier runs still to send are saved (Written false);
//  2. the incident report is written under that name, then Written and
//     the run's own alert are saved;
//  3. the alerts are sent on each channel, then the journal is cleared
//     (or keeps what a channel did not confirm).
//
// A next run that finds Written false analyses Traces again and writes
// its incident under the same name, replacing whatever part of it exists
// (exactly one incident per trace). One that finds an alert still pending
// sends it again with the same ID (at least once; a receiver drops a
// repeat by ID).
type Journal struct {
	Started time.Time `json:"started"`
	// Incident is the incident name (its UTC stamp) reserved for the run;
	// "" without --out-dir.
	Incident string `json:"incident,omitempty"`
	// Traces are the keys of the files the run recorded.
	Traces  Names `json:"traces"`
	Written bool  `json:"written"`
	// Alerts are the alerts some channel has not confirmed: those of
	// earlier runs, and this run's own once its incident is written.
	Alerts []*PendingAlert `json:"alerts,omitempty"`
}

// PendingAlert is an alert committed but not yet confirmed by every
// channel: what to send again, byte for byte.
type PendingAlert struct {
	ID    string    `json:"id"`
	Rules []string  `json:"rules"`
	Time  time.Time `json:"time"`
	// Summary is the JSON document --notify-cmd receives, kept as a
	// string so it is re-sent byte for byte; Text the event log message;
	// Error whether the event is an Error (else a Warning).
	Summary  string `json:"summary"`
	Text     string `json:"text"`
	Error    bool   `json:"error,omitempty"`
	Notify   bool   `json:"notify,omitempty"`
	EventLog bool   `json:"eventLog,omitempty"`
}

// Done reports whether every channel has confirmed the alert.
func (a *PendingAlert) Done() bool { return a == nil || (!a.Notify && !a.EventLog) }

// Names is a list of file keys, stored byte-exact (see FileTable).
type Names []string

// MarshalJSON encodes names that are not valid UTF-8 (see FileTable).
func (n Names) MarshalJSON() ([]byte, error) {
	out := make([]string, len(n))
	for i, s := range n {
		out[i] = encodeName(s)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (n *Names) UnmarshalJSON(b []byte) error {
	var in []string
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*n = make(Names, len(in))
	for i, s := range in {
		d, err := decodeName(s)
		if err != nil {
			return err
		}
		(*n)[i] = d
	}
	return nil
}

// Recorded returns the keys of the files this run has recorded so far,
// in key order.
func (s *State) Recorded() Names {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Names{}
	t := s.files
	t.walk(func(i int) {
		if t.recs[i].flags&flagRecorded != 0 {
			out = append(out, t.key(i))
		}
	}, func(k string, f File) {
		if f.recorded {
			out = append(out, k)
		}
	})
	return out
}

// Save commits the state to path (0600: it names clients and user
// agents), replacing the file in one step.
func (s *State) Save(path string) error {
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 256<<10)
		if err := s.write(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// redoPending makes Skip read again the traces of a run that stopped
// before its incident report was written: the next incident must cover
// them.
func (s *State) redoPending() {
	if s.Journal == nil || s.Journal.Written {
		return
	}
	s.redo = map[string]bool{}
	for _, k := range s.Journal.Traces {
		s.redo[k] = true
	}
}
