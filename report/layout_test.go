package report

import "testing"

func TestWrappedLines(t *testing.T) {
	cases := []struct {
		text  string
		width float64
		want  int
	}{
		{"recomputed", 12, 1},
		{"first response time (recomputed)", 12, 4},
		{"first response time (recomputed)", 40, 1},
		{"parts_truncated", 17, 1},
		{"parts_truncated", 10, 2}, // no space to wrap at: broken
		{"a\nb", 20, 2},
		{"", 10, 1},
	}
	for _, tc := range cases {
		if got := wrappedLines(tc.text, tc.width); got != tc.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", tc.text, tc.width, got, tc.want)
		}
	}
}
