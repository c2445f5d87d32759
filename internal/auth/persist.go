package auth

import "strings"

// PersistentAuth is the Persistent-Auth response header (MS-N2HT 2.2.1):
// IIS's hint whether the connection stays authenticated after this
// response. Exchange behind a proxy that adds Via answers "false", and
// clients that ignore it (Apple Mail) then send unauthenticated requests.
type PersistentAuth int

// Persistent-Auth states.
const (
	// PersistAbsent: no header. MS-N2HT: the client treats the connection
	// as persistent for NTLM (and Kerberos with the usual settings).
	PersistAbsent PersistentAuth = iota
	// PersistTrue: the client SHOULD NOT re-authenticate further requests
	// on this connection.
	PersistTrue
	// PersistFalse: the client SHOULD authenticate every request on this
	// connection.
	PersistFalse
	// PersistInvalid: a value other than true/false, or conflicting lines.
	PersistInvalid
)

// ParsePersistentAuth reads every Persistent-Auth value of one response.
func ParsePersistentAuth(values []string) PersistentAuth {
	state := PersistAbsent
	for _, v := range values {
		var s PersistentAuth
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			s = PersistTrue
		case "false":
			s = PersistFalse
		default:
			return PersistInvalid
		}
		if state != PersistAbsent && state != s {
			return PersistInvalid
		}
		state = s
	}
	return state
}

// Persistent reports whether a client may keep sending requests on the
// connection without Authorization headers.
func (p PersistentAuth) Persistent() bool { return p == PersistAbsent || p == PersistTrue }

// String returns "absent", "true", "false" or "invalid".
func (p PersistentAuth) String() string {
	switch p {
	case PersistTrue:
		return "true"
	case PersistFalse:
		return "false"
	case PersistInvalid:
		return "invalid"
	default:
		return "absent"
	}
}
