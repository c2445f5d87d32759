// Package winevent writes frebscan's alert summary to the Windows
// Application event log (source "frebscan"), where Exchange admins'
// monitoring (SCOM, a SIEM forwarder) already looks. Elsewhere it does
// nothing: Supported says so.
package winevent

// Source is the event source name in the Application log.
const Source = "frebscan"

// EventID is the ID of the "new findings" event. The EventCreate message
// file that the source is registered with only formats IDs 1 to 1000.
const EventID = 1

// Level is the event type.
type Level int

// Levels of events frebscan writes.
const (
	Warning Level = iota
	Error
)
