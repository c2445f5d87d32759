package auth

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseChallenges(t *testing.T) {
	type2 := b64(ntlmType2("CONTOSO", nil))
	tests := []struct {
		name    string
		values  []string
		schemes []string
		check   func(t *testing.T, cs []Challenge)
	}{
		{"IIS one line per scheme", []string{"Negotiate", "NTLM"}, []string{"Negotiate", "NTLM"}, nil},
		{"comma separated", []string{"Negotiate, NTLM, Basic realm=\"mail.contoso.com\""}, []string{"Negotiate", "NTLM", "Basic"}, func(t *testing.T, cs []Challenge) {
			want(t, cs[2].Param("realm"), "mail.contoso.com")
		}},
		{"NTLM challenge token", []string{"NTLM " + type2}, []string{"NTLM"}, func(t *testing.T, cs []Challenge) {
			want(t, cs[0].Token, type2)
			want(t, cs[0].Decoded.NTLMType, 2)
			want(t, cs[0].Decoded.NTLM.TargetName, "CONTOSO")
		}},
		{"token68 with padding", []string{"Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg=="}, []string{"Negotiate"}, func(t *testing.T, cs []Challenge) {
			want(t, cs[0].Decoded.Negotiation.NegState, "accept-completed")
		}},
		{"bearer with quoted commas", []string{`Bearer realm="", error="invalid_token", error_description="expired, renew", Basic realm="x"`}, []string{"Bearer", "Basic"}, func(t *testing.T, cs []Challenge) {
			want(t, cs[0].Param("error"), "invalid_token")
			want(t, cs[0].Param("error_description"), "expired, renew")
			want(t, len(cs[0].Params), 3)
		}},
		{"escaped quote", []string{`Basic realm="a \"b\" c"`}, []string{"Basic"}, func(t *testing.T, cs []Challenge) {
			want(t, cs[0].Param("realm"), `a "b" c`)
		}},
		{"empty and stray commas", []string{"", " , ,Negotiate,, "}, []string{"Negotiate"}, nil},
		{"leading parameter is dropped", []string{"realm=x, NTLM"}, []string{"NTLM"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := ParseChallenges(tt.values...)
			if got := Schemes(cs); !reflect.DeepEqual(got, tt.schemes) {
				t.Fatalf("schemes = %q, want %q", got, tt.schemes)
			}
			if tt.check != nil {
				tt.check(t, cs)
			}
		})
	}
}

func TestParseChallengesBounded(t *testing.T) {
	cs := ParseChallenges(strings.Repeat("NTLM, ", 1000))
	want(t, len(cs), maxChallenges)
}

func TestPersistentAuth(t *testing.T) {
	tests := []struct {
		values     []string
		want       PersistentAuth
		persistent bool
	}{
		{nil, PersistAbsent, true},
		{[]string{"true"}, PersistTrue, true},
		{[]string{" False "}, PersistFalse, false},
		{[]string{"false", "false"}, PersistFalse, false},
		{[]string{"true", "false"}, PersistInvalid, false},
		{[]string{"yes"}, PersistInvalid, false},
	}
	for _, tt := range tests {
		got := ParsePersistentAuth(tt.values)
		if got != tt.want || got.Persistent() != tt.persistent {
			t.Errorf("ParsePersistentAuth(%q) = %v (persistent %v), want %v (%v)", tt.values, got, got.Persistent(), tt.want, tt.persistent)
		}
	}
	want(t, PersistFalse.String(), "false")
	want(t, PersistAbsent.String(), "absent")
}

func TestMeasureHeader(t *testing.T) {
	small := MeasureHeader("Authorization", "NTLM "+b64(exampleType3()))
	want(t, small.Near, false)
	want(t, small.TokenBytes, 418)
	want(t, small.Limit, MaxFieldLength)

	bigToken := negTokenInit(apReq("CONTOSO.COM", "HTTP", "mail.contoso.com", 23, 10500), oidKerberosBytes)
	big := MeasureHeader("Authorization", "Negotiate "+b64(bigToken))
	want(t, big.Near, true)
	want(t, big.Over, false)
	want(t, big.Recommended, RecommendedLimit(len(bigToken)))

	huge := MeasureHeader("Authorization", "Negotiate "+strings.Repeat("A", 20000))
	want(t, huge.Over, true)
	want(t, huge.Percent, (20000+len("Authorization")+2+len("Negotiate "))*100/MaxFieldLength)

	want(t, RecommendedLimit(12000), 16200)
	want(t, RecommendedLimit(0), 0)
}
