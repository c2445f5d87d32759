// Package report renders traces, findings and scan summaries for people
// (terminal, HTML) and machines (JSON, NDJSON, CSV).
package report

import (
	"os"
	"strconv"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"golang.org/x/term"
)

// Style says how terminal output may look. The zero value is plain text
// at 100 columns, which is what pipes, files and CI logs get.
type Style struct {
	Color bool
	Width int
}

// TerminalStyle inspects f (normally stdout) and the environment: colour
// only on a terminal and never when NO_COLOR is set (no-color.org); the
// width is COLUMNS when set (an override, and what tests and scripts
// use), else the terminal's own width (shells do not export COLUMNS, so
// reading it alone gave every terminal 100 columns), else 100 for pipes
// and files.
func TerminalStyle(f *os.File) Style {
	s := Style{Width: 100}
	terminal := f != nil && isTerminal(f)
	if terminal && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" {
		s.Color = true
	}
	if terminal {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			s.Width = w
		}
	}
	if w, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && w > 0 {
		s.Width = w
	}
	s.Width = max(s.Width, minWidth)
	return s
}

// minWidth is the narrowest layout: below it the report is laid out for
// 40 columns and the terminal wraps.
const minWidth = 40

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (s Style) paint(v string, c ...text.Color) string {
	if !s.Color || v == "" {
		return v
	}
	return text.Colors(c).Sprint(v)
}

func (s Style) bold(v string) string { return s.paint(v, text.Bold) }
func (s Style) dim(v string) string  { return s.paint(v, text.Faint) }

// statusColor colours a status by class, as admins read them: 5xx red,
// 4xx yellow, 2xx/3xx green.
func (s Style) status(code int, v string) string {
	switch {
	case code >= 500:
		return s.paint(v, text.FgRed, text.Bold)
	case code >= 400:
		return s.paint(v, text.FgYellow, text.Bold)
	case code > 0:
		return s.paint(v, text.FgGreen)
	}
	return v
}

func (s Style) table(title string) table.Writer {
	tw := table.NewWriter()
	st := table.StyleLight
	if !s.Color {
		st.Color = table.ColorOptions{}
	}
	st.Format.Header = text.FormatDefault
	st.Options.SeparateRows = false
	tw.SetStyle(st)
	if title != "" {
		tw.SetTitle(s.bold(title))
	}
	return tw
}

// valueWidth is how wide the last column of a two-column table may grow
// before it wraps.
func (s Style) valueWidth(keyWidth int) int {
	w := s.Width - keyWidth - 7
	if w < 20 {
		w = 20
	}
	return w
}
