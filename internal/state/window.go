package state

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// Window is the recent correlation steps a scheduled scan hands to the
// next one, so a handshake split across two runs is still recognised.
// It holds diagnose's own sequences: no copy of their fields here can
// fall behind when one is added.
type Window []diagnose.Sequence

// Seed returns the stored correlation window for the next scan.
func (s *State) Seed() []*diagnose.Sequence {
	out := make([]*diagnose.Sequence, len(s.Window))
	for i, seq := range s.Window {
		// The scan appends to its sequences: not to the state's arrays.
		seq.Steps = slices.Clone(seq.Steps)
		out[i] = &seq
	}
	return out
}

// SetWindow keeps the steps newer than window before the newest step seen,
// bounded per sequence and in number of sequences.
func (s *State) SetWindow(seqs []*diagnose.Sequence, window time.Duration) {
	var newest time.Time
	for _, seq := range seqs {
		for _, st := range seq.Steps {
			if st.Time.After(newest) {
				newest = st.Time
			}
		}
	}
	cutoff := newest.Add(-window)
	out := Window{}
	for _, seq := range seqs {
		var steps []diagnose.SequenceStep
		for _, st := range seq.Steps {
			if !st.Time.Before(cutoff) {
				steps = append(steps, st)
			}
		}
		if len(steps) == 0 {
			continue
		}
		if len(steps) > maxStepsPerKey {
			steps = steps[len(steps)-maxStepsPerKey:]
		}
		kept := *seq
		kept.Steps = steps
		out = append(out, kept)
	}
	if len(out) > maxKeys {
		out = out[len(out)-maxKeys:]
	}
	s.Window = out
}

// The JSON tags of diagnose.SequenceStep are the scan report's, which
// leaves out fields the correlation needs (the numeric status, the NTLM
// message type, Via, …). So the window is saved through a type built from
// diagnose's at start-up: the same fields, with a JSON name on each one
// tagged "-".
var (
	windowType = reflect.TypeFor[[]diagnose.Sequence]()
	savedType  = saved(windowType)
)

// MarshalJSON writes every field of the sequences.
func (w Window) MarshalJSON() ([]byte, error) {
	return json.Marshal(convert(reflect.ValueOf([]diagnose.Sequence(w)), savedType).Interface())
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (w *Window) UnmarshalJSON(b []byte) error {
	v := reflect.New(savedType)
	if err := json.Unmarshal(b, v.Interface()); err != nil {
		return err
	}
	*w = convert(v.Elem(), windowType).Interface().([]diagnose.Sequence)
	return nil
}

// saved returns t with every field of diagnose's structs, at any depth,
// named in JSON: a field tagged "-" is saved under its Go name in lower
// camel case, the style of the rest of the file.
func saved(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Slice:
		return reflect.SliceOf(saved(t.Elem()))
	case reflect.Struct:
		if t.PkgPath() != windowType.Elem().PkgPath() {
			return t // time.Time and the like have their own JSON
		}
		fields := make([]reflect.StructField, t.NumField())
		for i := range fields {
			f := t.Field(i)
			f.Type = saved(f.Type)
			if f.Tag.Get("json") == "-" {
				f.Tag = reflect.StructTag(`json:"` + lowerCamel(f.Name) + `,omitempty"`)
			}
			fields[i] = f
		}
		return reflect.StructOf(fields)
	}
	return t
}

// convert copies v into t, a type of the same shape with other tags
// (diagnose's types and the saved ones, either way).
func convert(v reflect.Value, t reflect.Type) reflect.Value {
	switch {
	case v.Type().ConvertibleTo(t):
		return v.Convert(t)
	case v.Kind() == reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(t)
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(convert(v.Index(i), t.Elem()))
		}
		return out
	}
	out := reflect.New(t).Elem() // a struct holding a slice of structs
	for i := range v.NumField() {
		out.Field(i).Set(convert(v.Field(i), t.Field(i).Type))
	}
	return out
}

// lowerCamel turns a Go field name into a JSON key: "Via" → "via",
// "NTLMType" → "ntlmType", "URL" → "url".
func lowerCamel(name string) string {
	upper := 0
	for upper < len(name) && 'A' <= name[upper] && name[upper] <= 'Z' {
		upper++
	}
	if upper > 1 && upper < len(name) {
		upper-- // the last capital starts the next word
	}
	return strings.ToLower(name[:upper]) + name[upper:]
}
