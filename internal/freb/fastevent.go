package freb

import "bytes"

// maxDepth bounds element nesting inside an event (IIS writes 4 levels).
const maxDepth = 32

// What an element's text is captured for.
type capture uint8

const (
	capNone capture = iota
	capLevel
	capOpcode
	capComputer
	capName
	capKeyword
	capData
	capDesc
)

// Where an element sits: the children of Event, RenderingInfo's Keywords.
type section uint8

const (
	secOther section = iota
	secSystem
	secEventData
	secRendering
	secKeywords
)

// fieldRef is a Data or Description field whose value is text[start:end].
type fieldRef struct {
	name       string
	start, end int
	desc       bool
}

// eventLexer reads one <Event> element into an Event, doing what the
// reference reader's fillEvent does to the xmlquery node tree, without
// building the tree: an element's meaning depends only on its local name
// and those of its ancestors, and its value is the text of everything
// inside it (xmlquery's InnerText).
type eventLexer struct {
	strs     *interner
	prefixes [][]byte // prefixes the root declares: the only ones allowed
	why      string   // what was not understood, for lexUnsupported

	tag    tag
	open   [maxDepth + 1][2]int // raw names of the open elements, as offsets
	sec    [maxDepth + 1]section
	text   []byte // captured text of the current event
	fields []fieldRef
	cap    capture
	capAt  int // depth of the capturing element
	capBeg int // where its text starts in text
	capKey string
	scr    []byte // decoded attribute values
}

func (l *eventLexer) unsupported(why string) lexStatus {
	l.why = why
	return lexUnsupported
}

// Text bytes by what lexEvent must do about them.
const (
	textCR    = 1 // normalise, if the text is kept
	textCheck = 2 // a reference or '>': decode or at least check
	textLT    = 4 // the end of the text
)

var textClass = func() (t [256]uint8) {
	t['\r'], t['&'], t['>'], t['<'] = textCR, textCheck, textCheck, textLT
	return t
}()

// lexEvent reads the element at b[0] == '<', which must be an <Event>,
// into ev and returns its length. started says whether the start tag was
// complete, so the caller knows the input holds an event.
func (l *eventLexer) lexEvent(b []byte, ev *Event) (n int, started bool, st lexStatus) {
	*ev = Event{}
	l.text, l.fields, l.cap = l.text[:0], l.fields[:0], capNone
	i, depth := 0, 0
	for {
		if i+1 >= len(b) {
			return i, started, lexMore
		}
		switch b[i+1] {
		case '/':
			open := l.open[depth]
			j, st := endTag(b, i, b[open[0]:open[1]])
			if st != lexOK {
				return j, started, l.status(st, "an end tag that does not match")
			}
			l.close(depth, ev)
			if depth--; depth == 0 {
				l.finish(ev)
				return j, started, lexOK
			}
			i = j
		case '!', '?':
			return i, started, l.unsupported("a comment, CDATA section, DOCTYPE or processing instruction inside an event")
		default:
			j, st := startTag(b, i, &l.tag)
			if st != lexOK {
				return j, started, l.status(st, "markup outside the subset the fast reader reads")
			}
			if depth++; depth > maxDepth {
				return i, started, l.unsupported("elements nested too deep")
			}
			if st := l.open1(b, depth, ev); st != lexOK {
				return i, started, st
			}
			started = true
			if l.tag.empty {
				l.close(depth, ev)
				if depth--; depth == 0 {
					l.finish(ev)
					return j, started, lexOK
				}
			}
			i = j
		}
		// The text up to the next tag, in one pass that notes what needs work.
		k, class := i, uint8(0)
		for ; k < len(b); k++ {
			if c := textClass[b[k]]; c != 0 {
				if c == textLT {
					break
				}
				class |= c
			}
		}
		if k == len(b) {
			if _, st := appendText(nil, b[i:], true, false, true); st == lexUnsupported {
				return i, started, l.unsupported("malformed text")
			}
			return len(b), started, lexMore
		}
		if k > i {
			var st lexStatus
			switch {
			case l.cap != capNone && depth >= l.capAt:
				if class == 0 {
					l.text = append(l.text, b[i:k]...)
				} else {
					l.text, st = appendText(l.text, b[i:k], true, true, false)
				}
			case class&textCheck != 0:
				_, st = appendText(nil, b[i:k], true, true, true)
			}
			if st != lexOK {
				return i, started, l.unsupported("malformed text")
			}
		}
		i = k
	}
}

func (l *eventLexer) status(st lexStatus, why string) lexStatus {
	if st == lexUnsupported {
		l.why = why
	}
	return st
}

// open1 checks the start tag just read, at depth (Event is 1), and
// starts capturing its text when the reference reader would use it.
func (l *eventLexer) open1(b []byte, depth int, ev *Event) lexStatus {
	t := &l.tag
	l.open[depth] = [2]int{t.name, t.nameEnd}
	name := b[t.name:t.nameEnd]
	if (depth == 1) != (string(name) == "Event") {
		return l.unsupported("an element other than <Event> under <failedRequest>, or an <Event> inside one")
	}
	local := name
	if t.colon >= 0 {
		if !l.declared(b[t.name:t.colon]) {
			return l.unsupported("an element prefix the root does not declare")
		}
		local = b[t.colon+1 : t.nameEnd]
	}
	for _, a := range t.attrs[:t.n] {
		if a.colon >= 0 {
			return l.unsupported("a prefixed attribute or namespace declaration inside an event")
		}
	}
	parent := l.sec[depth-1]
	l.sec[depth] = secOther
	switch depth {
	case 2:
		switch string(local) {
		case "System":
			l.sec[depth] = secSystem
		case "EventData":
			l.sec[depth] = secEventData
		case "RenderingInfo":
			l.sec[depth] = secRendering
		}
	case 3:
		return l.child(b, depth, parent, local, ev)
	case 4:
		if parent == secKeywords {
			l.begin(capKeyword, depth, "")
		}
	}
	return lexOK
}

// child handles an element inside System, EventData or RenderingInfo.
func (l *eventLexer) child(b []byte, depth int, parent section, local []byte, ev *Event) lexStatus {
	switch parent {
	case secSystem:
		switch string(local) {
		case "Provider":
			v, st := l.attr(b, "Name")
			ev.Provider = l.strs.bytes(v)
			return st
		case "Level":
			l.begin(capLevel, depth, "")
		case "Opcode":
			l.begin(capOpcode, depth, "")
		case "TimeCreated":
			v, st := l.attr(b, "SystemTime")
			ev.Time = timeBytes(v)
			return st
		case "Execution":
			v, st := l.attr(b, "ProcessID")
			ev.Process = atoiBytes(v)
			if st == lexOK {
				v, st = l.attr(b, "ThreadID")
				ev.Thread = atoiBytes(v)
			}
			return st
		case "Computer":
			l.begin(capComputer, depth, "")
		}
	case secEventData:
		v, st := l.attr(b, "Name")
		l.begin(capData, depth, l.strs.bytes(v))
		return st
	case secRendering:
		switch string(local) {
		case "Opcode":
			l.begin(capName, depth, "")
		case "Keywords":
			l.sec[depth] = secKeywords
		case "Description":
			v, st := l.attr(b, "Data")
			l.begin(capDesc, depth, l.strs.bytes(v))
			return st
		}
	}
	return lexOK
}

// attr returns the decoded value of the current tag's attribute, or nil.
// The bytes are valid until the next call.
func (l *eventLexer) attr(b []byte, name string) ([]byte, lexStatus) {
	a, ok := l.tag.get(b, name)
	switch {
	case !ok:
		return nil, lexOK
	case a.plain:
		return b[a.value:a.end], lexOK
	}
	var st lexStatus
	l.scr, st = appendText(l.scr[:0], b[a.value:a.end], false, true, false)
	return l.scr, st
}

func (l *eventLexer) declared(prefix []byte) bool {
	for _, p := range l.prefixes {
		if bytes.Equal(p, prefix) {
			return true
		}
	}
	return false
}

func (l *eventLexer) begin(c capture, depth int, key string) {
	l.cap, l.capAt, l.capBeg, l.capKey = c, depth, len(l.text), key
}

// close ends the element at depth; if it was capturing, its text is used.
func (l *eventLexer) close(depth int, ev *Event) {
	if l.cap == capNone || depth != l.capAt {
		return
	}
	s := l.text[l.capBeg:]
	keep := false
	switch l.cap {
	case capLevel:
		ev.Level = atoiBytes(s)
	case capOpcode:
		ev.Opcode = atoiBytes(s)
	case capComputer:
		ev.computer = l.strs.bytes(s)
	case capName:
		ev.Name = l.strs.bytes(bytes.TrimSpace(s))
	case capKeyword:
		if ev.Keyword == "" {
			ev.Keyword = l.strs.bytes(bytes.TrimSpace(s))
		}
	case capData, capDesc:
		l.fields = append(l.fields, fieldRef{name: l.capKey, start: l.capBeg, end: len(l.text), desc: l.cap == capDesc})
		keep = true
	}
	if !keep {
		l.text = l.text[:l.capBeg]
	}
	l.cap = capNone
}

// finish gives the event its fields: one string holds every value and
// one array both lists, so an event costs two allocations.
func (l *eventLexer) finish(ev *Event) {
	if len(l.fields) == 0 {
		return
	}
	all := string(l.text)
	nd := 0
	for _, f := range l.fields {
		if !f.desc {
			nd++
		}
	}
	arr := make([]Field, len(l.fields))
	d, c := 0, nd
	for _, f := range l.fields {
		v := Field{Name: f.name, Value: all[f.start:f.end]}
		if f.desc {
			arr[c] = v
			c++
		} else {
			arr[d] = v
			d++
		}
	}
	if nd > 0 {
		ev.Data = arr[:nd:nd]
	}
	if nd < len(arr) {
		ev.Descriptions = arr[nd:]
	}
}
