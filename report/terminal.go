package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/icrecon/icrecon/intercom"
)

// Terminal layouts: the table needs this many columns; a narrower terminal
// gets two lines per figure.
const tableWidth = 100

// WriteTerminal prints the short summary a run ends with — where every
// record and conversation went, the findings, what was learned, the
// differences by cause and each figure — for a terminal width columns wide
// (at most 100 are used). Counts have thousands separators; durations read
// as people type them (14m 30s).
func WriteTerminal(w io.Writer, s Summary, width int) {
	width = min(width, tableWidth)
	if width < 40 {
		width = 40
	}
	t := &terminal{w: w, width: width}
	a := s.Accounting
	t.printf("export rows   %s read: %s accepted, %s rejected, %s duplicates", thousands(a.ExportRows),
		thousands(a.ExportRows-a.ExportRejected-a.ExportDuplicates), thousands(a.ExportRejected), thousands(a.ExportDuplicates))
	t.printf("API records   %s read: %s accepted, %s rejected, %s duplicates", thousands(a.APIRecords),
		thousands(a.APIRecords-a.APIRejected-a.APIDuplicates), thousands(a.APIRejected), thousands(a.APIDuplicates))
	outside := ""
	if a.OutsidePeriod != nil {
		outside = fmt.Sprintf(", %s outside the period", thousands(*a.OutsidePeriod))
	}
	t.printf("conversations %s: %s matched, %s export only, %s API only%s", thousands(a.Conversations), thousands(a.Matched),
		thousands(a.ExportOnly), thousands(a.APIOnly), outside)

	byCause := map[string]int{}
	total := 0
	for _, f := range s.Fields {
		for c, n := range f.Causes {
			byCause[c] += n
			total += n
		}
	}
	if total > 0 {
		t.printf("differences   %s: %s", thousands(total), causeList(byCause))
	} else {
		t.printf("differences   none")
	}
	writeLearning(t, s)
	if len(s.Figures) == 0 {
		return
	}
	fmt.Fprintln(w)
	if width >= tableWidth {
		naive := "EXPORT"
		if s.Accounting.ExportRows == 0 {
			naive = "PULLS" // the naive value counts the pulled conversations
		}
		t.figureTable(s.Figures, naive)
	} else {
		t.figureLines(s.Figures)
	}
	for _, f := range s.Figures {
		if len(f.Coverage) > 0 {
			t.printf("warning: %s %s: the %s does not cover this period, so its residual is not unexplained",
				f.Metric, period(f), strings.Join(f.Coverage, " and the "))
		}
		for _, note := range f.Notes {
			t.printf("note: %s %s: %s", f.Metric, period(f), note)
		}
	}
	if len(s.Figures[0].NotChecked) > 0 {
		t.printf("not checked %s", s.Figures[0].NotChecked[0])
	}
	t.printf("(the bridges are in report.xlsx, summary.json and bridge.csv)")
}

// terminal writes lines folded to its width.
type terminal struct {
	w     io.Writer
	width int
}

// printf writes one line, folded at spaces to the width; continuation lines
// are indented.
func (t *terminal) printf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	indent := ""
	for len(line) > t.width {
		cut := strings.LastIndex(line[:t.width], " ")
		if cut <= len(indent) {
			break
		}
		fmt.Fprintln(t.w, line[:cut])
		indent = "  "
		line = indent + strings.TrimLeft(line[cut:], " ")
	}
	fmt.Fprintln(t.w, line)
}

const figureRow = "%-30s %-13s %-7s %10s %10s %10s %10s\n"

// figureTable is one line per figure, at most 100 columns wide: periods
// without their year when every figure is in the same one, durations
// without seconds past ten hours.
// naive heads the naive value's column: what the analyst computed it from.
func (t *terminal) figureTable(figures []FigureSummary, naive string) {
	year := figures[0].From[:4]
	for _, f := range figures {
		if f.From[:4] != year || f.To[:4] != year {
			year = ""
		}
	}
	header := "PERIOD"
	if year != "" {
		header = "PERIOD (" + year + ")"
	}
	fmt.Fprintf(t.w, figureRow, "FIGURE", header, "HOURS", "DASHBOARD", naive, "RECOMPUTED", "RESIDUAL")
	guessed := false
	for _, f := range figures {
		hours := f.Hours
		switch {
		case hours == "":
			hours = "-"
		case f.HoursGuessed:
			hours += "*"
			guessed = true
		}
		p := period(f)
		if year != "" {
			p = p[5:]
		}
		fmt.Fprintf(t.w, figureRow, f.Metric, p, hours,
			tableShow(f, f.Dashboard), tableShow(f, f.Export), tableShow(f, f.Recomputed), signedShow(f, f.Residual))
	}
	if guessed {
		fmt.Fprintln(t.w, "* hours not given on the dashboard row: the mode nearer the dashboard's value")
	}
}

// figureLines is two lines per figure, for a narrow terminal.
func (t *terminal) figureLines(figures []FigureSummary) {
	for _, f := range figures {
		hours := ""
		if f.Hours != "" {
			hours = ", " + f.Hours + " hours"
			if f.HoursGuessed {
				hours += " (guessed: not on the dashboard row)"
			}
		}
		t.printf("%s, %s%s", f.Metric, period(f), hours)
		t.printf("  dashboard %s, export %s, recomputed %s, residual %s: %s",
			show(f, f.Dashboard), show(f, f.Export), show(f, f.Recomputed), signedShow(f, f.Residual), f.Verdict)
	}
}

// period is 2025-10-01..31 within a month, else 2025-10-27..11-02; a
// zone other than the workspace's follows in brackets.
func period(f FigureSummary) string {
	p := f.From + ".." + f.To
	switch {
	case f.From[:7] == f.To[:7]:
		p = f.From + ".." + f.To[8:]
	case f.From[:4] == f.To[:4]:
		p = f.From + ".." + f.To[5:]
	}
	if f.Timezone == "UTC" {
		p += " UTC"
	}
	return p
}

// show is a count with thousands separators, or a duration as people write
// it; "-" when there is nothing to show.
func show(f FigureSummary, n Number) string {
	x := float64(n)
	switch {
	case math.IsNaN(x):
		return "-"
	case !isDuration(f):
		return thousands(int(math.Round(x)))
	}
	return HumanDuration(int64(math.Round(x)))
}

// isDuration says whether the figure's values are seconds, as its metric's
// kind says.
func isDuration(f FigureSummary) bool {
	return intercom.MetricKindOf(f.Metric) == intercom.MetricDuration
}

// tableShow is show, with durations past ten hours to the minute, so they
// fit the table's columns. A count is never rounded: 999,999,999 stays a
// count, however wide.
func tableShow(f FigureSummary, n Number) string {
	out := show(f, n)
	if len(out) > 10 && isDuration(f) {
		if x := int64(math.Round(float64(n))); x >= 36000 {
			return HumanDuration(x - x%60)
		}
	}
	return out
}

func signedShow(f FigureSummary, n Number) string {
	x := float64(n)
	if math.IsNaN(x) || x == 0 {
		return show(f, n)
	}
	if x < 0 {
		return "-" + show(f, Number(-x))
	}
	return "+" + show(f, n)
}

// HumanDuration writes seconds as people type a duration: 45s, 14m 30s,
// 1h 6m 57s, 2d 4h 5m (seconds dropped past a day).
func HumanDuration(s int64) string {
	sign, magnitude := "", uint64(s)
	if s < 0 {
		// In unsigned arithmetic, so that the most negative int64, whose
		// negation is itself, has a magnitude too.
		sign, magnitude = "-", -uint64(s)
	}
	return sign + humanMagnitude(magnitude)
}

func humanMagnitude(s uint64) string {
	d, h, m, sec := s/86400, s%86400/3600, s%3600/60, s%60
	var parts []string
	add := func(n uint64, unit string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d%s", n, unit))
		}
	}
	add(d, "d")
	add(h, "h")
	add(m, "m")
	if d == 0 {
		add(sec, "s")
	}
	if len(parts) == 0 {
		return "0s"
	}
	return strings.Join(parts, " ")
}

// causeList names the causes, unexplained first (never hidden), then by count.
func causeList(byCause map[string]int) string {
	names := make([]string, 0, len(byCause))
	for c := range byCause {
		names = append(names, c)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "unexplained") != (names[j] == "unexplained") {
			return names[i] == "unexplained"
		}
		if byCause[names[i]] != byCause[names[j]] {
			return byCause[names[i]] > byCause[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, c := range names {
		parts[i] = fmt.Sprintf("%s %s", c, thousands(byCause[c]))
	}
	return strings.Join(parts, ", ")
}
