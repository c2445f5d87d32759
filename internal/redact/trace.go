package redact

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/freb"
)

// Trace returns a copy of t with every secret hidden: header values, the
// raw header blocks and set-header values inside events, tokens and user
// names in URLs, the user names IIS recorded (root attributes and
// authentication events), and request bodies (form posts carry
// passwords). t is not modified.
func Trace(t *freb.Trace) *freb.Trace {
	c := *t
	c.URL = URL(t.URL)
	c.UserName, c.RemoteUserName, c.TokenUserName = User(t.UserName), User(t.RemoteUserName), User(t.TokenUserName)
	c.RequestHeaders = List(t.RequestHeaders)
	c.ResponseHeaders = List(t.ResponseHeaders)
	c.RequestHeaderChanges = Changes(t.RequestHeaderChanges)
	c.ResponseHeaderChanges = Changes(t.ResponseHeaderChanges)
	c.Attributes = attributes(t.Attributes)
	if t.Passes != nil {
		c.Passes = make([]freb.Pass, len(t.Passes))
		for i, p := range t.Passes {
			p.URL = URL(p.URL)
			p.Headers = List(p.Headers)
			c.Passes[i] = p
		}
	}
	c.Events = events(t.Events)
	c.AuthEvents = events(t.AuthEvents)
	return &c
}

func attributes(as []freb.Attribute) []freb.Attribute {
	out := make([]freb.Attribute, len(as))
	for i, a := range as {
		switch a.Name {
		case "url":
			a.Value = URL(a.Value)
		case "userName", "remoteUserName", "tokenUserName":
			a.Value = User(a.Value)
		}
		out[i] = a
	}
	return out
}

func events(evs []freb.Event) []freb.Event {
	if evs == nil {
		return nil
	}
	out := make([]freb.Event, len(evs))
	for i, ev := range evs {
		out[i] = Event(ev)
	}
	return out
}

// Event returns ev with secrets in its data fields hidden.
func Event(ev freb.Event) freb.Event {
	data := make([]freb.Field, len(ev.Data))
	headerName := ev.Get("HeaderName")
	for i, f := range ev.Data {
		switch f.Name {
		case "Headers":
			f.Value = Block(f.Value)
		case "HeaderValue":
			f.Value = Header(headerName, f.Value)
		case "RequestURL", "OldUrl", "NewUrl", "RedirectURL", "Input", "ExpandedInput":
			f.Value = URL(f.Value)
		case "Data3":
			// ASP.NET's AspNetStart writes the query string alone in
			// Data3, where tokens in the URL would otherwise survive.
			if ev.Name == "AspNetStart" && f.Value != "" {
				f.Value = strings.TrimPrefix(URL("?"+f.Value), "?")
			}
		case "UserName", "RemoteUserName", "AuthUserName":
			f.Value = User(f.Value)
		case "Buffer":
			if ev.Name == "GENERAL_REQUEST_ENTITY" && f.Value != "" {
				f.Value = fmt.Sprintf(bodyPlaceholder, len(f.Value))
			} else {
				// Error pages quote connection strings and login names.
				f.Value = Text(f.Value)
			}
		default:
			f.Value = Text(query(f.Value))
		}
		data[i] = f
	}
	ev.Data = data
	return ev
}

// query redacts a field that holds a bare query string, such as Data3 of
// the ASP.NET events ("Cmd=Sync&User=jdoe&DeviceId=…"); other values are
// returned as they are.
func query(v string) string {
	if !strings.Contains(v, "=") || strings.ContainsAny(v, " \t\r\n") || strings.Contains(v, "?") {
		return v
	}
	return strings.TrimPrefix(URL("?"+v), "?")
}

// bodyPlaceholder replaces a request body; it keeps the body's length.
const bodyPlaceholder = "<request body, %d bytes, redacted>"

// IsBodyPlaceholder reports whether v is the placeholder of a redacted
// request body, so a report shows it instead of measuring it.
func IsBodyPlaceholder(v string) bool {
	var n int
	_, err := fmt.Sscanf(v, bodyPlaceholder, &n)
	return err == nil && strings.HasSuffix(v, ", redacted>")
}
