package schedule

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/unicode"
)

// TaskNamespace is the Task Scheduler schema namespace.
const TaskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task"

// systemSID is the LocalSystem account: it can read the FREB directory
// and write the event log without a stored password.
const systemSID = "S-1-5-18"

// Task is the subset of the Task Scheduler schema (version 1.2, Windows
// 7 / Server 2008 R2 and later) frebscan sets. Field order follows what
// Task Scheduler itself exports.
type Task struct {
	XMLName          xml.Name         `xml:"Task"`
	Version          string           `xml:"version,attr"`
	Xmlns            string           `xml:"xmlns,attr"`
	RegistrationInfo RegistrationInfo `xml:"RegistrationInfo"`
	Triggers         Triggers         `xml:"Triggers"`
	Principals       Principals       `xml:"Principals"`
	Settings         Settings         `xml:"Settings"`
	Actions          Actions          `xml:"Actions"`
}

// RegistrationInfo describes the task in Task Scheduler's UI.
type RegistrationInfo struct {
	Author        string `xml:"Author"`
	Description   string `xml:"Description"`
	Documentation string `xml:"Documentation,omitempty"`
}

// Triggers hold the one time trigger.
type Triggers struct {
	TimeTrigger TimeTrigger `xml:"TimeTrigger"`
}

// TimeTrigger starts once at StartBoundary and repeats for ever.
type TimeTrigger struct {
	Repetition    Repetition `xml:"Repetition"`
	StartBoundary string     `xml:"StartBoundary"`
	Enabled       bool       `xml:"Enabled"`
}

// Repetition without a Duration repeats indefinitely.
type Repetition struct {
	Interval          string `xml:"Interval"`
	StopAtDurationEnd bool   `xml:"StopAtDurationEnd"`
}

// Principals hold the account the task runs as.
type Principals struct {
	Principal Principal `xml:"Principal"`
}

// Principal is the account and its privileges.
type Principal struct {
	ID       string `xml:"id,attr"`
	UserID   string `xml:"UserId"`
	RunLevel string `xml:"RunLevel"`
}

// Settings control overlap, limits and power.
type Settings struct {
	MultipleInstancesPolicy    string       `xml:"MultipleInstancesPolicy"`
	DisallowStartIfOnBatteries bool         `xml:"DisallowStartIfOnBatteries"`
	StopIfGoingOnBatteries     bool         `xml:"StopIfGoingOnBatteries"`
	AllowHardTerminate         bool         `xml:"AllowHardTerminate"`
	StartWhenAvailable         bool         `xml:"StartWhenAvailable"`
	RunOnlyIfNetworkAvailable  bool         `xml:"RunOnlyIfNetworkAvailable"`
	IdleSettings               IdleSettings `xml:"IdleSettings"`
	AllowStartOnDemand         bool         `xml:"AllowStartOnDemand"`
	Enabled                    bool         `xml:"Enabled"`
	Hidden                     bool         `xml:"Hidden"`
	RunOnlyIfIdle              bool         `xml:"RunOnlyIfIdle"`
	WakeToRun                  bool         `xml:"WakeToRun"`
	ExecutionTimeLimit         string       `xml:"ExecutionTimeLimit"`
	Priority                   int          `xml:"Priority"`
}

// IdleSettings keep an idle machine from stopping the task.
type IdleSettings struct {
	StopOnIdleEnd bool `xml:"StopOnIdleEnd"`
	RestartOnIdle bool `xml:"RestartOnIdle"`
}

// Actions hold the one program to run.
type Actions struct {
	Context string `xml:"Context,attr"`
	Exec    Exec   `xml:"Exec"`
}

// Exec is the program and its command line.
type Exec struct {
	Command          string `xml:"Command"`
	Arguments        string `xml:"Arguments"`
	WorkingDirectory string `xml:"WorkingDirectory,omitempty"`
}

// NewTask builds the task for o.
func NewTask(o Options) Task {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	return Task{
		Version: "1.2", Xmlns: TaskNamespace,
		RegistrationInfo: RegistrationInfo{
			Author:        "frebscan",
			Description:   fmt.Sprintf("frebscan: scan IIS Failed Request Tracing logs every %s, keep reports in %s and alert on new findings.", human(o.Every), o.OutDir),
			Documentation: "https://github.com/frebscan/frebscan/blob/main/docs/SCHEDULED.md",
		},
		Triggers: Triggers{TimeTrigger: TimeTrigger{
			Repetition: Repetition{Interval: ISODuration(o.Every)},
			// Midnight local time of the day it is created: in the past, so
			// the first run is at the next interval boundary.
			StartBoundary: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local).Format("2006-01-02T15:04:05"),
			Enabled:       true,
		}},
		Principals: Principals{Principal: Principal{ID: "Author", UserID: systemSID, RunLevel: "HighestAvailable"}},
		Settings: Settings{
			// A run still going when the next is due makes the next one
			// skip: never two scans at once (the lock is the second line).
			MultipleInstancesPolicy: "IgnoreNew",
			AllowHardTerminate:      true,
			StartWhenAvailable:      true,
			AllowStartOnDemand:      true,
			Enabled:                 true,
			ExecutionTimeLimit:      ISODuration(o.TimeLimit),
			// 7 is below normal, Task Scheduler's default: IIS comes first.
			Priority: 7,
		},
		Actions: Actions{Context: "Author", Exec: Exec{Command: o.Exe, Arguments: WindowsArgs(o.ScanArgs())}},
	}
}

// TaskXML renders the task as UTF-8 text, for reading.
func TaskXML(t Task) ([]byte, error) {
	return render(t, "UTF-8")
}

// TaskXMLUTF16 renders the task as schtasks /Create /XML expects it:
// UTF-16 little-endian with a byte order mark and CRLF line ends.
func TaskXMLUTF16(t Task) ([]byte, error) {
	b, err := render(t, "UTF-16")
	if err != nil {
		return nil, err
	}
	return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(b)
}

func render(t Task, encoding string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"%s\"?>\n", encoding)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("task XML: %w", err)
	}
	b.WriteByte('\n')
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n")), nil
}

// ISODuration writes d as an ISO 8601 duration (PT15M, PT1H30M, P1D), the
// form Task Scheduler's intervals and limits use.
func ISODuration(d time.Duration) string {
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	var b strings.Builder
	b.WriteString("P")
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if h > 0 || m > 0 || s > 0 || days == 0 {
		b.WriteString("T")
		if h > 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m > 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s > 0 || (h == 0 && m == 0) {
			fmt.Fprintf(&b, "%dS", s)
		}
	}
	return b.String()
}

// human writes an interval as people say it: 15m, 1h, 1h30m, 1d.
func human(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
