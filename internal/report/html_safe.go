package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// hiddenRune reports the characters a trace value could use to make the
// report lie: bidirectional controls reorder the text around them (an
// U+202E makes "fdp.exe" read as "exe.pdf"), and zero-width characters
// hide inside names. The report shows them as visible [U+XXXX] marks.
func hiddenRune(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional controls
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return true // zero-width characters
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r >= 0x7F && r <= 0x9F:
		return true // C0 and C1 controls
	}
	return false
}

// neutralise replaces hidden characters with visible marks and invalid
// UTF-8 with U+FFFD. It runs over the whole rendered page: the templates,
// stylesheet and script contain none of these characters, so every one
// found came from a trace, wherever html/template put it (text, attribute,
// SVG title), and none can be missed by a template that forgot a filter.
func neutralise(page string) string {
	var b strings.Builder
	writeNeutralised(&b, []byte(page))
	return b.String()
}

// writeNeutralised writes page neutralised to w, the clean runs as they
// are: a page of tens of megabytes is not copied again to be cleaned.
func writeNeutralised(w io.Writer, page []byte) error {
	clean := 0 // start of the run not written yet
	for i := 0; i < len(page); {
		r, n := utf8.DecodeRune(page[i:])
		var mark string
		switch {
		case r == utf8.RuneError && n == 1:
			mark = string(utf8.RuneError)
		case hiddenRune(r):
			mark = fmt.Sprintf("[U+%04X]", r)
		default:
			i += n
			continue
		}
		if _, err := w.Write(page[clean:i]); err != nil {
			return err
		}
		if _, err := io.WriteString(w, mark); err != nil {
			return err
		}
		i += n
		clean = i
	}
	_, err := w.Write(page[clean:])
	return err
}

// clip shortens a value for a compact cell, on a rune boundary.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// clipLong bounds one value in a detailed view (a 64 KB header must not
// make a 64 KB table cell) and says how much was left out.
func clipLong(s string) string {
	const max = 2048
	if len(s) <= max {
		return s
	}
	return clip(s, max) + fmt.Sprintf(" (%d more bytes not shown)", len(s)-max)
}
