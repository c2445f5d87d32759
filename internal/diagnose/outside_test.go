package diagnose

import (
	"reflect"
	"testing"
)

func TestParseSymptoms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		want    []Symptom
		wantErr bool
	}{
		{in: "400", want: []Symptom{{Code: 400}}},
		{in: " 501 , 401.1,RESET,tls", want: []Symptom{{Code: 501}, {Code: 401, Sub: 1, HasSub: true}, {Kind: SymptomReset}, {Kind: SymptomTLS}}},
		{in: "400.0", want: []Symptom{{Code: 400, HasSub: true}}},
		{in: "", wantErr: true},
		{in: ",", wantErr: true},
		{in: "99", wantErr: true},
		{in: "600", wantErr: true},
		{in: "4xx", wantErr: true},
		{in: "401.x", wantErr: true},
		{in: "timeout", wantErr: true},
	}
	for _, c := range cases {
		got, err := ParseSymptoms(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseSymptoms(%q) error %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		if !c.wantErr && !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseSymptoms(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
	if s := (Symptom{Code: 401, Sub: 1, HasSub: true}).String(); s != "401.1" {
		t.Errorf("String() = %q", s)
	}
}
