package headers

import (
	"reflect"
	"testing"
)

func TestParseBlock(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  List
	}{
		{"crlf as IIS writes it", "Host: a\r\nVia: HTTPS/1.1 lb:443\r\n", List{{"Host", "a"}, {"Via", "HTTPS/1.1 lb:443"}}},
		{"lf after xml normalisation", "Host: a\nVia: x\n", List{{"Host", "a"}, {"Via", "x"}}},
		{"stray cr", "Host: a\rVia: x", List{{"Host", "a"}, {"Via", "x"}}},
		{"duplicates kept in order", "X-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n", List{{"X-Forwarded-For", "1.1.1.1"}, {"X-Forwarded-For", "2.2.2.2"}}},
		{"folded continuation", "Cookie: a=1;\r\n b=2\r\n", List{{"Cookie", "a=1; b=2"}}},
		{"value with colons", "X-ClientSide: 1.2.3.4:49792 -> 5.6.7.8:443\r\n", List{{"X-ClientSide", "1.2.3.4:49792 -> 5.6.7.8:443"}}},
		{"line without colon kept", "garbage line\r\nHost: a\r\n", List{{"", "garbage line"}, {"Host", "a"}}},
		{"empty", "", nil},
		{"blank lines", "\r\n\r\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseBlock(tc.block); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseBlock(%q) = %#v, want %#v", tc.block, got, tc.want)
			}
		})
	}
}

func TestLookupIsCaseInsensitive(t *testing.T) {
	l := List{{"Via", "1"}, {"via", "2"}, {"Host", "h"}}
	if v, ok := l.Get("VIA"); !ok || v != "1" {
		t.Errorf("Get = %q %v", v, ok)
	}
	if got := l.Values("via"); !reflect.DeepEqual(got, []string{"1", "2"}) {
		t.Errorf("Values = %v", got)
	}
	if l.Has("x-missing") || l.Value("x-missing") != "" {
		t.Error("missing header found")
	}
}

func TestApply(t *testing.T) {
	l := List{{"Host", "mail.contoso.com"}, {"Via", "a"}, {"Via", "b"}}
	got := Apply(l, []Change{
		{Name: "Host", Value: "ex01:443", Replace: true},
		{Name: "X-Forwarded-For", Value: "1.2.3.4:5"},
		{Name: "via", Value: "c", Replace: true},
		{Name: "X-New", Value: "n", Replace: true},
	})
	want := List{{"Host", "ex01:443"}, {"Via", "c"}, {"X-Forwarded-For", "1.2.3.4:5"}, {"X-New", "n"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply = %#v", got)
	}
	if l[0].Value != "mail.contoso.com" {
		t.Error("Apply modified its input")
	}
	if NormalizeName(" AspFilterSessionId: ") != "AspFilterSessionId" {
		t.Error("NormalizeName")
	}
}
