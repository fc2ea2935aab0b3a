package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// WriteTerminal prints the short summary a run ends with: where every record
// and conversation went, the differences by cause, and each figure.
func WriteTerminal(w io.Writer, s Summary) {
	a := s.Accounting
	fmt.Fprintf(w, "export rows  %d read: %d accepted, %d rejected, %d duplicates\n", a.ExportRows, a.ExportRows-a.ExportRejected-a.ExportDuplicates, a.ExportRejected, a.ExportDuplicates)
	fmt.Fprintf(w, "API records  %d read: %d accepted, %d rejected, %d duplicates\n", a.APIRecords, a.APIRecords-a.APIRejected-a.APIDuplicates, a.APIRejected, a.APIDuplicates)
	fmt.Fprintf(w, "conversations %d: %d matched, %d export only, %d API only", a.Conversations, a.Matched, a.ExportOnly, a.APIOnly)
	if a.OutsidePeriod != nil {
		fmt.Fprintf(w, ", %d outside the period", *a.OutsidePeriod)
	}
	fmt.Fprintln(w)

	byCause := map[string]int{}
	total := 0
	for _, f := range s.Fields {
		for c, n := range f.Causes {
			byCause[c] += n
			total += n
		}
	}
	fmt.Fprintf(w, "differences  %d", total)
	if total > 0 {
		fmt.Fprintf(w, ": %s", causeList(byCause))
	}
	fmt.Fprintln(w)
	writeLearning(w, s)
	if len(s.Figures) == 0 {
		return
	}
	const row = "%-31s %-22s %-18s %-6s %10s %10s %10s %9s\n"
	fmt.Fprintf(w, "\n"+row, "FIGURE", "PERIOD", "ZONE", "HOURS", "DASHBOARD", "EXPORT", "RECOMPUTED", "RESIDUAL")
	for _, f := range s.Figures {
		hours := f.Hours
		if hours == "" {
			hours = "-"
		}
		fmt.Fprintf(w, row, f.Metric, f.From+".."+f.To, f.Timezone, hours,
			show(f.Dashboard), show(f.Export), show(f.Recomputed), show(f.Residual))
	}
	fmt.Fprintln(w, "(durations in seconds; the bridges are in summary.json, bridge.csv and report.xlsx)")
	for _, f := range s.Figures {
		if len(f.Coverage) > 0 {
			fmt.Fprintf(w, "warning: %s %s..%s: the %s does not cover this period, so its residual is not unexplained\n", f.Metric, f.From, f.To, strings.Join(f.Coverage, " and the "))
		}
	}
	if len(s.Figures) > 0 && len(s.Figures[0].NotChecked) > 0 {
		fmt.Fprintf(w, "not checked %s\n", s.Figures[0].NotChecked[0])
	}
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
		parts[i] = fmt.Sprintf("%s %d", c, byCause[c])
	}
	return strings.Join(parts, ", ")
}

func show(n Number) string {
	f := float64(n)
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.0f", f)
}
