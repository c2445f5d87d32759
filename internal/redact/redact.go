// Package redact hides secrets (credentials, cookie values, tokens in
// query strings) before anything reaches a report. Every output format
// goes through it unless the user asks for --no-redact.
package redact

import (
	"net/url"
	"strings"

	"github.com/frebscan/frebscan/internal/auth"
	"github.com/frebscan/frebscan/internal/headers"
)

// Header returns value with its secret parts replaced by a description.
func Header(name, value string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "authorization", "proxy-authorization":
		return credentials(value)
	case "www-authenticate", "proxy-authenticate":
		return challenges(value)
	case "cookie":
		return cookies(value, ";")
	case "set-cookie":
		return setCookie(value)
	case "x-anchormailbox":
		// Exchange routes by mailbox: the value is the user's SMTP address
		// (or SID), an identity like the user names IIS records.
		return User(value)
	case "x-ms-exchange-proxy-token", "x-commonaccesstoken", "x-csrf-token", "x-owa-canary", "x-api-key", "api-key":
		if value == "" {
			return value
		}
		return "<redacted>"
	}
	return value
}

func credentials(value string) string {
	c := auth.Parse(value)
	if c.Token == "" {
		return value
	}
	return printable(c.Scheme) + " <" + c.Summary() + ", redacted>"
}

// challenges keeps the schemes a server offers ("Negotiate, NTLM") and
// hides tokens (an NTLM type 2 challenge, a Kerberos AP-REP).
func challenges(value string) string {
	cs := auth.ParseChallenges(value)
	if len(cs) == 0 {
		return value
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		if c.Token == "" {
			parts[i] = printable(c.Scheme)
			continue
		}
		summary := credentials(c.Scheme + " " + c.Token)
		parts[i] = summary
	}
	return strings.Join(parts, ", ")
}

// printable drops control characters a hostile header could carry.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// cookies keeps cookie names, which identify the application and the load
// balancer (BIGipServer…, NSC_…), and hides their values.
func cookies(value, sep string) string {
	parts := strings.Split(value, sep)
	for i, p := range parts {
		name, v, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		parts[i] = name + "=<redacted>"
	}
	return strings.Join(parts, sep)
}

func setCookie(value string) string {
	first, attrs, hasAttrs := strings.Cut(value, ";")
	out := cookies(first, ";")
	if hasAttrs {
		out += ";" + attrs
	}
	return out
}

// List returns a redacted copy of l.
func List(l headers.List) headers.List {
	if l == nil {
		return nil
	}
	out := make(headers.List, len(l))
	for i, h := range l {
		out[i] = headers.Header{Name: h.Name, Value: Header(h.Name, h.Value)}
	}
	return out
}

// Changes returns a redacted copy of set-header changes.
func Changes(cs []headers.Change) []headers.Change {
	if cs == nil {
		return nil
	}
	out := make([]headers.Change, len(cs))
	for i, c := range cs {
		c.Value = Header(c.Name, c.Value)
		out[i] = c
	}
	return out
}

// Block redacts a raw header block (the Headers field of an event).
func Block(block string) string {
	if !strings.Contains(block, ":") {
		return block
	}
	l := headers.ParseBlock(block)
	var b strings.Builder
	for _, h := range l {
		if h.Name != "" {
			b.WriteString(h.Name)
			b.WriteString(": ")
		}
		b.WriteString(Header(h.Name, h.Value))
		b.WriteString("\r\n")
	}
	return b.String()
}

var secretParams = map[string]bool{
	"access_token": true, "token": true, "id_token": true, "refresh_token": true,
	"password": true, "pwd": true, "passwd": true, "secret": true, "client_secret": true,
	"sig": true, "signature": true, "api_key": true, "apikey": true, "code": true,
	"x-owa-canary": true, "canary": true,
	// User names: ActiveSync puts the account in the query (User=jdoe).
	"user": true, "username": true,
}

// builtinAccounts are the prefixes of Windows accounts that name no person
// (anonymous IIS access, application pool identities); they say how a
// request ran and are kept.
var builtinAccounts = []string{`nt authority\`, `iis apppool\`, `nt service\`}

// User hides an account name IIS recorded (userName, remoteUserName,
// tokenUserName, the user names of authentication events): like the user
// inside an NTLM token it is personal data, shown only with --no-redact.
// Built-in accounts (NT AUTHORITY\IUSR, IIS APPPOOL\…) are kept, because
// "anonymous" versus "authenticated" is part of a diagnosis.
func User(name string) string {
	if strings.TrimSpace(name) == "" {
		return name
	}
	lower := strings.ToLower(strings.TrimSpace(name))
	for _, p := range builtinAccounts {
		if strings.HasPrefix(lower, p) {
			return name
		}
	}
	return "<user, redacted>"
}

// URL hides the values of query parameters that usually carry credentials
// (OAuth tokens, shared-access signatures, passwords).
func URL(u string) string {
	base, query, ok := strings.Cut(u, "?")
	if !ok || query == "" {
		return u
	}
	parts := strings.Split(query, "&")
	changed := false
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		key, err := url.QueryUnescape(name)
		if err != nil {
			key = name
		}
		if hasValue && secretParams[strings.ToLower(key)] {
			parts[i] = name + "=<redacted>"
			changed = true
		}
	}
	if !changed {
		return u
	}
	return base + "?" + strings.Join(parts, "&")
}
