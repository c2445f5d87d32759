package report

import (
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/scan"
)

// writeScanNDJSON writes one line per trace and one per finding, with
// Elastic Common Schema field names, so Filebeat or Fluent Bit can ship
// the file to Elasticsearch, OpenSearch or Splunk without an ingest
// pipeline. Dotted names are nested objects, as ECS expects.
func writeScanNDJSON(w io.Writer, r *scan.Result, _ Options) error {
	enc := newLineEncoder()
	groups := map[string]*scan.Group{}
	for i := range r.Findings {
		groups[r.Findings[i].Rule] = &r.Findings[i]
	}
	write := func(ev obj) error {
		line, err := enc.line(ev)
		if err == nil {
			_, err = w.Write(line)
		}
		return err
	}
	for _, row := range r.Traces {
		if err := write(traceEvent(row, r.Tool)); err != nil {
			return err
		}
		for _, ref := range row.Findings {
			if err := write(findingEvent(row, ref, groups[ref.Rule], r.Tool)); err != nil {
				return err
			}
		}
	}
	return nil
}

type obj = map[string]any

func baseEvent(row scan.Row, kind, tool string) obj {
	ts := row.Time
	if ts.IsZero() {
		ts = time.Unix(0, 0).UTC()
	}
	u := obj{"original": row.URL, "path": pathOf(row.URL)}
	if p, err := url.Parse(row.URL); err == nil {
		if p.Scheme != "" {
			u["scheme"] = p.Scheme
		}
		if h := p.Hostname(); h != "" {
			u["domain"] = h
		}
		if p.RawQuery != "" {
			u["query"] = p.RawQuery
		}
	}
	ev := obj{
		"@timestamp":     ts.UTC().Format(time.RFC3339Nano),
		"event":          obj{"kind": kind, "module": "frebscan", "dataset": "iis.freb"},
		"url":            u,
		"http":           obj{"request": obj{"method": row.Verb}, "response": obj{"status_code": row.StatusCode}},
		"host":           obj{"name": row.Server},
		"file":           obj{"path": row.File},
		"source":         sourceOf(row.Client),
		"iis":            obj{"site_id": row.SiteID, "app_pool": row.AppPool, "sub_status": row.SubStatus, "status": row.Status, "failure_reason": row.FailureReason},
		"event.duration": nil,
		"agent":          obj{"type": "frebscan", "version": strings.TrimPrefix(tool, "frebscan ")},
	}
	delete(ev, "event.duration")
	ev["event"].(obj)["duration"] = row.TimeTakenMs * int64(time.Millisecond)
	if row.UserAgent != "" {
		ev["user_agent"] = obj{"original": row.UserAgent, "name": row.ClientFamily}
	}
	if row.Proxy != "" {
		ev["observer"] = obj{"vendor": row.Proxy, "type": "proxy"}
	}
	return ev
}

func traceEvent(row scan.Row, tool string) obj {
	ev := baseEvent(row, "event", tool)
	ev["event"].(obj)["category"] = []string{"web"}
	ev["event"].(obj)["outcome"] = outcome(row.StatusCode)
	fs := obj{"auth": row.Auth, "error_module": row.ErrorModule, "error_code": row.ErrorCode,
		"truncated": row.Truncated, "warnings": row.Warnings, "findings": len(row.Findings)}
	// A failed trace no rule explains carries its group's keys, so a
	// dashboard can count the unexplained failures by status, module and
	// error code and show what the traces say.
	if u := row.Unexplained; u != nil {
		fs["unexplained"] = obj{"status": u.Status, "module": u.Module, "error_code": u.ErrorCode, "reason": u.Reason, "says": u.Says}
	}
	ev["frebscan"] = fs
	return ev
}

func findingEvent(row scan.Row, ref scan.Ref, g *scan.Group, tool string) obj {
	ev := baseEvent(row, "alert", tool)
	ev["event"].(obj)["severity"] = int(ref.Severity)
	rule := obj{"id": ref.Rule, "category": "proxy-induced-failure"}
	extra := obj{"confidence": string(ref.Confidence)}
	msg := ref.Summary
	if g != nil {
		rule["name"] = g.Title
		rule["reference"] = strings.Join(g.References, "; ")
		if msg == "" {
			msg = g.Title
		}
		extra["fix"], extra["vendor"] = g.Fix, g.Vendor
	}
	ev["rule"] = rule
	ev["message"] = msg
	ev["log"] = obj{"level": ref.Severity.String()}
	ev["frebscan"] = extra
	return ev
}

func outcome(code int) string {
	if code >= 400 {
		return "failure"
	}
	return "success"
}

func sourceOf(client string) obj {
	host, port := client, ""
	if i := strings.LastIndex(client, ":"); i > 0 && strings.Count(client, ":") == 1 {
		host, port = client[:i], client[i+1:]
	}
	o := obj{"ip": strings.Trim(host, "[]"), "address": client}
	if port != "" {
		o["port"] = port
	}
	return o
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			u = rest[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
