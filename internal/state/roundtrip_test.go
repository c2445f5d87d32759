package state

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// notKept lists the fields of diagnose.Sequence and diagnose.SequenceStep
// that the state deliberately does not save, as "Type.Field" with the
// reason. None today: a sequence holds labels, never tokens or user names.
var notKept = map[string]string{}

// TestWindowKeepsEveryField saves a correlation window whose every field
// is set, loads it back and expects the same sequences. The values are
// set by reflection, so a field added to the diagnose types later is
// covered without editing this test, and the test fails if the state
// drops it.
func TestWindowKeepsEveryField(t *testing.T) {
	var seqs []diagnose.Sequence
	f := filler{t: t, base: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	f.fill(reflect.ValueOf(&seqs).Elem(), "window")
	in := make([]*diagnose.Sequence, len(seqs))
	for i := range seqs {
		in[i] = &seqs[i]
	}
	s := New()
	s.SetWindow(in, DefaultWindow)
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, warning, err := Load(path)
	if warning != "" || err != nil {
		t.Fatal(warning, err)
	}
	got := loaded.Seed()
	if len(got) != len(in) {
		t.Fatalf("%d sequences saved, %d loaded", len(in), len(got))
	}
	for i := range in {
		for _, d := range differences(fmt.Sprintf("window[%d]", i), reflect.ValueOf(*in[i]), reflect.ValueOf(*got[i])) {
			t.Errorf("%s: not kept by the state (add it to notKept with a reason if that is deliberate)", d)
		}
	}
}

// filler sets values that are non-zero and distinct from each other, so a
// field saved under another field's name shows up too.
type filler struct {
	t    *testing.T
	base time.Time
	n    int
}

func (f *filler) fill(v reflect.Value, path string) {
	f.n++
	if v.Type() == reflect.TypeFor[time.Time]() {
		// Inside the window: SetWindow would rightly drop older steps.
		v.Set(reflect.ValueOf(f.base.Add(time.Duration(f.n) * time.Second)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s#%d", path, f.n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(f.n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(f.n) + 0.5)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range s.Len() {
			f.fill(s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if _, ok := notKept[v.Type().Name()+"."+sf.Name]; ok {
				continue
			}
			if !sf.IsExported() {
				f.t.Fatalf("%s.%s is unexported: the state file cannot keep it", path, sf.Name)
			}
			f.fill(v.Field(i), path+"."+sf.Name)
		}
	default:
		f.t.Fatalf("%s: fill cannot set a %s yet; teach it", path, v.Type())
	}
}

// differences names the fields where got is not want.
func differences(path string, want, got reflect.Value) []string {
	if reflect.DeepEqual(want.Interface(), got.Interface()) {
		return nil
	}
	switch {
	case want.Kind() == reflect.Struct && want.Type() != reflect.TypeFor[time.Time]():
		var out []string
		for i := range want.NumField() {
			out = append(out, differences(path+"."+want.Type().Field(i).Name, want.Field(i), got.Field(i))...)
		}
		return out
	case want.Kind() == reflect.Slice && want.Len() == got.Len():
		var out []string
		for i := range want.Len() {
			out = append(out, differences(fmt.Sprintf("%s[%d]", path, i), want.Index(i), got.Index(i))...)
		}
		return out
	}
	return []string{fmt.Sprintf("%s = %v, want %v", path, got, want)}
}
