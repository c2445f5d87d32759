package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/scan"
)

// TestClickHouse loads frebscan's ndjson-flat output, as it is, into a
// real ClickHouse with the table docs/shipping/clickhouse/schema.sql
// creates, runs the admin queries of queries.sql and checks each against
// the JSON report of the same scan. It needs a server: `make
// test-clickhouse` starts one (.ci/clickhouse) and sets
// FREBSCAN_CLICKHOUSE_PORT to its native port.
func TestClickHouse(t *testing.T) {
	port := os.Getenv("FREBSCAN_CLICKHOUSE_PORT")
	if port == "" {
		t.Skip("FREBSCAN_CLICKHOUSE_PORT not set: run make test-clickhouse")
	}
	ch := func(stdin []byte, args ...string) string {
		t.Helper()
		cmd := exec.Command("clickhouse-client", append([]string{"--host", "127.0.0.1", "--port", port}, args...)...)
		cmd.Stdin = bytes.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("clickhouse-client %s: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
		return out.String()
	}

	dir := t.TempDir()
	fleet := filepath.Join(dir, "fleet")
	if err := gen.WriteFleet(fleet, gen.FleetOptions{Servers: 4, Traces: 150, Seed: 17, Hours: 60}); err != nil {
		t.Fatal(err)
	}
	inputs := []string{"../../samples", fleet}
	flatFile, jsonFile := filepath.Join(dir, "events.ndjson"), filepath.Join(dir, "report.json")
	for format, file := range map[string]string{"ndjson-flat": flatFile, "json": jsonFile} {
		if r := frebscan(t, append([]string{"scan", "--format", format, "--fail-on", "none", "-o", file}, inputs...)...); r.code != 0 {
			t.Fatalf("scan --format %s: exit %d: %s", format, r.code, r.stderr)
		}
	}
	events, err := os.ReadFile(flatFile)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc scan.Result
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}

	schema, err := os.ReadFile("../../docs/shipping/clickhouse/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	ch(nil, "-q", "DROP TABLE IF EXISTS frebscan_events")
	ch(schema, "--multiquery")
	// Loaded twice, as a re-run without --state would ship it: event.id
	// keeps one row of each.
	for range 2 {
		ch(events, "-q", "INSERT INTO frebscan_events FORMAT JSONEachRow")
	}
	lines := bytes.Count(events, []byte("\n"))
	if got := strings.TrimSpace(ch(nil, "-q", "SELECT count() FROM frebscan_events FINAL")); got != strconv.Itoa(lines) {
		t.Errorf("%d rows after loading %d lines twice, want %d", atoi(got), lines, lines)
	}
	checkColumnsFilled(t, ch, events)

	queries := namedQueries(t, "../../docs/shipping/clickhouse/queries.sql")
	want := expectedAnswers(doc)
	for _, name := range []string{"findings-by-rule-server-day", "clients-hit-by-via-persistent-auth", "top-failing-urls"} {
		q, ok := queries[name]
		if !ok {
			t.Fatalf("queries.sql has no query %s", name)
		}
		got := tsvRows(ch(nil, "--format", "TabSeparated", "-q", q))
		if name == "clients-hit-by-via-persistent-auth" {
			for i := range got {
				got[i] = got[i][:2] // first and last seen are for the admin, not compared
			}
		}
		if len(want[name]) == 0 {
			t.Errorf("%s: the scan gives nothing to compare", name)
		}
		t.Logf("%s: %d rows", name, len(got))
		if !slices.EqualFunc(got, want[name], slices.Equal) {
			t.Errorf("%s:\nClickHouse %v\nJSON report %v", name, got, want[name])
		}
	}
	ch(nil, "-q", "DROP TABLE frebscan_events")
}

// checkColumnsFilled compares, for every key of the NDJSON, what the file
// holds (non-empty strings, the sum of numbers, array elements) with what
// the table holds, so a key that loads into nothing (a renamed column, a
// silently skipped field) fails.
func checkColumnsFilled(t *testing.T, ch func([]byte, ...string) string, events []byte) {
	t.Helper()
	type tally struct {
		expr string
		want float64
	}
	cols := map[string]*tally{}
	sc := bufio.NewScanner(bytes.NewReader(events))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			col := "`" + k + "`"
			c := cols[k]
			switch v := v.(type) {
			case string:
				if c == nil {
					c = &tally{expr: "countIf(" + col + " != '')"}
				}
				if v != "" {
					c.want++
				}
			case float64:
				if c == nil {
					c = &tally{expr: "sum(" + col + ")"}
				}
				c.want += v
			case bool:
				if c == nil {
					c = &tally{expr: "sum(" + col + ")"}
				}
				if v {
					c.want++
				}
			case []any:
				if c == nil {
					c = &tally{expr: "sum(length(" + col + "))"}
				}
				c.want += float64(len(v))
			default:
				t.Fatalf("key %s: unexpected %T in ndjson-flat", k, v)
			}
			cols[k] = c
		}
	}
	keys := make([]string, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	exprs := make([]string, len(keys))
	for i, k := range keys {
		exprs[i] = cols[k].expr
	}
	row := tsvRows(ch(nil, "--format", "TabSeparated", "-q", "SELECT "+strings.Join(exprs, ", ")+" FROM frebscan_events FINAL"))
	if len(row) != 1 || len(row[0]) != len(keys) {
		t.Fatalf("column totals: %v", row)
	}
	for i, k := range keys {
		got, _ := strconv.ParseFloat(row[0][i], 64)
		if got != cols[k].want {
			t.Errorf("column %s: table has %v, the NDJSON %v", k, got, cols[k].want)
		}
	}
	// Every line's @timestamp parsed to a real time, not 1970.
	if n := strings.TrimSpace(ch(nil, "-q", "SELECT countIf(toYear(ts) < 2000) FROM frebscan_events FINAL")); n != "0" {
		t.Errorf("%s rows with an unparsed @timestamp", n)
	}
}

// namedQueries reads the statements of queries.sql by their "-- name:".
func namedQueries(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, stmt := range strings.Split(string(data), ";") {
		name := ""
		var sql []string
		for _, line := range strings.Split(stmt, "\n") {
			if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
				name = strings.TrimSpace(n)
			} else if !strings.HasPrefix(strings.TrimSpace(line), "--") {
				sql = append(sql, line)
			}
		}
		if name != "" {
			out[name] = strings.TrimSpace(strings.Join(sql, "\n"))
		}
	}
	return out
}

// expectedAnswers computes each query's answer from the JSON report.
func expectedAnswers(doc scan.Result) map[string][][]string {
	perDay := map[[3]string]int{}
	clients := map[string]int{}
	failing := map[string]int{}
	for _, row := range doc.Traces {
		if row.StatusCode >= 400 {
			failing[urlPath(row.URL)]++
		}
		for _, ref := range row.Findings {
			if ref.Severity >= diagnose.Low {
				perDay[[3]string{row.Time.UTC().Format("2006-01-02"), row.Server, ref.Rule}]++
			}
			if ref.Rule == "via-persistent-auth" {
				clients[ipOf(row.Client)]++
			}
		}
	}
	out := map[string][][]string{}
	var days [][]string
	for k, n := range perDay {
		days = append(days, []string{k[0], k[1], k[2], strconv.Itoa(n)})
	}
	sort.Slice(days, func(i, j int) bool { return slices.Compare(days[i][:3], days[j][:3]) < 0 })
	out["findings-by-rule-server-day"] = days
	out["clients-hit-by-via-persistent-auth"] = byCount(clients, 0)
	out["top-failing-urls"] = byCount(failing, 10)
	return out
}

// byCount lists keys by count, most first, ties by key, at most n (0: all).
func byCount(m map[string]int, n int) [][]string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if n > 0 && len(keys) > n {
		keys = keys[:n]
	}
	out := make([][]string, len(keys))
	for i, k := range keys {
		out[i] = []string{k, strconv.Itoa(m[k])}
	}
	return out
}

// ipOf is the address part of a client as the JSON report gives it.
func ipOf(client string) string {
	host := client
	if h, _, err := net.SplitHostPort(client); err == nil {
		host = h
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return ip.WithZone("").Unmap().String()
	}
	return ""
}

// urlPath is a request URL's path: after scheme and host, before the query.
func urlPath(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			u = rest[i:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// tsvRows splits ClickHouse TabSeparated output, undoing its escapes.
func tsvRows(s string) [][]string {
	var out [][]string
	unescape := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`, `\'`, "'")
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		for i := range cells {
			cells[i] = unescape.Replace(cells[i])
		}
		out = append(out, cells)
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
