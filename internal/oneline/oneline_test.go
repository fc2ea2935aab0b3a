package oneline

import (
	"strings"
	"testing"
)

func TestShorten(t *testing.T) {
	cases := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "America/Vancouver", 80, "America/Vancouver"},
		{"exactly max", "abcde", 5, "abcde"},
		{"cut", "abcdefgh", 6, "abc..."},
		{"line breaks written out", "a\nb\r", 80, `a\nb\r`},
		{"cut at a character's start", "aé€€", 7, "aé..."},
		{"long", strings.Repeat("x", 100000), 80, strings.Repeat("x", 77) + "..."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Shorten(tc.in, tc.max); got != tc.want {
				t.Errorf("Shorten(%.20q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}
