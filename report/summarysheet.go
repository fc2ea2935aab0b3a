package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// summarySheet is small and written with the ordinary API: the inputs, the
// accounting, the differences by cause, and per figure its values, its
// bridge and a waterfall chart of the bridge.
func (w *workbook) summarySheet() error {
	const name = "Summary"
	f := w.f
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 34, "B": 22, "C": 22, "D": 16, "E": 16, "F": 14, "G": 14, "H": 14, "I": 14} {
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
	}
	p := &pen{w: w, sheet: name, row: 1}
	sum := w.in.Summary
	p.line(w.title, "icrecon: why Intercom's numbers disagree")
	p.line(w.note, fmt.Sprintf("%s %s, generated %s; workspace zone %s; office hours %s", sum.Tool.Name, sum.Tool.Version, sum.Tool.GeneratedAt, sum.Workspace.Timezone, sum.Workspace.OfficeHours))
	p.row++

	p.line(w.bold, "Inputs")
	p.headers("file", "kind", "records", "rejected", "duplicates", "SHA-256")
	for _, in := range sum.Inputs {
		p.cells(in.Path, in.Kind, w.number(in.Records), w.number(in.Rejected), w.number(in.Duplicates), in.SHA256)
	}
	p.row++

	a := sum.Accounting
	p.line(w.bold, "Accounting: where every record and conversation went")
	p.headers("", "read", "rejected", "duplicates", "accepted")
	p.cells("export rows", w.number(a.ExportRows), w.number(a.ExportRejected), w.number(a.ExportDuplicates), w.number(a.ExportRows-a.ExportRejected-a.ExportDuplicates))
	p.cells("API records", w.number(a.APIRecords), w.number(a.APIRejected), w.number(a.APIDuplicates), w.number(a.APIRecords-a.APIRejected-a.APIDuplicates))
	p.headers("", "conversations", "matched", "export only", "API only")
	p.cells("conversations", w.number(a.Conversations), w.number(a.Matched), w.number(a.ExportOnly), w.number(a.APIOnly))
	p.row++

	p.line(w.bold, "Differences by cause (unexplained first)")
	p.headers("cause", "differences")
	byCause := map[string]int{}
	for _, fs := range sum.Fields {
		for c, n := range fs.Causes {
			byCause[c] += n
		}
	}
	for _, c := range strings.Split(causeList(byCause), ", ") {
		if name, n, ok := strings.Cut(c, " "); ok {
			var count int
			fmt.Sscan(n, &count)
			p.cells(name, w.number(count))
		}
	}
	p.row++

	for i, fig := range sum.Figures {
		if err := w.figureBlock(p, i, fig); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// Printed, the summary is one page wide with each chart beside its table.
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)}); err != nil {
		return err
	}
	return p.err
}

// figureBlock writes one figure: its values, its bridge table with the
// chart's helper columns, and the waterfall chart beside them.
func (w *workbook) figureBlock(p *pen, i int, fig FigureSummary) error {
	duration := strings.HasPrefix(fig.Metric, "median")
	hours := fig.Hours
	if hours == "" {
		hours = "—"
	}
	p.line(w.bold, fmt.Sprintf("%s, %s to %s (%s, hours %s)", fig.Metric, fig.From, fig.To, fig.Timezone, hours))
	p.headers("dashboard", "export (naive)", "recomputed", "residual", "typed as")
	p.cells(w.figureValue(fig.Dashboard, duration, false), w.figureValue(fig.Export, duration, false),
		w.figureValue(fig.Recomputed, duration, false), w.figureValue(fig.Residual, duration, true), fig.Typed)
	p.cells("best definition: " + fig.BestDefinition)

	unit := "count"
	scale := 1.0
	if duration {
		unit, scale = "hours", 3600
	}
	p.headers("step", "change", "value after", "conversations", "chart: base", "chart: total", "chart: up", "chart: down")
	first := p.row
	bar := func(label string, delta, value Number, n int, kind string, prev float64) {
		d, v := float64(delta), float64(value)
		base, total, up, down := 0.0, 0.0, 0.0, 0.0
		switch {
		case kind == "total":
			total = v
		case !math.IsNaN(d) && !math.IsNaN(prev):
			base = math.Min(prev, prev+d)
			up, down = math.Max(0, d), math.Max(0, -d)
		}
		var count any
		if kind != "total" {
			count = w.number(n)
		}
		p.cells(label, w.figureValue(delta, duration, true), w.figureValue(value, duration, false), count,
			w.decimal(base/scale), w.decimal(total/scale), w.decimal(up/scale), w.decimal(down/scale))
	}
	bar("export (naive)", Number(math.NaN()), fig.Export, 0, "total", 0)
	prev := float64(fig.Export)
	for _, st := range fig.Bridge {
		bar(st.Cause, st.Delta, st.Value, st.Conversations, "step", prev)
		prev = float64(st.Value)
	}
	bar("residual", fig.Residual, fig.Dashboard, 0, "step", prev)
	bar("dashboard", Number(math.NaN()), fig.Dashboard, 0, "total", 0)
	last := p.row - 1
	p.row++
	return w.waterfall(p.sheet, i, fig, first, last, unit)
}

// waterfall is a stacked column chart whose first series is an invisible
// base, so each step floats from where the one before ended.
func (w *workbook) waterfall(sheet string, i int, fig FigureSummary, first, last int, unit string) error {
	ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, col, first, col, last) }
	series := []excelize.ChartSeries{
		{Name: "base", Categories: ref("A"), Values: ref("E"), Fill: excelize.Fill{Type: "pattern", Pattern: 0}},
		{Name: "total", Categories: ref("A"), Values: ref("F"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"305496"}}},
		{Name: "up", Categories: ref("A"), Values: ref("G"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"70AD47"}}},
		{Name: "down", Categories: ref("A"), Values: ref("H"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}}},
	}
	gap := uint(40)
	overlap := 100
	return w.f.AddChart(sheet, fmt.Sprintf("J%d", first-4), &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf("%s %s..%s (%s)", fig.Metric, fig.From, fig.To, unit)}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 560, Height: uint(20 * (last - first + 6))}, // as tall as the block
		GapWidth:  &gap,
		Overlap:   &overlap,
		Format:    excelize.GraphicOptions{ScaleX: 1, ScaleY: 1, OffsetX: 0, OffsetY: 0, AltText: fmt.Sprintf("waterfall %d", i+1)},
	})
}

// pen writes rows one after another on an ordinary sheet.
type pen struct {
	w     *workbook
	sheet string
	row   int
	err   error
}

func (p *pen) line(style int, text string) {
	p.cellsStyled(style, text)
}

func (p *pen) headers(names ...string) {
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = n
	}
	p.cellsStyled(p.w.header, cells...)
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
}
