package report

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

const shippingDir = "../../docs/shipping"

// emittedFields is every dotted field name the NDJSON of the samples and
// the reader's test traces holds, with the JSON kind of its values.
func emittedFields(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range ndjsonLines(t, "../../samples", "../freb/testdata") {
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, sub := range v {
					walk(prefix+k+".", sub)
				}
			case []any:
				if len(v) > 0 {
					walk(prefix, v[0])
				}
			case string:
				out[strings.TrimSuffix(prefix, ".")] = "string"
			case float64:
				out[strings.TrimSuffix(prefix, ".")] = "number"
			case bool:
				out[strings.TrimSuffix(prefix, ".")] = "bool"
			}
		}
		walk("", m)
	}
	if len(out) < 40 {
		t.Fatalf("only %d fields emitted", len(out))
	}
	return out
}

// TestShippingJSONParses: every JSON config shipped for an engine is
// valid JSON (a typo there fails an admin's PUT, not our tests).
func TestShippingJSONParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(shippingDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		n++
		return nil
	})
	if err != nil || n < 4 {
		t.Fatalf("walk: %v (%d JSON files)", err, n)
	}
}

// TestElasticsearchTemplateMapsEveryField: the index template maps every
// field frebscan writes, ECS fields with their ECS type, so nothing is
// left to dynamic mapping (which would make client.ip a text field).
func TestElasticsearchTemplateMapsEveryField(t *testing.T) {
	defs := loadECS(t)
	var tmpl struct {
		Template struct {
			Mappings struct {
				Properties map[string]any `json:"properties"`
			} `json:"mappings"`
		} `json:"template"`
	}
	data, err := os.ReadFile(filepath.Join(shippingDir, "elasticsearch", "index-template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &tmpl); err != nil {
		t.Fatal(err)
	}
	mapped := map[string]string{}
	var walk func(prefix string, props map[string]any)
	walk = func(prefix string, props map[string]any) {
		for k, v := range props {
			m, _ := v.(map[string]any)
			if sub, ok := m["properties"].(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			typ, _ := m["type"].(string)
			mapped[prefix+k] = typ
		}
	}
	walk("", tmpl.Template.Mappings.Properties)
	kinds := map[string][]string{
		"string": {"keyword", "wildcard", "match_only_text", "text", "ip", "date"},
		"number": {"long"}, "bool": {"boolean"},
	}
	for name, kind := range emittedFields(t) {
		typ, ok := mapped[name]
		switch {
		case !ok:
			t.Errorf("%s: not in the index template", name)
		case defs[name] != nil && defs[name].typ != typ:
			t.Errorf("%s: template type %s, ECS type %s", name, typ, defs[name].typ)
		case !slices.Contains(kinds[kind], typ):
			t.Errorf("%s: template type %s for a JSON %s", name, typ, kind)
		}
	}
}

// TestClickHouseSchemaHasEveryField: every key of ndjson-flat has a
// column in the shipped table (18.16 rejects a line with an unknown key).
// make test-clickhouse loads it for real; this catches the drift early.
func TestClickHouseSchemaHasEveryField(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(shippingDir, "clickhouse", "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\s+`([^`]+)`").FindAllStringSubmatch(string(data), -1) {
		cols[m[1]] = true
	}
	for name := range emittedFields(t) {
		if !cols[name] {
			t.Errorf("%s: no column in schema.sql", name)
		}
	}
}

// TestSentinelTransformFillsTheTable: the DCR's transform projects exactly
// the columns of the _CL table, TimeGenerated from @timestamp.
func TestSentinelTransformFillsTheTable(t *testing.T) {
	var table struct {
		Properties struct {
			Schema struct {
				Name    string `json:"name"`
				Columns []struct {
					Name string `json:"name"`
				} `json:"columns"`
			} `json:"schema"`
		} `json:"properties"`
	}
	var dcr struct {
		Properties struct {
			DataFlows []struct {
				TransformKql string `json:"transformKql"`
				OutputStream string `json:"outputStream"`
			} `json:"dataFlows"`
		} `json:"properties"`
	}
	for file, v := range map[string]any{"table.json": &table, "dcr.json": &dcr} {
		data, err := os.ReadFile(filepath.Join(shippingDir, "sentinel", file))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	var want []string
	for _, c := range table.Properties.Schema.Columns {
		want = append(want, c.Name)
	}
	if len(dcr.Properties.DataFlows) != 1 {
		t.Fatalf("%d data flows", len(dcr.Properties.DataFlows))
	}
	flow := dcr.Properties.DataFlows[0]
	if flow.OutputStream != "Custom-"+table.Properties.Schema.Name || !strings.HasSuffix(table.Properties.Schema.Name, "_CL") {
		t.Errorf("output stream %s, table %s", flow.OutputStream, table.Properties.Schema.Name)
	}
	_, project, ok := strings.Cut(flow.TransformKql, "| project ")
	if !ok {
		t.Fatal("the transform has no project")
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?:^|,)\s*(\w+) = `).FindAllStringSubmatch(project, -1) {
		got = append(got, m[1])
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("transform projects %v\ntable has %v", got, want)
	}
	if !strings.Contains(project, "TimeGenerated = todatetime(e['@timestamp'])") {
		t.Error("TimeGenerated is not taken from @timestamp")
	}
}

// TestSplunkTimeFormat: props.conf's TIME_FORMAT reads exactly the
// timestamps frebscan writes.
func TestSplunkTimeFormat(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(shippingDir, "splunk", "props.conf"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^TIME_FORMAT = (.+)$`).FindStringSubmatch(string(data))
	if m == nil {
		t.Fatal("no TIME_FORMAT")
	}
	layout := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%H", "15", "%M", "04", "%S", "05", "%3N", "000").Replace(m[1])
	if layout != timestampLayout {
		t.Errorf("TIME_FORMAT %s reads %s, frebscan writes %s", m[1], layout, timestampLayout)
	}
	for _, want := range []string{"TIMESTAMP_FIELDS = @timestamp", "TZ = UTC", "[frebscan:ndjson]"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("props.conf lacks %q", want)
		}
	}
}

// TestShippersKeyOnEventID: the Elastic shippers use event.id as the
// document ID and the scheduled NDJSON recipe keeps a --state, so a trace
// is shipped once and stored once.
func TestShippersKeyOnEventID(t *testing.T) {
	for _, f := range []string{"elasticsearch/filebeat.yml", "elasticsearch/elastic-agent.yml"} {
		data, err := os.ReadFile(filepath.Join(shippingDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "document_id: event.id") {
			t.Errorf("%s does not key documents on event.id", f)
		}
	}
	doc, err := os.ReadFile("../../docs/SHIPPING.md")
	if err != nil {
		t.Fatal(err)
	}
	recipe := false
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.Contains(line, "scan ") && strings.Contains(line, "--format ndjson") && strings.Contains(line, "--state") {
			recipe = true
		}
	}
	if !recipe {
		t.Error("SHIPPING.md has no scheduled scan with --format ndjson and --state")
	}
}
