package redact

import (
	"regexp"
	"strings"
)

// Secrets in free text: error pages and exception messages quote
// connection strings ("Keyword not supported: 'server=db;password=…'"),
// SQL Server's login errors name the account, and stack traces can carry
// both. The patterns keep the words around the secret, so the diagnosis
// (a wrong keyword, a failed login) still reads.
var (
	// rePassword matches the value of a connection-string password
	// keyword, up to the next ';', quote or end of line.
	rePassword = regexp.MustCompile(`(?i)\b((?:password|pwd|passwd|user password|accountkey|sharedaccesskey|client_secret|clientsecret)\s*=\s*)("[^"]*"|'[^']*'|[^;'"\r\n<&]*)`)
	// reUserID matches the account keyword of a connection string.
	reUserID = regexp.MustCompile(`(?i)\b((?:user id|userid|uid|user|username)\s*=\s*)("[^"]*"|[^;'"\r\n<&]*)`)
	// reLoginFailed matches SQL Server's "Login failed for user 'x'".
	reLoginFailed = regexp.MustCompile(`(?i)(login failed for user\s+(?:&#39;|'|"|&quot;))([^'"&]*)`)
)

// Text hides passwords, account names of connection strings and the user
// of a failed SQL login in free text, keeping everything else.
func Text(s string) string {
	if s == "" || !strings.ContainsAny(s, "=") && !strings.Contains(strings.ToLower(s), "login failed") {
		return s
	}
	s = rePassword.ReplaceAllStringFunc(s, func(m string) string {
		sub := rePassword.FindStringSubmatch(m)
		if strings.TrimSpace(sub[2]) == "" {
			return m
		}
		return sub[1] + "<redacted>"
	})
	s = reUserID.ReplaceAllStringFunc(s, func(m string) string {
		sub := reUserID.FindStringSubmatch(m)
		if strings.TrimSpace(sub[2]) == "" || User(strings.Trim(sub[2], `"`)) == strings.Trim(sub[2], `"`) {
			return m
		}
		return sub[1] + "<user, redacted>"
	})
	return reLoginFailed.ReplaceAllStringFunc(s, func(m string) string {
		sub := reLoginFailed.FindStringSubmatch(m)
		if User(sub[2]) == sub[2] {
			return m
		}
		return sub[1] + "<user, redacted>"
	})
}
