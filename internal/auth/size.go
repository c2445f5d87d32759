package auth

// Http.sys limits that large Kerberos tokens hit (HKLM\System\
// CurrentControlSet\Services\HTTP\Parameters, KB 2020943). A request over
// them gets "400 Request header too long" from Http.sys before IIS sees
// it, so it never appears in FREB; requests that got in close to the
// limit are the warning sign.
const (
	// MaxFieldLength is the default limit for one header line.
	MaxFieldLength = 16384
	// MaxRequestBytes is the default limit for the request line plus all
	// headers.
	MaxRequestBytes = 16384
	// nearPercent marks a header as close to the limit.
	nearPercent = 75
)

// HeaderSize is how one header line compares with MaxFieldLength.
type HeaderSize struct {
	// Bytes counts "Name: value" as Http.sys sees the line (no CRLF).
	Bytes int `json:"bytes"`
	// TokenBytes is the decoded token size (for Authorization headers).
	TokenBytes int `json:"tokenBytes,omitempty"`
	Limit      int `json:"limit"`
	// Percent is Bytes as a share of Limit, rounded down.
	Percent int `json:"percent"`
	// Near is true from 75 % of the limit; Over when it is exceeded.
	Near bool `json:"near,omitempty"`
	Over bool `json:"over,omitempty"`
	// Recommended is the MaxFieldLength/MaxRequestBytes value KB 2020943
	// suggests for this token: 4/3 × token size + 200.
	Recommended int `json:"recommended,omitempty"`
}

// MeasureHeader compares one header line with the default Http.sys limit.
func MeasureHeader(name, value string) HeaderSize {
	s := HeaderSize{Bytes: len(name) + 2 + len(value), Limit: MaxFieldLength}
	s.Percent = s.Bytes * 100 / s.Limit
	s.Near = s.Percent >= nearPercent
	s.Over = s.Bytes > s.Limit
	if c := Parse(value); c.Token != "" && c.Raw != nil {
		s.TokenBytes = len(c.Raw)
		s.Recommended = RecommendedLimit(s.TokenBytes)
	}
	return s
}

// RecommendedLimit is the MaxFieldLength/MaxRequestBytes setting for a
// token of tokenBytes bytes: base64 grows it by 4/3, plus 200 bytes for
// the header name and scheme (KB 2020943). It is not capped: the valid
// range of the registry values is for the caller to check against KB 820129.
func RecommendedLimit(tokenBytes int) int {
	if tokenBytes <= 0 {
		return 0
	}
	return (tokenBytes*4+2)/3 + 200
}
