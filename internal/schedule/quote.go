package schedule

import "strings"

// WindowsArgs joins arguments into one Windows command line the way
// CommandLineToArgvW (and Go's os.Args on Windows) splits it back:
// arguments with spaces, tabs or quotes are quoted, quotes escaped with a
// backslash, and backslashes doubled only where they precede a quote.
// Task Scheduler passes <Arguments> through unchanged.
func WindowsArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = windowsArg(a)
	}
	return strings.Join(quoted, " ")
}

func windowsArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\v\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			slashes++
			b.WriteByte(c)
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			b.WriteByte(c)
			slashes = 0
		default:
			slashes = 0
			b.WriteByte(c)
		}
	}
	// Backslashes before the closing quote would escape it.
	b.WriteString(strings.Repeat(`\`, slashes))
	b.WriteByte('"')
	return b.String()
}

// SystemdArgs joins arguments for ExecStart=: systemd splits on
// whitespace and honours double quotes with C escapes, and expands
// % specifiers and $ variables, which must be doubled to stay literal.
func SystemdArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		a = strings.ReplaceAll(a, "%", "%%")
		a = strings.ReplaceAll(a, "$", "$$")
		if a != "" && a != ";" && !strings.ContainsAny(a, " \t\n\"'\\") {
			quoted[i] = a
			continue
		}
		r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
		quoted[i] = `"` + r.Replace(a) + `"`
	}
	return strings.Join(quoted, " ")
}

// ShellArgs joins arguments for sh (a crontab line): anything but plain
// words is single-quoted. Cron itself turns % into a newline, so it is
// escaped as \%, which cron removes before sh sees the line.
func ShellArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@") == "" {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = strings.ReplaceAll(quoted[i], "%", `\%`)
	}
	return strings.Join(quoted, " ")
}
