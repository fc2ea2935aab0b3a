package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Excel has no waterfall chart: a bridge is drawn as stacked bars whose
// first series, the base, is invisible, so that each step floats from where
// the one before ended. The bars are horizontal and read top to bottom like
// the bridge table beside them, each step's name on one line at its left
// (never broken mid-word, however many steps). The series' values live on a
// hidden sheet, so the Summary shows only what a reader reads.

// chartSheet holds the charts' data; it is hidden.
const chartSheet = "Chart data"

// chartSeries are the stacked series: the invisible base, then the bars.
var chartSeries = []struct{ name, color string }{
	{"base", ""},
	{"total", "8EA9DB"},    // the export's and the dashboard's values
	{"up", "70AD47"},       // a step that adds
	{"down", "E46C6C"},     // a step that removes
	{"residual", "F4B183"}, // what nothing explains
}

// chartData is the hidden sheet's rows: a category and one cell per
// series, each styled so that the chart's value labels (linked to the
// cells' formats) read as the tables do — signed steps, hidden bases.
type chartData struct {
	rows [][]any
	// label styles: counts and durations; the base's hides its label
	hidden, total, up, down, totalDuration, upDuration, downDuration int
}

func (w *workbook) chartStyles() error {
	c := &w.chart
	for _, d := range []struct {
		id  *int
		fmt string
	}{
		{&c.hidden, ";;;"},
		{&c.total, "#,##0"},
		{&c.up, "+#,##0;-#,##0;0"},
		{&c.down, "-#,##0"}, // a positive height shown as the step it is
		{&c.totalDuration, "[h]:mm:ss"},
		{&c.upDuration, "+[h]:mm:ss;-[h]:mm:ss;0:00:00"},
		{&c.downDuration, "-[h]:mm:ss"},
	} {
		id, err := w.f.NewStyle(&excelize.Style{CustomNumFmt: ptr(d.fmt)})
		if err != nil {
			return err
		}
		*d.id = id
	}
	return nil
}

// bar is one column of a waterfall.
type bar struct {
	label string
	total bool    // the export's or the dashboard's value, from zero
	value float64 // total: the value; step: the value after
	delta float64 // step: the change (NaN: none to show)
	resid bool    // the residual step
	// conversations the step moved
	conversations int
}

// waterfallRows adds a figure's bars to the chart data and returns the
// rows they take (1-based, on chartSheet) and the lowest and highest level
// the bars reach.
func (w *workbook) waterfallRows(bars []bar, duration bool) (first, last int, lo, hi float64) {
	c := &w.chart
	scale, total, up, down := 1.0, c.total, c.up, c.down
	if duration {
		scale, total, up, down = 86400, c.totalDuration, c.upDuration, c.downDuration
	}
	cell := func(style int, v float64) any { return excelize.Cell{StyleID: style, Value: v / scale} }
	lo, hi = math.Inf(1), math.Inf(-1)
	level := func(vs ...float64) {
		for _, v := range vs {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	first = len(c.rows) + 2 // after the header row
	for _, b := range bars {
		row := make([]any, 1+len(chartSeries))
		row[0] = chartCategory(b.label)
		switch {
		case b.total && !math.IsNaN(b.value):
			row[2] = cell(total, b.value)
			level(b.value)
		case !b.total && !math.IsNaN(b.delta) && !math.IsNaN(b.value):
			before := b.value - b.delta
			row[1] = cell(c.hidden, math.Min(before, b.value))
			at, style := 3, up
			if b.delta < 0 {
				at, style = 4, down
			}
			if b.resid {
				at = 5
			}
			row[at] = cell(style, math.Abs(b.delta))
			level(before, b.value)
		}
		c.rows = append(c.rows, row)
	}
	return first, len(c.rows) + 1, lo, hi
}

// chartCategory is a step's name as a chart's axis shows it: words, so that
// a long name wraps between them rather than mid-word.
func chartCategory(name string) string { return strings.ReplaceAll(name, "_", " ") }

// chartDataSheet writes the charts' data and hides the sheet.
func (w *workbook) chartDataSheet() error {
	if len(w.chart.rows) == 0 {
		return nil
	}
	if _, err := w.f.NewSheet(chartSheet); err != nil {
		return err
	}
	p := &pen{w: w, sheet: chartSheet, row: 1}
	header := []any{"category"}
	for _, s := range chartSeries {
		header = append(header, s.name)
	}
	p.cells(header...)
	for _, r := range w.chart.rows {
		p.cells(r...)
	}
	if p.err != nil {
		return p.err
	}
	return w.f.SetSheetVisible(chartSheet, false)
}

// waterfall draws a figure's bridge at cell, width by height pixels, from
// the chart data rows first..last; lo and hi are the lowest and highest
// levels its bars reach.
func (w *workbook) waterfall(sheet, cell string, i int, fig FigureSummary, first, last int, lo, hi float64, duration bool, width, height uint) error {
	ref := func(col int) string {
		name, _ := excelize.ColumnNumberToName(col)
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(chartSheet), name, first, name, last)
	}
	labels := excelize.Font{Size: 9, Color: "000000"}
	var series []excelize.ChartSeries
	for k, s := range chartSeries {
		fill := excelize.Fill{Type: "pattern", Pattern: 0} // none: the base is invisible
		if s.color != "" {
			fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{s.color}}
		}
		series = append(series, excelize.ChartSeries{Name: s.name, Categories: ref(1), Values: ref(k + 2), Fill: fill,
			DataLabel: excelize.ChartDataLabel{Font: labels}})
	}
	unit, numFmt, scale := "count", "#,##0", 1.0
	if duration {
		unit, numFmt, scale = "h:mm:ss", "[h]:mm:ss", 86400
	}
	// The value axis: from zero, or from a round value below the lowest bar
	// when the steps are small beside the totals; a duration's ticks fall on
	// round minutes or hours.
	yAxis := excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Size: 9, Color: "262626"}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}}
	min, truncated := axisMinimum(lo, hi, duration)
	if truncated {
		yAxis.Minimum = ptr(min / scale)
	}
	if duration && hi > min {
		unit := durationTick((hi - min) / 4)
		yAxis.Minimum = ptr(math.Floor(min/unit) * unit / scale)
		yAxis.Maximum = ptr(math.Ceil(hi/unit) * unit / scale)
		yAxis.MajorUnit = unit / scale
	}
	gap := uint(40)
	overlap := 100
	return w.f.AddChart(sheet, cell, &excelize.Chart{
		Type:   excelize.BarStacked,
		Series: series,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{
			Text: fmt.Sprintf("%s %s..%s (%s)", fig.Metric, fig.From, fig.To, unit),
			Font: &excelize.Font{Size: 10, Bold: true, Color: "262626"}}}},
		Legend: excelize.ChartLegend{Position: "none"},
		XAxis:  excelize.ChartAxis{Font: excelize.Font{Size: 9, Color: "262626"}, ReverseOrder: true}, // the first step on top
		YAxis:  yAxis,
		// Value labels take each cell's format: signed steps, no label for
		// the invisible base.
		PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{SourceLinked: true}},
		Dimension: excelize.ChartDimension{Width: width, Height: height},
		GapWidth:  &gap,
		Overlap:   &overlap,
		Format:    excelize.GraphicOptions{ScaleX: 1, ScaleY: 1, AltText: fmt.Sprintf("waterfall %d", i+1)},
	})
}

// axisMinimum starts the value axis above zero when the steps are small
// beside the totals (a median that moves by minutes out of hours): from
// zero they would be too thin to see. The value labels keep every number
// readable either way.
func axisMinimum(lo, hi float64, duration bool) (float64, bool) {
	span := hi - lo
	if math.IsInf(lo, 0) || lo <= 0 || span <= 0 || span >= hi/4 {
		return 0, false
	}
	step := niceStep(span, duration)
	min := math.Floor((lo-span)/step) * step
	return min, min > 0
}

// durationTick is the smallest round duration (seconds) at least step: a
// tick every so many minutes or hours.
func durationTick(step float64) float64 {
	for _, s := range []float64{1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600} {
		if s >= step {
			return s
		}
	}
	return math.Ceil(step/86400) * 86400
}

// niceStep is the largest round step not above span: a power of ten for
// counts; for durations (seconds) a round number of seconds, minutes or
// hours.
func niceStep(span float64, duration bool) float64 {
	if !duration {
		return math.Pow(10, math.Floor(math.Log10(span)))
	}
	step := 1.0
	for _, s := range []float64{1, 5, 10, 30, 60, 300, 600, 1800, 3600, 6 * 3600, 24 * 3600} {
		if s <= span {
			step = s
		}
	}
	return step
}
