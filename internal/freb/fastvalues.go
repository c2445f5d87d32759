package freb

import (
	"bytes"
	"time"
)

// atoiBytes is atoi without a string for the usual short decimal.
func atoiBytes(b []byte) int {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 18 {
		return atoi(string(b))
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return atoi(string(b))
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// timeBytes is parseTime, with a fast path for the one layout IIS writes
// (2026-06-08T19:54:51.596Z); it builds the time the way time.Parse does
// for that input, so both readers give equal values.
func timeBytes(b []byte) time.Time {
	if len(b) != 24 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' ||
		b[16] != ':' || b[19] != '.' || b[23] != 'Z' {
		return parseTime(string(b))
	}
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d := num(b[0:4]), num(b[5:7]), num(b[8:10])
	h, mi, s, ms := num(b[11:13]), num(b[14:16]), num(b[17:19]), num(b[20:23])
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h < 0 || h > 23 ||
		mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0 {
		return parseTime(string(b))
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, ms*int(time.Millisecond), time.UTC)
}

func daysIn(month, year int) int {
	if month == 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31 - (month-1)%7%2
}

// interner shares the strings that repeat in every event (names,
// providers, field names, module names), so a trace of a million events
// does not hold a million copies of "NOTIFY_MODULE_START". A small
// direct-mapped cache in front of the map answers most lookups with one
// comparison.
type interner struct {
	m     map[string]string
	cache [internCache]string
}

const (
	internMaxLen     = 64
	internMaxEntries = 4096
	internCache      = 1024
)

func (in *interner) bytes(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > internMaxLen {
		return string(b)
	}
	h := (uint(n)*0x9E3779B1 ^ uint(b[0])*0x85EBCA6B ^ uint(b[n-1])*0xC2B2AE35 ^ uint(b[n/2])*0x27D4EB2F ^ uint(b[n/3])*0x165667B1) >> 7 % internCache
	if s := in.cache[h]; s == string(b) {
		return s
	}
	s, ok := in.m[string(b)]
	if !ok {
		s = string(b)
		if len(in.m) < internMaxEntries {
			in.m[s] = s
		}
	}
	in.cache[h] = s
	return s
}
