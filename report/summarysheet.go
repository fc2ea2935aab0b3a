package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The Summary is what a manager reads first, top to bottom: the findings,
// the definitions applied, every figure in one line (dashboard, export,
// recomputed, residual, verdict in words), then one block per figure with
// its bridge and a waterfall chart beside it, and last where every record
// went. It is small and written with the ordinary API.

// summaryWidths are the Summary's columns: A a label, B a second text, C–F
// numbers, G the verdict. The bridge tables use A–D and the charts sit over
// E–G. Together they print on a landscape page at about 90 %.
var summaryWidths = []float64{30, 23, 15, 15, 15, 15, 32}

// chartColumn is where a figure's chart starts (E); the chart spans to G.
const chartColumn = 5

// chartMinRows is a chart's least height in rows: two figure blocks fit on
// a printed page.
const chartMinRows = 10

func (w *workbook) summarySheet() error {
	const name = "Summary"
	f := w.f
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	for i, width := range summaryWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
	}
	titleHeight := 20.0
	p := &pen{w: w, sheet: name, row: 1, widths: summaryWidths,
		capacity: printableHeight / printScale(summaryWidths) * 0.98, pageTop: titleHeight}
	sum := w.in.Summary
	p.line(w.title, "icrecon: why Intercom's numbers disagree")
	p.height(titleHeight)
	p.line(w.note, fmt.Sprintf("%s %s, generated %s; workspace zone %s", sum.Tool.Name, sum.Tool.Version, sum.Tool.GeneratedAt, sum.Workspace.Timezone))
	p.skip()

	p.line(w.bold, "Findings")
	for _, text := range findingLines(sum) {
		p.paragraph(w.wrapped, text)
	}
	p.skip()
	p.line(w.bold, "Definitions applied")
	for _, text := range appliedLines(sum) {
		p.paragraph(w.wrapped, text)
	}
	p.skip()

	p.line(w.bold, "Figures: the dashboard's value, the export's (naive) and icrecon's recomputation")
	p.header(w.th("figure"), w.th("period"), w.thNum("dashboard"), w.thNum(w.naiveLabel()), w.thNum("recomputed"), w.thNum("residual"), w.thAfterNum("verdict"))
	for i, fig := range sum.Figures {
		label := fmt.Sprintf("%d. %s", i+1, fig.Metric) // the figure's number, as in bridge.csv
		if fig.Timezone != sum.Workspace.Timezone {
			label += " (" + fig.Timezone + ")"
		}
		p.cells(append([]any{label, fig.From + ".." + fig.To}, w.figureValues(fig)...)...)
	}
	p.skip()

	for i, fig := range sum.Figures {
		if err := w.figureBlock(p, i, fig); err != nil {
			return err
		}
	}

	p.keepTogether(rowPoints * float64(12+len(sum.Inputs)))
	a := sum.Accounting
	p.line(w.bold, "Accounting: where every record and conversation went")
	p.header(w.th(""), w.thNum("read"), w.thNum("rejected"), w.thNum("duplicates"), w.thNum("accepted"))
	p.cells("export rows", w.number(a.ExportRows), w.number(a.ExportRejected), w.number(a.ExportDuplicates), w.number(a.ExportRows-a.ExportRejected-a.ExportDuplicates))
	p.cells("API records", w.number(a.APIRecords), w.number(a.APIRejected), w.number(a.APIDuplicates), w.number(a.APIRecords-a.APIRejected-a.APIDuplicates))
	p.header(w.th(""), w.thNum("conversations"), w.thNum("matched"), w.thNum("export only"), w.thNum("API only"))
	p.cells("conversations", w.number(a.Conversations), w.number(a.Matched), w.number(a.ExportOnly), w.number(a.APIOnly))
	p.skip()

	p.line(w.bold, "Inputs (their SHA-256 are on the Run sheet)")
	p.header(w.th("file"), w.th("kind"), w.thNum("records"), w.thNum("rejected"), w.thNum("duplicates"))
	for _, in := range sum.Inputs {
		p.cells(in.Path, in.Kind, w.number(in.Records), w.number(in.Rejected), w.number(in.Duplicates))
	}
	p.skip()

	byCause := map[string]int{}
	for _, fs := range sum.Fields {
		for c, n := range fs.Causes {
			byCause[c] += n
		}
	}
	p.keepTogether(rowPoints * float64(3+len(byCause)))
	p.line(w.bold, "Differences by cause (unexplained first): every one is on the Differences sheet")
	p.header(w.th("cause"), w.thNum("differences"))
	for _, c := range strings.Split(causeList(byCause), ", ") {
		if name, n, ok := strings.Cut(c, " "); ok {
			var count int
			fmt.Sscan(n, &count)
			p.cells(name, w.number(count))
		}
	}
	if p.err != nil {
		return p.err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// Printed: one page wide (each chart beside its table), as many pages
	// long as it takes, the title on each, no block cut by a page's end.
	if err := w.fitToPage(name); err != nil {
		return err
	}
	return w.printSetup(name, summaryWidths, 1)
}

// findingLines are the findings, one sentence each, or one saying there
// are none.
func findingLines(sum Summary) []string {
	if len(sum.Findings) == 0 {
		return []string{"None: no field disagrees, unexplained, on a fifth or more of the conversations compared."}
	}
	var out []string
	for _, f := range sum.Findings {
		out = append(out, f.Text)
	}
	return out
}

// appliedLines say in a line or two each the office hours and the readings
// the run applied, and what the sources do not state.
func appliedLines(sum Summary) []string {
	oh := sum.OfficeHours
	var hours string
	switch oh.Source {
	case "none", "":
		hours = "Office hours: none given or learned; durations are over all hours."
	default:
		hours = fmt.Sprintf("Office hours (%s): %s%s.", oh.Source, oh.Schedule, zoneSuffix(oh.Timezone))
		reproduced := oh.Reproduced
		if oh.GivenReproduced != nil {
			reproduced = *oh.GivenReproduced
		}
		if oh.Compared > 0 {
			hours += fmt.Sprintf(" They reproduce %s of the %s durations the sources state.", thousands(reproduced), thousands(oh.Compared))
		}
	}
	if oh.Warning != "" {
		hours += " Warning: " + oh.Warning
	}
	var shown []string
	defaults := 0
	for _, d := range sum.Definitions {
		if d.Reading != defaultReading(d.Family) || d.How == "pinned" || d.How == "undecided" {
			shown = append(shown, fmt.Sprintf("%s %s %s (%s, reproduces %s of %s)", d.Source, d.Family, d.Reading, d.How, thousands(d.Matched), thousands(d.Compared)))
		} else {
			defaults++
		}
	}
	readings := fmt.Sprintf("Definitions: all %d readings are Intercom's defaults, confirmed by the data or not told apart by it (the Definitions sheet has the evidence).", defaults)
	switch {
	case len(sum.Definitions) == 0:
		readings = "Definitions: Intercom's defaults (no data to learn the readings from)."
	case len(shown) > 0:
		others := fmt.Sprintf("The other %d readings are the defaults", defaults)
		if defaults == 1 {
			others = "The other reading is the default"
		}
		readings = "Definitions other than Intercom's defaults: " + strings.Join(shown, "; ") + ". " + others + " (the Definitions sheet has the evidence)."
	}
	out := []string{hours, readings}
	if len(sum.NotStated) > 0 {
		var ns []string
		for _, n := range sum.NotStated {
			ns = append(ns, fmt.Sprintf("%s (the %s, empty in all %s records)", n.Field, n.Source, thousands(n.Records)))
		}
		out = append(out, "Not stated, so compared nowhere: "+strings.Join(ns, "; ")+".")
	}
	if n := sum.LegacyConversations; n > 0 {
		out = append(out, fmt.Sprintf("%s conversations have the parts of API 2.5 or earlier: their assignment and reply fields are not recomputed.", thousands(n)))
	}
	return out
}

// figureValues are a figure's dashboard, export, recomputed and residual
// values and its verdict, in columns C–G.
func (w *workbook) figureValues(fig FigureSummary) []any {
	duration := strings.HasPrefix(fig.Metric, "median")
	return []any{w.figureValue(fig.Dashboard, duration, false), w.figureValue(fig.Export, duration, false),
		w.figureValue(fig.Recomputed, duration, false), w.figureValue(fig.Residual, duration, true), w.verdict(fig.Verdict)}
}

// verdict is a figure's verdict in words, coloured: green when explained,
// red when something is unexplained, amber otherwise.
func (w *workbook) verdict(v string) any {
	style := w.verdictOther
	switch {
	case v == "explained":
		style = w.verdictGood
	case strings.Contains(v, "unexplained"):
		style = w.verdictBad
	}
	return excelize.Cell{StyleID: style, Value: v}
}

// figureBlock writes one figure: its values and verdict, what was applied,
// its bridge table, and the waterfall chart of the bridge beside it.
func (w *workbook) figureBlock(p *pen, i int, fig FigureSummary) error {
	duration := strings.HasPrefix(fig.Metric, "median")
	bars := figureBars(fig, w.naiveLabel())
	notes := figureNotes(fig)
	chartRows := max(chartMinRows, len(bars)+1) // beside the table and its header
	notesHeight := 0.0
	for _, n := range notes {
		notesHeight += p.paragraphHeight(n)
	}
	p.keepTogether(rowPoints*float64(4+max(chartRows, 1+len(bars))) + notesHeight)

	hours := fig.Hours
	if hours == "" {
		hours = "—"
	}
	p.line(w.bold, fmt.Sprintf("%d. %s, %s to %s (%s, hours %s)", i+1, fig.Metric, fig.From, fig.To, fig.Timezone, hours))
	p.header(w.th("dashboard, as typed"), w.th("hours"), w.thNum("dashboard"), w.thNum(w.naiveLabel()), w.thNum("recomputed"), w.thNum("residual"), w.thAfterNum("verdict"))
	shownHours := fig.Hours
	if shownHours == "" {
		shownHours = "not given"
	}
	p.cells(append([]any{fig.Typed, shownHours}, w.figureValues(fig)...)...)
	for _, n := range notes {
		p.paragraph(w.wrapped, n)
	}

	p.header(w.th("step"), w.thNum("change"), w.thNum("value after"), w.thNum("conversations"))
	top := p.row
	for _, b := range bars {
		var count any
		if !b.total && !b.resid { // the residual's conversations are not known
			count = w.number(b.conversations)
		}
		var change any
		if !b.total {
			change = w.figureValue(Number(b.delta), duration, true)
		}
		p.cells(b.label, change, w.figureValue(Number(b.value), duration, false), count)
	}
	first, last, lo, hi := w.waterfallRows(bars, duration)
	p.skipTo(top - 1 + chartRows)
	p.skip()
	// The chart covers columns E–G and chartRows rows, as excelize sizes
	// cells when it anchors a chart (8 pixels a character, 18 a row).
	width := 0
	for _, cw := range summaryWidths[chartColumn-1:] {
		width += int(cw*8 + 0.5)
	}
	return w.waterfall(p.sheet, cellName(chartColumn, top-1), i, fig, first, last, lo, hi, duration, uint(width-4), uint(chartRows*18))
}

// naiveLabel names the naive value by what it was computed from: the
// export, or without one the pulls.
func (w *workbook) naiveLabel() string {
	if w.in.Summary.Accounting.ExportRows == 0 {
		return "pulls (naive)"
	}
	return "export (naive)"
}

// figureBars are a figure's bridge as bars: the export's value, each step,
// the residual and the dashboard's value.
func figureBars(fig FigureSummary, naive string) []bar {
	nan := math.NaN()
	bars := []bar{{label: naive, total: true, value: float64(fig.Export), delta: nan}}
	for _, st := range fig.Bridge {
		bars = append(bars, bar{label: st.Cause, value: float64(st.Value), delta: float64(st.Delta), conversations: st.Conversations})
	}
	bars = append(bars,
		bar{label: "residual", value: float64(fig.Dashboard), delta: float64(fig.Residual), resid: true},
		bar{label: "dashboard", total: true, value: float64(fig.Dashboard), delta: nan})
	return bars
}

// figureNotes say what a figure applied and what it could not check.
func figureNotes(fig FigureSummary) []string {
	notes := []string{"Applied: " + fig.Applied + ". Nearest definition to the dashboard: " + fig.BestDefinition + "."}
	if len(fig.Coverage) > 0 {
		notes = append(notes, "Not covered: the "+strings.Join(fig.Coverage, " and the ")+" does not reach over the whole period, so the residual is not called unexplained.")
	}
	for _, n := range fig.NotChecked {
		notes = append(notes, "Not checked: "+n+".")
	}
	for _, n := range fig.Notes {
		notes = append(notes, "Note: "+n+".")
	}
	return notes
}

// Header cells: text, numeric (right-aligned above right-aligned numbers),
// and text after numbers (indented so it does not run into them).
func (w *workbook) th(name string) any    { return excelize.Cell{StyleID: w.header, Value: name} }
func (w *workbook) thNum(name string) any { return excelize.Cell{StyleID: w.headerNum, Value: name} }
func (w *workbook) thAfterNum(name string) any {
	return excelize.Cell{StyleID: w.headerIndent, Value: name}
}

// pen writes rows one after another on an ordinary sheet. With a capacity
// (points of a printed page at the sheet's print scale) it keeps blocks
// together on a page.
type pen struct {
	w      *workbook
	sheet  string
	row    int
	err    error
	widths []float64 // the columns' widths, for wrapped rows
	// used is the height of the current printed page so far; pageTop that
	// of the rows repeated at the top of every page.
	capacity, used, pageTop float64
}

func (p *pen) line(style int, text string) {
	p.cellsStyled(style, text)
}

// header writes a header row, tall enough for its labels to wrap whole.
func (p *pen) header(cells ...any) {
	lines := 1
	for i, c := range cells {
		if cell, ok := c.(excelize.Cell); ok && i < len(p.widths) {
			lines = max(lines, wrappedLines(fmt.Sprint(cell.Value), p.widths[i]))
		}
	}
	p.cellsStyled(0, cells...)
	if lines > 1 {
		p.height(float64(lines) * rowPoints)
	}
}

func (p *pen) cells(values ...any) { p.cellsStyled(0, values...) }

// cellsStyled writes a row; excelize.Cell values carry their own style, the
// others get style (0: none).
func (p *pen) cellsStyled(style int, values ...any) {
	for i, v := range values {
		if v == nil || p.err != nil {
			continue
		}
		cell := cellName(i+1, p.row)
		s := style
		if c, ok := v.(excelize.Cell); ok {
			v, s = c.Value, c.StyleID
		}
		if text, ok := v.(string); ok {
			v = xlsxText(text) // a string cell, never a formula
		}
		if p.err = p.w.f.SetCellValue(p.sheet, cell, v); p.err == nil && s > 0 {
			p.err = p.w.f.SetCellStyle(p.sheet, cell, cell, s)
		}
	}
	p.row++
	p.used += rowPoints
}

// height sets the height of the row just written.
func (p *pen) height(points float64) {
	if p.err == nil {
		p.err = p.w.f.SetRowHeight(p.sheet, p.row-1, points)
	}
	p.used += points - rowPoints
}

// paragraph writes a text across all the columns, wrapped at spaces, in a
// row as tall as it needs.
func (p *pen) paragraph(style int, text string) {
	row := p.row
	p.cellsStyled(style, text)
	if p.err == nil {
		p.err = p.w.f.MergeCell(p.sheet, cellName(1, row), cellName(len(p.widths), row))
	}
	p.height(p.paragraphHeight(text))
}

func (p *pen) paragraphHeight(text string) float64 {
	width := 0.0
	for _, w := range p.widths {
		width += w
	}
	// Text of the regular weight is about a tenth narrower than the
	// characters (digits) a column's width counts.
	return float64(wrappedLines(text, width*1.1)) * rowPoints
}

// skip leaves a row empty; skipTo goes on at row.
func (p *pen) skip() { p.row++; p.used += rowPoints }

func (p *pen) skipTo(row int) {
	for p.row < row {
		p.skip()
	}
}

// keepTogether starts a new printed page when a block of this height would
// not fit on what is left of the current one.
func (p *pen) keepTogether(height float64) {
	if p.capacity == 0 || p.used+height <= p.capacity || p.used <= p.pageTop {
		return
	}
	if p.err == nil {
		p.err = p.w.f.InsertPageBreak(p.sheet, cellName(1, p.row))
	}
	p.used = p.pageTop
}
