package report

import "testing"

func TestNeutralise(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		keepSGR bool
		want    string
	}{
		{"plain text\n\twith tab", false, "plain text\n\twith tab"},
		{"naïve ✓ 日本", false, "naïve ✓ 日本"},
		{"a\x1b[2Jb", false, `a\x1b[2Jb`},
		{"a\x1b[31mred\x1b[0m", true, "a\x1b[31mred\x1b[0m"},
		{"a\x1b[31mred\x1b[0m", false, `a\x1b[31mred\x1b[0m`},
		{"title\x1b]0;pwned\x07", true, `title\x1b]0;pwned\x07`},
		{"clip\x1b]52;c;ZXZpbA==\x1b\\", true, `clip\x1b]52;c;ZXZpbA==\x1b\`},
		{"csi\u009b2J osc\u009d", true, `csi\u009b2J osc\u009d`},
		{"cr\roverwrite", false, `cr\x0doverwrite`},
		{"del\x7f nul\x00", false, `del\x7f nul\x00`},
		{"user\u202eexe.txt", false, `user\u202eexe.txt`},
		{"isolate\u2066x\u2069", false, `isolate\u2066x\u2069`},
		{"bad \xff utf8", false, `bad \xff utf8`},
	}
	for _, tc := range tests {
		if got := Neutralise(tc.in, tc.keepSGR); got != tc.want {
			t.Errorf("Neutralise(%q, %v) = %q, want %q", tc.in, tc.keepSGR, got, tc.want)
		}
	}
}
