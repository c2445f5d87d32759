package report

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/scan"
)

// kv is one labelled line of a summary.
type kv struct{ K, V string }

// requestSummary is the part of freb.xsl's Request Summary that the
// terminal and the HTML page show alike, from the time taken on: one
// list, so the two views cannot drift apart. arrow joins the TCP
// endpoints and the URLs of re-executions ("->" on a terminal that may
// not have "→").
func requestSummary(d *scan.DiagnosedTrace, arrow string) []kv {
	t := d.Trace
	var out []kv
	row := func(k, v string) {
		if v != "" {
			out = append(out, kv{k, v})
		}
	}
	row("Time taken", fmt.Sprintf("%d ms", t.TimeTakenMs))
	row("Site / app pool", t.SiteID+" / "+t.AppPoolID)
	row("Auth type", t.AuthenticationType)
	row("User", firstNonEmpty(t.UserName, t.RemoteUserName))
	row("Token user", t.TokenUserName)
	row("Server", t.Server)
	if t.ClientAddress != "" {
		row("Client (TCP)", fmt.Sprintf("%s:%d %s %s:%d", t.ClientAddress, t.ClientPort, arrow, t.LocalAddress, t.LocalPort))
	}
	if p := d.Proxy; p != nil && p.Present {
		v := p.Vendor
		if p.Address != "" {
			v += " at " + p.Address
		}
		if p.ClientAddress != "" {
			v += ", original client " + p.ClientAddress
			if p.ClientPort > 0 {
				v += fmt.Sprintf(":%d", p.ClientPort)
			}
		}
		row("Proxy", v)
	}
	if c := d.Client; c != nil && c.Family != "" && c.Family != "Unknown" {
		v := c.Family
		if c.Version != "" {
			v += " " + c.Version
		}
		if c.OS != "" {
			v += " on " + c.OS
		}
		row("Client program", v)
	}
	if !t.Start.IsZero() {
		row("Started", t.Start.UTC().Format("2006-01-02 15:04:05.000 UTC"))
	}
	row("Bytes", fmt.Sprintf("sent %d, received %d", t.BytesSent, t.BytesReceived))
	row("Activity ID", t.ActivityID)
	events := fmt.Sprintf("%d", t.EventCount)
	if t.Truncated {
		events += " (truncated)"
	}
	row("Events", events)
	if len(t.Passes) > 1 {
		var urls []string
		for _, p := range t.Passes {
			urls = append(urls, p.URL)
		}
		row("Executions", fmt.Sprintf("%d: %s", len(t.Passes), strings.Join(urls, " "+arrow+" ")))
	}
	return out
}
