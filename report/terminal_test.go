package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHumanDuration(t *testing.T) {
	cases := map[int64]string{0: "0s", 45: "45s", 870: "14m 30s", 4017: "1h 6m 57s", 3600: "1h", 183900: "2d 3h 5m", -90: "-1m 30s",
		// Its own negation: a recursion on the magnitude never ended.
		math.MinInt64: "-106751991167300d 15h 30m", math.MaxInt64: "106751991167300d 15h 30m"}
	for s, want := range cases {
		if got := HumanDuration(s); got != want {
			t.Errorf("HumanDuration(%d) = %q, want %q", s, got, want)
		}
	}
}

// TestWriteTerminal_FitsTheWidth: no line is wider than the terminal (or
// 100 columns), counts have thousands separators, durations read as typed,
// and a guessed hours mode is marked.
func TestWriteTerminal_FitsTheWidth(t *testing.T) {
	s := Summary{
		Accounting: Accounting{ExportRows: 1234567, APIRecords: 1204, Conversations: 1234567, Matched: 1000, ExportOnly: 1233000, APIOnly: 567},
		Fields:     []FieldSummary{{Causes: map[string]int{"stale": 12345, "unexplained": 2, "office_hours": 3, "anchor": 9, "definition": 6, "bot_author": 12, "rounding": 3, "timezone": 3, "reopened": 15, "parts_truncated": 13}}},
		Figures: []FigureSummary{
			{Metric: "conversations_first_replied_to", From: "2025-10-27", To: "2025-11-02", Timezone: "UTC", Dashboard: 1204, Export: 1377, Recomputed: 1201, Residual: 3, Verdict: "3 conversations unexplained", Coverage: []string{"export"}},
			{Metric: "median_first_response_time", From: "2025-10-01", To: "2025-10-31", Timezone: "America/Vancouver", Hours: "office", HoursGuessed: true, Dashboard: 870, Export: 4017, Recomputed: 76598, Residual: -75728, Verdict: "a residual unexplained"},
		},
	}
	for _, width := range []int{200, 100, 80, 60} {
		var b bytes.Buffer
		WriteTerminal(&b, s, width)
		out := b.String()
		for _, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > min(width, 100) {
				t.Errorf("width %d: a line of %d characters: %q", width, n, line)
			}
		}
		for _, want := range []string{"1,234,567", "14m 30s", "1h 6m 57s", "21h 16m", "office", "guessed", "1,204"} {
			if want == "guessed" && width >= 100 {
				want = "office*"
			}
			if !strings.Contains(out, want) {
				t.Errorf("width %d: the summary does not show %q:\n%s", width, want, out)
			}
		}
	}
}

// TestTableShow: a figure's value in the table is a count or a duration as
// its metric's kind says, whatever its size; only durations are cut to the
// minute to fit.
func TestTableShow(t *testing.T) {
	count := FigureSummary{Metric: "reopened_conversations"}
	duration := FigureSummary{Metric: "median_time_to_close", Hours: "all"}
	cases := []struct {
		name string
		f    FigureSummary
		n    Number
		want string
	}{
		{"a count", count, 1204, "1,204"},
		// Wider than the column, it was taken for seconds: 11574d 1h 46m.
		{"a count of a billion", count, 999999999, "999,999,999"},
		{"a duration", duration, 870, "14m 30s"},
		{"a long duration, to the minute", duration, 999999, "11d 13h 46m"},
		{"a duration without its hours mode", FigureSummary{Metric: "median_first_response_time"}, 45, "45s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tableShow(tc.f, tc.n); got != tc.want {
				t.Errorf("tableShow(%s, %v) = %q, want %q", tc.f.Metric, tc.n, got, tc.want)
			}
		})
	}
}
