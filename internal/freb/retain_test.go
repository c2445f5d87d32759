package freb

import (
	"fmt"
	"strings"
	"testing"
)

// filler is a verbose ASP.NET pipeline event, the bulk of a huge trace.
func filler(name string) Event {
	return Event{Name: name, Provider: "ASPNET", Level: 5, Data: []Field{{"ContextId", "{800D5C0C-0002-FA43-BA0E-0FC67C8F4137}"}, {"Data1", strings.Repeat("x", 300)}}}
}

// retainCase builds a trace event by event through the builder with a
// budget, as a reader would.
type retainCase struct {
	name   string
	budget int64
	events []Event
	// key are the indexes that must be kept whatever the budget.
	key []int
	// omitted is how many events must be left out; keyOmitted how many
	// of those are key events (their share spent).
	omitted, keyOmitted int
	// byName is the expected count per omitted name.
	byName map[string]int
}

func retainCases() []retainCase {
	var cases []retainCase

	small := []Event{{Name: "GENERAL_REQUEST_START"}, filler("AspNetPipelineEnter"), {Name: "GENERAL_REQUEST_END"}}
	cases = append(cases, retainCase{name: "small trace kept whole", budget: 1 << 20, events: small})

	// 2,000 filler events of about 560 bytes (1.1 MB) in a 64 KB budget,
	// with an error, a warning, an error status, a header change and a
	// module warning in the middle, which must all be kept.
	var big []Event
	big = append(big, Event{Name: "GENERAL_REQUEST_START", Data: []Field{{"RequestURL", "https://h/ews"}}})
	var key []int
	for i := 1; i < 2000; i++ {
		switch i {
		case 700:
			big = append(big, Event{Name: "AspNetHttpHandlerLeave", Level: 2})
		case 900:
			big = append(big, Event{Name: "AspNetPageTraceWarnEvent", Level: 3})
		case 1000:
			big = append(big, Event{Name: "MODULE_SET_RESPONSE_ERROR_STATUS", Level: 4, Data: []Field{{"ModuleName", "ManagedPipelineHandler"}, {"HttpStatus", "500"}}})
		case 1100:
			big = append(big, Event{Name: "GENERAL_SET_REQUEST_HEADER", Level: 4, Data: []Field{{"HeaderName", "Host"}, {"HeaderValue", "backend"}}})
		case 1200:
			big = append(big, Event{Name: "MODULE_WARNING", Level: 4, Data: []Field{{"ModuleName", "FastCgiModule"}, {"Data1", "FASTCGI_RESPONSE_ERROR"}}})
		default:
			name := "AspNetPipelineEnter"
			if i%2 == 0 {
				name = "AspNetPipelineLeave"
			}
			big = append(big, filler(name))
			continue
		}
		key = append(key, i)
	}
	big = append(big, Event{Name: "GENERAL_REQUEST_END", Data: []Field{{"HttpStatus", "500"}}})
	cases = append(cases, retainCase{name: "huge trace: middle counted, what matters kept", budget: 64 << 10, events: big, key: key,
		omitted: -1, byName: map[string]int{"AspNetPipelineEnter": -1, "AspNetPipelineLeave": -1}})

	// Errors on every event: the key share runs out and the rest of them
	// are counted, still within the budget.
	var errs []Event
	for i := 0; i < 3000; i++ {
		e := filler("AspNetPageTraceWarnEvent")
		e.Level = 2
		errs = append(errs, e)
	}
	cases = append(cases, retainCase{name: "errors everywhere: key share spent", budget: 64 << 10, events: errs, omitted: -1, keyOmitted: -1,
		byName: map[string]int{"AspNetPageTraceWarnEvent": -1}})

	// A hostile trace of distinct names: the count per name stops at
	// maxOmittedNames and the rest is one line.
	var names []Event
	for i := 0; i < 2000; i++ {
		names = append(names, filler(fmt.Sprintf("EVENT_%d", i)))
	}
	cases = append(cases, retainCase{name: "distinct names bounded", budget: 32 << 10, events: names, omitted: -1, byName: map[string]int{otherNames: -1}})
	return cases
}

func TestRetention(t *testing.T) {
	t.Parallel()
	for _, tc := range retainCases() {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder("t.xml", Options{KeepEvents: true, EventBudget: tc.budget})
			var total int64
			sizes := map[int]int64{}
			for i := range tc.events {
				ev := tc.events[i]
				b.add(&ev)
				sizes[i] = EventSize(&ev)
				total += sizes[i]
			}
			tr := b.finish()
			kept := map[int]bool{}
			var keptBytes int64
			last := -1
			for _, ev := range tr.Events {
				if ev.Index <= last {
					t.Fatalf("events out of order: %d after %d", ev.Index, last)
				}
				last = ev.Index
				kept[ev.Index] = true
				keptBytes += sizes[ev.Index]
				if ev.Name != tc.events[ev.Index].Name {
					t.Fatalf("event %d is %s, want %s", ev.Index, ev.Name, tc.events[ev.Index].Name)
				}
			}
			if keptBytes > tc.budget {
				t.Errorf("kept %d bytes of events, budget %d", keptBytes, tc.budget)
			}
			for _, k := range tc.key {
				if !kept[k] {
					t.Errorf("key event %d (%s) left out", k, tc.events[k].Name)
				}
			}
			o := tr.Omitted
			if tc.omitted == 0 {
				if o != nil || len(tr.Events) != len(tc.events) {
					t.Fatalf("kept %d of %d events, omitted %+v; want all", len(tr.Events), len(tc.events), o)
				}
				return
			}
			if o == nil {
				t.Fatalf("nothing omitted; kept %d of %d events (%d bytes)", len(tr.Events), len(tc.events), total)
			}
			// The first and last events are always there.
			if !kept[0] || !kept[len(tc.events)-1] {
				t.Errorf("first kept %v, last kept %v", kept[0], kept[len(tc.events)-1])
			}
			// What is left out is exactly what is not kept.
			var leftOut, keyOut int
			var leftBytes int64
			perName := map[string]int{}
			for i := range tc.events {
				if kept[i] {
					continue
				}
				leftOut++
				leftBytes += sizes[i]
				perName[tc.events[i].Name]++
				if lv := tc.events[i].Level; lv > 0 && lv <= 3 {
					keyOut++
				}
			}
			if o.Events != leftOut || o.Bytes != leftBytes || o.Key != keyOut {
				t.Errorf("omitted %d events, %d bytes, %d key; want %d, %d, %d", o.Events, o.Bytes, o.Key, leftOut, leftBytes, keyOut)
			}
			if (tc.keyOmitted != 0) != (o.Key > 0) {
				t.Errorf("key events omitted: %d", o.Key)
			}
			sum := 0
			for _, nc := range o.ByName {
				sum += nc.Events
				if _, ok := tc.byName[nc.Name]; !ok && !strings.HasPrefix(nc.Name, "EVENT_") {
					t.Errorf("omitted name %q not expected", nc.Name)
				} else if nc.Name != otherNames && nc.Events != perName[nc.Name] {
					t.Errorf("omitted %d %s, want %d", nc.Events, nc.Name, perName[nc.Name])
				}
			}
			for name := range tc.byName {
				found := false
				for _, nc := range o.ByName {
					found = found || nc.Name == name
				}
				if !found {
					t.Errorf("no count of %s", name)
				}
			}
			if sum != o.Events {
				t.Errorf("names count %d events, omitted %d", sum, o.Events)
			}
			if len(o.ByName) > maxOmittedNames+1 {
				t.Errorf("%d names counted", len(o.ByName))
			}
			if o.First <= 0 || o.Last >= len(tc.events)-1 || o.First > o.Last {
				t.Errorf("omitted range %d–%d", o.First, o.Last)
			}
		})
	}
}
