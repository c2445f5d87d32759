package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
)

// lineEncoder writes the NDJSON events exactly as encoding/json would
// (keys sorted, HTML left alone) without its reflection: the events are
// small trees of obj, strings and integers, and encoding them with
// encoding/json cost about 48 µs a trace, a tenth of a whole scan. A
// value of any other type, and any string that needs escaping, goes
// through encoding/json, so the output cannot differ.
type lineEncoder struct {
	buf  []byte
	keys []string
	slow bytes.Buffer
	enc  *json.Encoder
}

func newLineEncoder() *lineEncoder {
	e := &lineEncoder{}
	e.enc = json.NewEncoder(&e.slow)
	e.enc.SetEscapeHTML(false)
	return e
}

// line returns v as one line of JSON, newline included; the slice is
// reused by the next call.
func (e *lineEncoder) line(v any) ([]byte, error) {
	var err error
	e.buf, err = e.append(e.buf[:0], v)
	return append(e.buf, '\n'), err
}

func (e *lineEncoder) append(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case obj:
		start := len(e.keys)
		for k := range v {
			e.keys = append(e.keys, k)
		}
		keys := e.keys[start:]
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.appendString(b, k)
			b = append(b, ':')
			var err error
			if b, err = e.append(b, v[k]); err != nil {
				return b, err
			}
		}
		e.keys = e.keys[:start]
		return append(b, '}'), nil
	case string:
		return e.appendString(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case nil:
		return append(b, "null"...), nil
	case []string:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.appendString(b, s)
		}
		return append(b, ']'), nil
	}
	return e.appendSlow(b, v)
}

// appendString writes plain printable ASCII directly; anything else
// (quotes, backslashes, control bytes, non-ASCII that encoding/json
// checks for validity and U+2028) is left to encoding/json.
func (e *lineEncoder) appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			out, err := e.appendSlow(b, s)
			if err != nil {
				// A string always encodes; keep the line well-formed anyway.
				return append(b, `""`...)
			}
			return out
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func (e *lineEncoder) appendSlow(b []byte, v any) ([]byte, error) {
	e.slow.Reset()
	if err := e.enc.Encode(v); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(e.slow.Bytes(), []byte("\n"))...), nil
}
