package report

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// This file is how the workbook's sheets are laid out and printed: which
// headers are right-aligned, how tall a wrapped header is, and the page
// setup every sheet gets (fitted to the page's width, landscape when wide,
// the header row repeated on every printed page).

// column is one column of a table sheet: its header, its width in
// characters, and whether it holds numbers (durations, date-times, counts).
// A numeric column's header is right-aligned like its cells, so that each
// label sits above its own numbers.
type column struct {
	name  string
	width float64
	num   bool
	wrap  bool // long text: wrapped in the column, the row as tall as it needs
}

func textCol(name string, width float64) column { return column{name: name, width: width} }
func numCol(name string, width float64) column  { return column{name: name, width: width, num: true} }
func wrapCol(name string, width float64) column { return column{name: name, width: width, wrap: true} }

// defaultColWidth is a column's width when none is set (Excel's default).
const defaultColWidth = 8.43

// Lengths in points (1/72 inch).
const (
	rowPoints = 15.0 // a row of the default font, Calibri 11
	// printableWidth and printableHeight are a landscape page less Excel's
	// normal margins (0.7" at the sides, 0.75" at the top and bottom): the
	// smaller of Letter's width and A4's height, so that what fits here fits
	// on either paper.
	printableWidth  = (11 - 1.4) * 72
	printableHeight = (8.27 - 1.5) * 72
	// portraitWidth is a portrait Letter page's printable width.
	portraitWidth = (8.5 - 1.4) * 72
)

// colPixels is a column's width on screen: characters of the default font
// are 7 pixels wide, plus 5 pixels of padding.
func colPixels(width float64) float64 { return width*7 + 5 }

// sheetPoints is the printed width of columns of these widths at 100 %.
func sheetPoints(widths []float64) float64 {
	px := 0.0
	for _, w := range widths {
		px += colPixels(w)
	}
	return px * 0.75
}

// landscape reports whether columns of these widths are too wide for a
// portrait page at a readable scale (90 %).
func landscape(widths []float64) bool { return sheetPoints(widths)*0.9 > portraitWidth }

// printScale is the scale at which a sheet of these widths, fitted to a
// landscape page's width, prints (at most 100 %).
func printScale(widths []float64) float64 {
	return math.Min(1, printableWidth/sheetPoints(widths))
}

// fitToPage marks a sheet to be printed fitted to the page (FitToWidth in
// printSetup says how). A streamed sheet needs it before its stream writer
// is made: the writer writes the sheet's properties first.
func (w *workbook) fitToPage(sheet string) error {
	return w.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)})
}

// printSetup prints a sheet one page wide and as many pages long as it
// needs, landscape when wide, with its first titleRows rows repeated on
// every page.
func (w *workbook) printSetup(sheet string, widths []float64, titleRows int) error {
	orientation := "portrait"
	if landscape(widths) {
		orientation = "landscape"
	}
	err := w.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &orientation, FitToWidth: ptr(1), FitToHeight: ptr(0)})
	if err != nil {
		return err
	}
	return w.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), titleRows),
		Scope:    sheet,
	})
}

// quoteSheet is a sheet name as a formula refers to it: 'Export only'.
func quoteSheet(sheet string) string { return "'" + strings.ReplaceAll(sheet, "'", "''") + "'" }

// wrappedLines is how many lines text takes in a cell that holds width
// characters a line and wraps at spaces (a word longer than the line is
// broken). A column's width counts digits of the default font, which bold
// letters about match and regular letters undercut by a tenth: callers
// that write regular text pass a little more. It errs on the side of more
// lines: a row cut short hides text, one a little tall does not.
func wrappedLines(text string, width float64) int {
	capacity := max(1, int(width))
	lines := 0
	for _, paragraph := range strings.Split(text, "\n") {
		lines++
		line := 0
		for _, word := range strings.Fields(paragraph) {
			n := utf8.RuneCountInString(word)
			switch {
			case line == 0:
				line = n
			case line+1+n <= capacity:
				line += 1 + n
			default:
				lines++
				line = n
			}
			for line > capacity {
				lines++
				line -= capacity
			}
		}
	}
	return lines
}

// headerHeight is the height of a header row whose labels wrap in their
// columns, so that no label is cut.
func headerHeight(cols []column) float64 {
	lines := 1
	for _, c := range cols {
		width := c.width
		if width == 0 {
			width = defaultColWidth
		}
		lines = max(lines, wrappedLines(c.name, width))
	}
	return float64(lines) * rowPoints
}
