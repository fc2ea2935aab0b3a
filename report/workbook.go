package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/reconcile"
)

// WorkbookInput is what the workbook is written from.
type WorkbookInput struct {
	Summary Summary
	Result  *reconcile.Result
	// DifferencesCSV is differences.csv, read back (unexplained first) so
	// that no difference is held in memory.
	DifferencesCSV string
	// Rejected are the rejected records the readers kept; Summary.Inputs
	// counts all of them.
	Rejected    []Rejected
	Zone        *time.Location // timestamps are shown in the workspace's zone
	AppID       string         // for links to conversations; "" for none
	GeneratedAt time.Time
	// IncludePersonalData (--include-pii) shows rejected records' raw rows
	// and the values of personal or unknown columns. Off by default: the
	// workbook then holds no names, e-mail addresses or message text.
	IncludePersonalData bool
}

// excelMaxRows is Excel's row limit; a sheet that would pass it stops with a
// note pointing at the CSV that holds every row.
const excelMaxRows = 1_048_576

// WriteWorkbook writes report.xlsx: Summary, Fields, Differences,
// Conversations, Export only, API only, Rejected rows, Definitions, Run.
// Durations are Excel durations, timestamps Excel date-times in the
// workspace's zone, counts numbers; large sheets are streamed.
func WriteWorkbook(path string, in WorkbookInput) error {
	f := excelize.NewFile()
	defer f.Close()
	w := &workbook{f: f, in: in, maxRows: excelMaxRows}
	if in.Zone == nil {
		w.in.Zone = time.UTC
	}
	if err := w.styles(); err != nil {
		return err
	}
	// The hidden chart data and the active tab are set while the workbook
	// holds only its two small sheets: excelize reads every sheet back in
	// to set either, which on the large streamed sheets cost over a second
	// at 100k conversations.
	steps := []func() error{
		w.summarySheet, w.chartDataSheet, w.activateSummary,
		w.fieldsSheet, w.differencesSheet, w.conversationsSheet,
		w.exportOnlySheet, w.apiOnlySheet, w.rejectedSheet, w.definitionsSheet, w.runSheet,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	ts := in.GeneratedAt.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "icrecon", Created: ts, Modified: ts, Title: "icrecon reconciliation"}); err != nil {
		return err
	}
	return writeXLSX(f, path)
}

func (w *workbook) activateSummary() error {
	w.f.SetActiveSheet(0)
	return nil
}

// writeXLSX saves through a file of our own (SaveAs makes it executable),
// and has excelize pack the zip straight into it, deflated on every core
// (parallelZip). WriteTo alone builds the
// whole zip in a bytes.Buffer first, grown by doubling, and copies it out:
// 27 MB held and about 0.35 s of clearing memory at 500k conversations.
// excelize (v2.11.0) makes its zip writer on that buffer and then only reads
// the buffer back, to encrypt (no password here) or patch zip64 headers
// (parts over 4 GB, which the row limit rules out), so the zip writer is
// given the file instead, and anything excelize would still write to the
// buffer is an error, never a corrupt file.
func writeXLSX(f *excelize.File, path string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	packed := bufio.NewWriterSize(out, 1<<20)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return newParallelZip(packed) })
	_, err = f.WriteTo(nothingMore{})
	if err == nil {
		err = packed.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// nothingMore is where excelize's WriteTo copies its buffer, which must be
// empty (see writeXLSX).
type nothingMore struct{}

func (nothingMore) Write(p []byte) (int, error) {
	return 0, fmt.Errorf("excelize wrote %d bytes outside the workbook's zip; report this as a bug of icrecon", len(p))
}

type workbook struct {
	f       *excelize.File
	in      WorkbookInput
	maxRows int
	// style ids
	header, headerNum, headerIndent                                        int
	duration, signedDuration, datetime, count, signedCount                 int
	textRight, indent, wrapped, wrapText, wrapTop, link, note, title, bold int
	verdictGood, verdictBad, verdictOther                                  int
	tables                                                                 int
	// chart holds the data of the Summary's waterfall charts, written to a
	// hidden sheet at the end (chartDataSheet).
	chart chartData
}

func (w *workbook) styles() error {
	right := excelize.Alignment{Horizontal: "right"}
	headerFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"305496"}}
	headerFont := font(excelize.Font{Bold: true, Color: "FFFFFF"})
	defs := []struct {
		id *int
		s  *excelize.Style
	}{
		// Headers wrap at spaces (never cut); a numeric column's header is
		// right-aligned like its numbers; a text column after numbers is
		// indented so that it does not run into them.
		{&w.header, &excelize.Style{Font: headerFont, Fill: headerFill, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&w.headerNum, &excelize.Style{Font: headerFont, Fill: headerFill, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top", WrapText: true}}},
		{&w.headerIndent, &excelize.Style{Font: headerFont, Fill: headerFill, Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1, Vertical: "top", WrapText: true}}},
		{&w.duration, &excelize.Style{CustomNumFmt: ptr("[h]:mm:ss"), Alignment: &right}},
		{&w.signedDuration, &excelize.Style{CustomNumFmt: ptr("+[h]:mm:ss;-[h]:mm:ss;0:00:00"), Alignment: &right}},
		{&w.datetime, &excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss"), Alignment: &right}},
		{&w.count, &excelize.Style{NumFmt: 3, Alignment: &right}}, // #,##0
		{&w.signedCount, &excelize.Style{CustomNumFmt: ptr("+#,##0;-#,##0;0"), Alignment: &right}},
		// Text among numbers (a difference's value that is a word) keeps to
		// the column's right edge and wraps rather than hiding its start.
		{&w.textRight, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right", WrapText: true}}},
		{&w.wrapText, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true}}},
		{&w.wrapTop, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&w.indent, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1}}},
		{&w.wrapped, &excelize.Style{Font: font(excelize.Font{Color: "404040"}), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&w.link, &excelize.Style{Font: font(excelize.Font{Color: "0563C1", Underline: "single"})}},
		{&w.note, &excelize.Style{Font: font(excelize.Font{Italic: true, Color: "595959"})}},
		{&w.title, &excelize.Style{Font: font(excelize.Font{Bold: true, Size: 14})}},
		{&w.bold, &excelize.Style{Font: font(excelize.Font{Bold: true})}},
		{&w.verdictGood, &excelize.Style{Font: font(excelize.Font{Bold: true, Color: "375623"}), Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1}}},
		{&w.verdictBad, &excelize.Style{Font: font(excelize.Font{Bold: true, Color: "C00000"}), Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1}}},
		{&w.verdictOther, &excelize.Style{Font: font(excelize.Font{Bold: true, Color: "9C5700"}), Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1}}},
	}
	for _, d := range defs {
		id, err := w.f.NewStyle(d.s)
		if err != nil {
			return err
		}
		*d.id = id
	}
	return w.chartStyles()
}

func ptr[T any](v T) *T { return &v }

// font names the workbook's font, Calibri 11 unless a size is given: a font
// without a name is drawn in the spreadsheet's fallback (LibreOffice's is a
// serif).
func font(f excelize.Font) *excelize.Font {
	f.Family = "Calibri"
	if f.Size == 0 {
		f.Size = 11
	}
	return &f
}

// sheet streams one table: a frozen header row, column widths, and an Excel
// table over the rows (which gives the autofilter). Printed, it is one page
// wide with its header row on every page.
type sheet struct {
	w       *workbook
	name    string
	sw      *excelize.StreamWriter
	cols    int
	row     int
	csvName string // where every row is when the sheet has to stop
	// full: a note ends the table, at row tableEnd; no more rows follow.
	full     bool
	tableEnd int
	// textStyle is, per column, the style a plain text cell gets (0: none):
	// indented after a numeric column, wrapped in a wrapping one.
	textStyle []int
	widths    []float64
}

// newSheet starts a table whose columns all hold text (or numbers whose
// headers may stay left-aligned); newTable says which columns hold numbers.
func (w *workbook) newSheet(name string, headers []string, widths []float64, csvName string) (*sheet, error) {
	cols := make([]column, len(headers))
	for i, h := range headers {
		cols[i].name = h
		if i < len(widths) {
			cols[i].width = widths[i]
		}
	}
	return w.newTable(name, cols, csvName)
}

// newTable starts a streamed table sheet with these columns: numeric
// columns get right-aligned headers, every header wraps at spaces in a row
// tall enough to show it whole.
func (w *workbook) newTable(name string, cols []column, csvName string) (*sheet, error) {
	if _, err := w.f.NewSheet(name); err != nil {
		return nil, err
	}
	if err := w.fitToPage(name); err != nil { // before the stream writer: see fitToPage
		return nil, err
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
		if c.width == 0 {
			widths[i] = defaultColWidth
		}
	}
	if err := w.printSetup(name, widths, 1); err != nil {
		return nil, err
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	// Last column first: excelize v2.11's stream writer puts each width
	// before those set earlier, and the columns must be in order.
	for i := len(cols) - 1; i >= 0; i-- {
		if cols[i].width == 0 {
			continue
		}
		if err := sw.SetColWidth(i+1, i+1, cols[i].width); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	s := &sheet{w: w, name: name, sw: sw, cols: len(cols), csvName: csvName, textStyle: make([]int, len(cols)), widths: widths}
	// Wrapped text sits at the bottom of its row like the other cells,
	// unless every column wraps (a sheet of sentences reads from the top).
	wrapStyle := w.wrapTop
	for _, c := range cols {
		if !c.wrap {
			wrapStyle = w.wrapText
		}
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		style := w.header
		afterNum := !c.num && i > 0 && cols[i-1].num
		switch {
		case c.num:
			style = w.headerNum
		case afterNum:
			// A text column right of numbers starts a little in, or its
			// words would run into the numbers ("12:01:45 recomputed").
			style = w.headerIndent
			s.textStyle[i] = w.indent
		}
		if c.wrap {
			s.textStyle[i] = wrapStyle
		}
		cells[i] = excelize.Cell{StyleID: style, Value: xlsxText(c.name)}
	}
	s.row++
	return s, sw.SetRow("A1", cells, excelize.RowOpts{Height: headerHeight(cols)})
}

// add writes one row; past Excel's limit the sheet ends with a note.
func (s *sheet) add(cells []any) error {
	if s.full {
		return nil
	}
	if s.row+1 == s.w.maxRows {
		return s.note(fmt.Sprintf("Excel holds no more rows: every row is in %s.", s.csvName))
	}
	s.row++
	lines := 1
	for i, v := range cells {
		if i >= len(s.textStyle) {
			break
		}
		if text, ok := v.(string); ok && s.textStyle[i] != 0 {
			v = excelize.Cell{StyleID: s.textStyle[i], Value: text}
			cells[i] = v
		}
		// A wrapped text gets a row tall enough for it: spreadsheets keep
		// a written row's height rather than fit it to its text.
		if c, ok := v.(excelize.Cell); ok && (c.StyleID == s.w.wrapText || c.StyleID == s.w.wrapTop || c.StyleID == s.w.textRight) {
			if text, ok := c.Value.(string); ok && len(text) > int(s.widths[i])-2 {
				lines = max(lines, wrappedLines(text, s.widths[i]*1.05))
			}
		}
	}
	if lines > 1 {
		return s.sw.SetRow(cellName(1, s.row), textCells(cells), excelize.RowOpts{Height: float64(lines) * rowPoints})
	}
	return s.sw.SetRow(cellName(1, s.row), textCells(cells))
}

// note ends the table with a line of text below it; rows added after a note
// are dropped, more notes are written (up to Excel's limit).
func (s *sheet) note(text string) error {
	if s.row >= s.w.maxRows {
		return nil
	}
	if !s.full {
		s.full, s.tableEnd = true, s.row
	}
	s.row++
	return s.sw.SetRow(cellName(1, s.row), []any{excelize.Cell{StyleID: s.w.note, Value: xlsxText(text)}})
}

// textCells makes every text of a row an xlsx text cell (xlsxText); a
// formula (conversationLink's) keeps its formula. It changes cells in place.
func textCells(cells []any) []any {
	for i, v := range cells {
		switch c := v.(type) {
		case string:
			cells[i] = xlsxText(c)
		case excelize.Cell:
			if s, ok := c.Value.(string); ok {
				c.Value = xlsxText(s)
				cells[i] = c
			}
		}
	}
	return cells
}

// close adds the table (filter buttons, banded rows) and flushes.
func (s *sheet) close() error {
	last := s.row
	if s.full {
		last = s.tableEnd // the notes are not part of the table
	}
	if last > 1 {
		s.w.tables++
		table := &excelize.Table{Range: "A1:" + cellName(s.cols, last), Name: fmt.Sprintf("Table%d", s.w.tables),
			StyleName: "TableStyleLight9", ShowRowStripes: ptr(true)}
		if err := s.sw.AddTable(table); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// Cell values in Excel's types. An unset value is an empty cell.

func (w *workbook) seconds(s intercom.Seconds) any {
	if !s.Valid {
		return nil
	}
	return excelize.Cell{StyleID: w.duration, Value: float64(s.N) / 86400}
}

func (w *workbook) instant(i intercom.Instant) any {
	if !i.Valid {
		return nil
	}
	return excelize.Cell{StyleID: w.datetime, Value: excelSerial(i.Unix, w.in.Zone)}
}

// excelSerial is the wall-clock time in loc as Excel's day number: Excel
// has no time zones, so the cell shows the workspace's local time.
func excelSerial(unix int64, loc *time.Location) float64 {
	_, offset := time.Unix(unix, 0).In(loc).Zone()
	return float64(unix+int64(offset))/86400 + 25569
}

func (w *workbook) number(n int) any { return excelize.Cell{StyleID: w.count, Value: n} }

// conversationLink is a link to the conversation in Intercom's inbox when
// the app id is known and the id has Intercom's shape (digits), else the id
// as text. (A HYPERLINK formula, with the id as its cached value, works in a
// streamed sheet and in every spreadsheet.) It is the only formula a sheet
// table holds.
func (w *workbook) conversationLink(id string) any {
	url := ConversationURL(w.in.AppID, id)
	if url == "" {
		return id
	}
	return excelize.Cell{StyleID: w.link, Value: id, Formula: hyperlinkFormula(url, id)}
}

// fieldsSheet: per field and pair, compared, equal, each cause, unexplained;
// the worst first.
func (w *workbook) fieldsSheet() error {
	causes := reconcile.Causes()
	cols := []column{textCol("field", 32), textCol("left", 11), textCol("right", 11),
		numCol("compared", 10), numCol("equal", 8), numCol("differ", 8)}
	for _, c := range causes {
		// A cause's name has no space to wrap at: the column is as wide as
		// the name, so that it is never broken mid-word.
		cols = append(cols, numCol(c.String(), float64(max(8, len(c.String())+2))))
	}
	s, err := w.newTable("Fields", cols, "summary.json")
	if err != nil {
		return err
	}
	fields := append([]FieldSummary(nil), w.in.Summary.Fields...)
	worstFirst(fields)
	for _, fs := range fields {
		row := []any{fs.Field, fs.Left, fs.Right, w.number(fs.Compared), w.number(fs.Equal), w.number(fs.Compared - fs.Equal)}
		for _, c := range causes {
			row = append(row, w.number(fs.Causes[c.String()]))
		}
		if err := s.add(row); err != nil {
			return err
		}
	}
	for _, n := range w.in.Summary.NotStated {
		if err := s.add([]any{n.Field, n.Source, "not stated: empty in all " + thousands(n.Records) + " records, compared nowhere"}); err != nil {
			return err
		}
	}
	return s.close()
}

// worstFirst orders fields by unexplained, then by differences.
func worstFirst(fields []FieldSummary) {
	for i := 1; i < len(fields); i++ {
		for j := i; j > 0 && worse(fields[j], fields[j-1]); j-- {
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
}

func worse(a, b FieldSummary) bool {
	if a.Unexplained != b.Unexplained {
		return a.Unexplained > b.Unexplained
	}
	return a.Compared-a.Equal > b.Compared-b.Equal
}

// eachCSVRow reads back a CSV icrecon wrote (differences.csv), each cell as
// it was before csvCell.
func eachCSVRow(path string, fn func([]string) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil { // header
		return nil
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for i := range rec {
			rec[i] = csvUncell(rec[i]) // icrecon wrote the file: undo its formula guard
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// conversationsSheet: every conversation with a difference or not matched,
// with the key values of each side.
func (w *workbook) conversationsSheet() error {
	cols := []column{textCol("conversation_id", 17), textCol("status", 12), textCol("initiator", 12), textCol("causes", 22),
		textCol("truncated", 10), numCol(w.local("created_at"), 19), numCol(w.local("started_at"), 19)}
	for _, v := range []string{"first reply at", "last close at", "first response time", "time to close"} {
		for _, side := range []string{"export", "api", "recomputed"} {
			// A date-time is 19 characters wide, a duration about 9; the
			// headers wrap over as many lines as they need.
			h, width := v+" ("+side+")", 12.0
			if strings.HasSuffix(v, " at") {
				h, width = v+" ("+side+", "+w.in.Zone.String()+")", 19
			}
			cols = append(cols, numCol(h, width))
		}
	}
	s, err := w.newTable("Conversations", cols, "conversations.csv")
	if err != nil {
		return err
	}
	err = w.in.Result.EachConversation(func(c reconcile.ConversationRow) error {
		if c.Status == "matched" && c.Causes == 0 || c.Status == "outside_period" {
			return nil
		}
		row := []any{w.conversationLink(c.ID), c.Status, c.Initiator.String(), c.Causes.String(), c.Truncated, w.instant(c.CreatedAt), w.instant(c.StartedAt)}
		sides := []reconcile.KeyValues{c.Export, c.API, c.Recomputed}
		for _, get := range []func(reconcile.KeyValues) any{
			func(k reconcile.KeyValues) any { return w.instant(k.FirstReplyAt) },
			func(k reconcile.KeyValues) any { return w.instant(k.LastCloseAt) },
			func(k reconcile.KeyValues) any { return w.seconds(k.FirstResponseTime) },
			func(k reconcile.KeyValues) any { return w.seconds(k.TimeToClose) },
		} {
			for _, k := range sides {
				row = append(row, get(k))
			}
		}
		return s.add(row)
	})
	if err != nil {
		return err
	}
	return s.close()
}

// local names a date-time column with the zone its cells are shown in, as
// Intercom's export does: Excel cells carry no zone of their own.
func (w *workbook) local(column string) string {
	return column + " (" + w.in.Zone.String() + ")"
}

// exportOnlySheet and apiOnlySheet list the conversations one source lacks.
func (w *workbook) exportOnlySheet() error { return w.onlySheet("Export only", "export_only") }
func (w *workbook) apiOnlySheet() error    { return w.onlySheet("API only", "api_only") }

func (w *workbook) onlySheet(name, status string) error {
	s, err := w.newTable(name, []column{textCol("conversation_id", 20), textCol("initiator", 14),
		numCol(w.local("created_at"), 19), numCol(w.local("started_at"), 19), textCol("read from", 40)}, "conversations.csv")
	if err != nil {
		return err
	}
	err = w.in.Result.EachConversation(func(c reconcile.ConversationRow) error {
		if c.Status != status {
			return nil
		}
		return s.add([]any{w.conversationLink(c.ID), c.Initiator.String(), w.instant(c.CreatedAt), w.instant(c.StartedAt), c.Origin.String()})
	})
	if err != nil {
		return err
	}
	return s.close()
}

func nonZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// definitionsSheet: the mappings and definitions the run used.
func (w *workbook) definitionsSheet() error {
	// Long sentences wrap in their columns (rows grow to hold them), so the
	// sheet prints one page wide at a readable size.
	s, err := w.newTable("Definitions", []column{wrapCol("table", 14), wrapCol("name", 28),
		wrapCol("meaning", 50), wrapCol("detail", 36), wrapCol("more", 36)}, "docs/")
	if err != nil {
		return err
	}
	var rows [][]any
	for _, m := range intercom.InitiatorTable {
		rows = append(rows, []any{"initiator", m.Initiator.String(), m.Meaning,
			"message type " + m.MessageType + "; API delivered_as " + m.DeliveredAs,
			"CSV: " + orNone(m.StartedBy) + " / " + orNone(m.CSVSource)})
	}
	ids := make([]string, len(intercom.Metrics))
	for i, m := range intercom.Metrics {
		ids[i] = m.ID
	}
	for _, m := range reconcile.MetricDefinitions(ids) {
		rows = append(rows, []any{"metric", m.Metric, "in scope: " + m.Scope + "; in the period by " + m.Basis, "value: " + m.Value, m.Aggregation})
	}
	for _, c := range reconcile.Causes() {
		rows = append(rows, []any{"cause", c.String(), reconcile.CauseRules[c], "", ""})
	}
	rows = append(rows, learningRows(w.in.Summary)...)
	for _, r := range rows {
		if err := s.add(r); err != nil {
			return err
		}
	}
	return s.close()
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// runSheet: what produced the workbook.
func (w *workbook) runSheet() error {
	s, err := w.newTable("Run", []column{textCol("item", 14), wrapCol("value", 44), textCol("kind", 14), textCol("sha256", 66),
		numCol("records", 9), numCol("rejected", 9), numCol("duplicates", 11)}, "summary.json")
	if err != nil {
		return err
	}
	sum := w.in.Summary
	ws := sum.Workspace
	for _, r := range [][]any{
		{"tool", sum.Tool.Name + " " + sum.Tool.Version},
		{"generated at", sum.Tool.GeneratedAt},
		{"command", sum.Tool.Command},
		{"time zone", ws.Timezone},
		{"office hours", ws.OfficeHours},
		{"closed days", strings.Join(ws.ClosedDays, ", ")},
		{"app id", ws.AppID},
		{"bots", strings.Join(ws.Bots, ", ")},
		{"variants", ws.Variants},
	} {
		if err := s.add(r); err != nil {
			return err
		}
	}
	for _, in := range sum.Inputs {
		if err := s.add([]any{"input", in.Path, in.Kind, in.SHA256, w.number(in.Records), w.number(in.Rejected), w.number(in.Duplicates)}); err != nil {
			return err
		}
	}
	return s.close()
}

// figureValue renders a figure's number: a duration for medians, a count
// otherwise, with its sign when it is a change (+3, -0:00:06); NaN
// (nothing to take a median of) is an empty cell.
func (w *workbook) figureValue(n Number, duration, signed bool) any {
	f := float64(n)
	if math.IsNaN(f) {
		return nil
	}
	switch {
	case !duration && signed:
		return excelize.Cell{StyleID: w.signedCount, Value: f}
	case !duration:
		return excelize.Cell{StyleID: w.count, Value: f}
	case signed:
		return excelize.Cell{StyleID: w.signedDuration, Value: f / 86400}
	}
	return excelize.Cell{StyleID: w.duration, Value: f / 86400}
}
