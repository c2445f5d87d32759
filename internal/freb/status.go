package freb

import (
	"strconv"
	"strings"
)

// ParseStatus parses a status as IIS writes it in statusCode and
// triggerStatusCode: "404", "500.19", "0". ok is false for anything else.
func ParseStatus(s string) (code, sub int, ok bool) {
	s = strings.TrimSpace(s)
	main, rest, hasSub := strings.Cut(s, ".")
	code, err := strconv.Atoi(main)
	if err != nil || code < 0 {
		return 0, 0, false
	}
	if hasSub {
		sub, err = strconv.Atoi(rest)
		if err != nil || sub < 0 {
			return 0, 0, false
		}
	}
	return code, sub, true
}

// FormatStatus renders a status the way IIS does: the substatus only when
// it is not 0.
func FormatStatus(code, sub int) string {
	if sub == 0 {
		return strconv.Itoa(code)
	}
	return strconv.Itoa(code) + "." + strconv.Itoa(sub)
}
