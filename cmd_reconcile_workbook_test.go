package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// dumpWorkbook renders every sheet's cells (raw values and formulas) as
// text: how workbooks are compared, never by their bytes.
func dumpWorkbook(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s\n", sheet)
		for i, row := range rows {
			fmt.Fprintf(&b, "%d: %s\n", i+1, strings.Join(row, "|"))
		}
	}
	return b.String()
}

// TestReconcile_Workbook reads report.xlsx back: its sheets, their headers,
// the types and formats of key cells, and values that must agree with
// summary.json.
func TestReconcile_Workbook(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(out)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f := openReport(t, out)
	// The last sheet, hidden, holds the charts' data.
	want := []string{"Summary", "Chart data", "Fields", "Differences", "Conversations", "Export only", "API only", "Rejected rows", "Definitions", "Run"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	headers := map[string]string{
		"Differences":   "conversation_id|field|left|left_value (America/Vancouver)|right|right_value (America/Vancouver)|difference (right − left)|cause|reading",
		"Export only":   "conversation_id|initiator|created_at (America/Vancouver)|started_at (America/Vancouver)|read from",
		"Rejected rows": "file|line|record|column|value|reason", // the raw row only with --include-pii
	}
	for sheet, header := range headers {
		rows, _ := f.GetRows(sheet)
		if len(rows) == 0 || strings.Join(rows[0], "|") != header {
			t.Errorf("%s header %v", sheet, rows)
		}
	}
	s := readSummary(t, out)

	// Differences: unexplained first, ids linked to the conversation.
	diffs, _ := f.GetRows("Differences")
	if len(diffs) != 125 || diffs[1][7] != "unexplained" || diffs[2][7] != "unexplained" || diffs[3][7] == "unexplained" {
		t.Errorf("%d difference rows, first causes %q %q %q", len(diffs), diffs[1][7], diffs[2][7], diffs[3][7])
	}
	if formula, _ := f.GetCellFormula("Differences", "A2"); !strings.Contains(formula, "https://app.intercom.com/a/apps/k7x2m9qa/inbox/inbox/conversation/"+diffs[1][0]) {
		t.Errorf("A2 formula %q does not link to the conversation", formula)
	}

	// Conversations: durations are Excel durations, timestamps date-times.
	conv, _ := f.GetRows("Conversations")
	header := conv[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i + 1
			}
		}
		t.Fatalf("Conversations has no column %q: %v", name, header)
		return 0
	}
	frt := col("first response time (recomputed)")
	created := col("created_at (America/Vancouver)")
	createdUTC := conversationsCSV(t, out, "created_at")
	vancouver, _ := time.LoadLocation("America/Vancouver")
	checked := 0
	for r := 2; r <= len(conv) && checked < 5; r++ {
		cell := cellName(frt, r)
		raw, _ := f.GetCellValue("Conversations", cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("Conversations", cell)
		if raw == "" {
			continue
		}
		checked++
		if typ, _ := f.GetCellType("Conversations", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is a %v, not a number", cell, typ)
		}
		if !strings.Contains(shown, ":") {
			t.Errorf("%s shows %q, not a [h]:mm:ss duration (raw %s)", cell, shown, raw)
		}
		id, _ := f.GetCellValue("Conversations", cellName(1, r))
		utc, _ := time.Parse(time.RFC3339, createdUTC[id])
		if at, _ := f.GetCellValue("Conversations", cellName(created, r)); at != utc.In(vancouver).Format("2006-01-02 15:04:05") {
			t.Errorf("%s: created_at shows %q, not %s in Vancouver's time", id, at, createdUTC[id])
		}
	}
	if checked == 0 {
		t.Error("no recomputed first response time in the Conversations sheet")
	}

	// Summary: each figure's block with its values as in summary.json.
	summary, _ := f.GetRows("Summary")
	text := ""
	for _, r := range summary {
		text += strings.Join(r, "|") + "\n"
	}
	for _, fig := range s.Figures {
		if !strings.Contains(text, fig.Metric+", "+fig.From+" to "+fig.To) {
			t.Errorf("Summary has no block for %s %s", fig.Metric, fig.From)
		}
	}
	if !strings.Contains(text, "unexplained|2") {
		t.Errorf("Summary's differences by cause do not say unexplained 2:\n%s", text)
	}

	// Run: every input with its SHA-256, as in summary.json.
	run, _ := f.GetRows("Run")
	hashes := 0
	for _, r := range run {
		for _, in := range s.Inputs {
			if len(r) > 3 && r[1] == in.Path && r[3] == in.SHA256 {
				hashes++
			}
		}
	}
	if hashes != len(s.Inputs) {
		t.Errorf("Run lists %d of %d inputs with their SHA-256", hashes, len(s.Inputs))
	}
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// conversationsCSV maps each conversation id in conversations.csv to its
// value in column.
func conversationsCSV(t *testing.T, out, column string) map[string]string {
	t.Helper()
	rows := readCSV(t, filepath.Join(out, "conversations.csv"))
	at := slices.Index(rows[0], column)
	if at < 0 {
		t.Fatalf("conversations.csv has no column %q", column)
	}
	values := map[string]string{}
	for _, r := range rows[1:] {
		values[r[0]] = r[at]
	}
	return values
}

// TestReconcile_WorkbookReadsAtAGlance reads report.xlsx back for what issue
// 11 asked of it: the Summary opens with the findings and the definitions
// applied, then one line per figure with its verdict in words; numbers and
// their headers are right-aligned on every sheet; the Differences sheet
// types its values (durations, local date-times, counts) and says the
// difference; every sheet prints one page wide with its header row on each
// page; the charts' helper cells are out of sight.
func TestReconcile_WorkbookReadsAtAGlance(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(out)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f := openReport(t, out)
	var visible []string
	for _, sheet := range f.GetSheetList() {
		if shown, _ := f.GetSheetVisible(sheet); shown {
			visible = append(visible, sheet)
		}
	}

	t.Run("summary", func(t *testing.T) { checkSummaryAtAGlance(t, f, out) })
	t.Run("alignment", func(t *testing.T) {
		for _, sheet := range visible {
			checkNumbersRightAligned(t, f, sheet)
		}
	})
	t.Run("differences", func(t *testing.T) { checkTypedDifferences(t, f, out) })
	t.Run("print", func(t *testing.T) {
		titles := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				titles[dn.Scope] = dn.RefersTo
			}
		}
		for _, sheet := range visible {
			props, _ := f.GetSheetProps(sheet)
			layout, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case props.FitToPage == nil || !*props.FitToPage:
				t.Errorf("%s is not fitted to the page", sheet)
			case layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0:
				t.Errorf("%s does not print one page wide and as long as it needs: %+v", sheet, layout)
			case layout.Orientation == nil || *layout.Orientation != "landscape":
				t.Errorf("%s, as wide as a landscape page, prints %v", sheet, layout.Orientation)
			}
			if want := "'" + sheet + "'!$1:$1"; titles[sheet] != want {
				t.Errorf("%s repeats %q on every printed page, want %q", sheet, titles[sheet], want)
			}
		}
	})
	t.Run("helpers hidden", func(t *testing.T) {
		if shown, err := f.GetSheetVisible("Chart data"); err != nil || shown {
			t.Errorf("the charts' data sheet is visible (%v)", err)
		}
		rows, _ := f.GetRows("Summary")
		for r, row := range rows {
			if len(row) > 7 {
				t.Errorf("Summary row %d reaches column %d, past the tables (G): %q", r+1, len(row), row)
			}
			for _, cell := range row {
				if strings.HasPrefix(cell, "chart:") {
					t.Errorf("Summary row %d shows a chart's helper cell %q", r+1, cell)
				}
			}
		}
	})
}

// checkSummaryAtAGlance: the findings and the definitions applied come
// first, then every figure on one line with its values and verdict.
func checkSummaryAtAGlance(t *testing.T, f *excelize.File, out string) {
	rows, _ := f.GetRows("Summary")
	at := func(text string) int {
		for r, row := range rows {
			if len(row) > 0 && strings.HasPrefix(row[0], text) {
				return r
			}
		}
		t.Fatalf("Summary has no row starting %q", text)
		return -1
	}
	findings, applied, figures := at("Findings"), at("Definitions applied"), at("Figures:")
	if !(findings < applied && applied < figures) {
		t.Errorf("Summary rows: findings %d, definitions %d, figures %d: not in that order", findings, applied, figures)
	}
	if got := rows[findings+1][0]; !strings.HasPrefix(got, "None") { // the sample has no finding
		t.Errorf("findings say %q", got)
	}
	if got := rows[applied+1][0]; !strings.HasPrefix(got, "Office hours (given): Mon-Fri 09:00-17:00; Sat 10:00-14:00 in America/Vancouver.") {
		t.Errorf("the office hours applied read %q", got)
	}
	if got := rows[applied+2][0]; !strings.HasPrefix(got, "Definitions: all 18 readings are Intercom's defaults") {
		t.Errorf("the definitions applied read %q", got)
	}

	var s struct {
		Workspace struct{ Timezone string }
		Figures   []struct{ Metric, From, To, Timezone, Verdict string }
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[figures+1], "|"); got != "figure|period|dashboard|export (naive)|recomputed|residual|verdict" {
		t.Errorf("figures header %q", got)
	}
	for i, fig := range s.Figures {
		row := rows[figures+2+i]
		label := strconv.Itoa(i+1) + ". " + fig.Metric // the number bridge.csv's figure column gives
		if fig.Timezone != s.Workspace.Timezone {
			label += " (" + fig.Timezone + ")"
		}
		if len(row) != 7 || row[0] != label || row[1] != fig.From+".."+fig.To || row[6] != fig.Verdict {
			t.Errorf("figure %d reads %q, want %s %s..%s … %q", i, row, label, fig.From, fig.To, fig.Verdict)
		}
	}
	if row := rows[figures+2+3]; row[0] != "4. closed_conversations" || row[5] != "+3" || row[6] != "3 conversations unexplained" {
		t.Errorf("closed_conversations reads %q, want a residual of +3, 3 conversations unexplained", row)
	}
}

// checkNumbersRightAligned: every number cell of a sheet is right-aligned,
// and so is the header above it (the nearest header cell in its column),
// so that each label sits over its own numbers.
func checkNumbersRightAligned(t *testing.T, f *excelize.File, sheet string) {
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	header := map[int]string{} // column → the header cell above
	reported := map[string]bool{}
	numbers := 0
	for r, row := range rows {
		for c, value := range row {
			cell := cellName(c+1, r+1)
			st := cellStyle(t, f, sheet, cell)
			if isHeaderStyle(st) {
				header[c] = cell
				continue
			}
			if !isNumberCell(f, sheet, cell, value) {
				continue
			}
			numbers++
			if horizontal(st) != "right" {
				t.Errorf("%s!%s holds the number %s aligned %q, not right", sheet, cell, value, horizontal(st))
			}
			h, ok := header[c]
			if !ok {
				t.Errorf("%s!%s holds the number %s under no header", sheet, cell, value)
				continue
			}
			if a := horizontal(cellStyle(t, f, sheet, h)); a != "right" && !reported[h] {
				label, _ := f.GetCellValue(sheet, h)
				t.Errorf("%s!%s: the header %q above the number in %s is aligned %q, not right", sheet, h, label, cell, a)
				reported[h] = true
			}
		}
	}
	if numbers == 0 && sheet != "Rejected rows" && sheet != "Definitions" {
		t.Errorf("%s holds no number: the check proves nothing", sheet)
	}
}

// checkTypedDifferences compares the Differences sheet with
// differences.csv, row by row (unexplained first): each value typed by its
// field, instants in Vancouver's time, and the difference right − left.
func checkTypedDifferences(t *testing.T, f *excelize.File, out string) {
	vancouver, _ := time.LoadLocation("America/Vancouver")
	csvRows := readCSV(t, filepath.Join(out, "differences.csv"))[1:]
	var want [][]string
	for _, unexplained := range []bool{true, false} {
		for _, r := range csvRows {
			if (r[6] == "unexplained") == unexplained {
				want = append(want, r)
			}
		}
	}
	seen := map[string]int{}
	for i, r := range want {
		row := i + 2
		id, _ := f.GetCellValue("Differences", cellName(1, row))
		field, _ := f.GetCellValue("Differences", cellName(2, row))
		if id != r[0] || field != r[1] {
			t.Fatalf("Differences row %d is %s %s, want %s %s", row, id, field, r[0], r[1])
		}
		kind := fieldKind(r[1])
		var n [2]float64
		for side, col := range []int{4, 6} {
			cell, text := cellName(col, row), r[3+2*side]
			raw, _ := f.GetCellValue("Differences", cell, excelize.Options{RawCellValue: true})
			shown, _ := f.GetCellValue("Differences", cell)
			format := numberFormat(cellStyle(t, f, "Differences", cell))
			if text == "" {
				if raw != "" {
					t.Errorf("%s (%s %s) holds %q for an empty value", cell, r[0], r[1], raw)
				}
				seen["empty"]++
				continue
			}
			seen[kind]++
			switch kind {
			case "duration":
				secs, _ := strconv.ParseInt(text, 10, 64)
				n[side] = float64(secs)
				if format != "[h]:mm:ss" || !nearly(parseRaw(raw)*86400, n[side]) {
					t.Errorf("%s (%s): %s seconds is %s formatted %q, not a [h]:mm:ss duration", cell, r[1], text, raw, format)
				}
			case "instant":
				at, err := time.Parse(time.RFC3339, text)
				if err != nil {
					t.Fatal(err)
				}
				n[side] = float64(at.Unix())
				if local := at.In(vancouver).Format("2006-01-02 15:04:05"); !strings.Contains(format, "yyyy") || shown != local {
					t.Errorf("%s (%s): %s shows %q formatted %q, want the date-time %s in Vancouver", cell, r[1], text, shown, format, local)
				}
			case "count":
				n[side], _ = strconv.ParseFloat(text, 64)
				if typ, _ := f.GetCellType("Differences", cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || parseRaw(raw) != n[side] {
					t.Errorf("%s (%s): the count %s is %q, not a number", cell, r[1], text, raw)
				}
			default:
				if typ, _ := f.GetCellType("Differences", cell); raw != text || typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("%s (%s): the text %q is %q", cell, r[1], text, raw)
				}
			}
		}
		cell := cellName(7, row)
		raw, _ := f.GetCellValue("Differences", cell, excelize.Options{RawCellValue: true})
		format := numberFormat(cellStyle(t, f, "Differences", cell))
		switch {
		case kind == "text" || r[3] == "" || r[5] == "":
			if raw != "" {
				t.Errorf("%s (%s %q, %q): a difference %q where none can be taken", cell, r[1], r[3], r[5], raw)
			}
		case kind == "count":
			if parseRaw(raw) != n[1]-n[0] || !strings.HasPrefix(format, "+") {
				t.Errorf("%s (%s %s → %s): difference %q formatted %q, want %+g", cell, r[1], r[3], r[5], raw, format, n[1]-n[0])
			}
		default:
			seen["difference "+kind]++
			if !nearly(parseRaw(raw)*86400, n[1]-n[0]) || !strings.HasPrefix(format, "+[h]:mm:ss;-[h]:mm:ss") {
				t.Errorf("%s (%s %s → %s): difference %q formatted %q, want %+g seconds as a signed duration", cell, r[1], r[3], r[5], raw, format, n[1]-n[0])
			}
		}
	}
	for _, k := range []string{"duration", "instant", "count", "text", "empty", "difference duration", "difference instant"} {
		if seen[k] == 0 {
			t.Errorf("no %s value among the differences: the test proves nothing for it", k)
		}
	}
}

// fieldKind is what a field of differences.csv holds, by its name.
func fieldKind(field string) string {
	switch {
	case strings.HasSuffix(field, "_at"):
		return "instant"
	case strings.HasPrefix(field, "time_to_"), strings.HasPrefix(field, "median_time_"), strings.HasPrefix(field, "first_response_time"):
		return "duration"
	case strings.HasPrefix(field, "count_"), field == "rating", field == "reassignments", field == "replies_sent":
		return "count"
	}
	return "text"
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func isHeaderStyle(st *excelize.Style) bool {
	return st.Fill.Pattern == 1 && len(st.Fill.Color) > 0 && strings.EqualFold(st.Fill.Color[0], "305496")
}

func horizontal(st *excelize.Style) string {
	if st.Alignment == nil {
		return ""
	}
	return st.Alignment.Horizontal
}

// numberFormat is a style's number format code ("" for General).
func numberFormat(st *excelize.Style) string {
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	if st.NumFmt == 3 {
		return "#,##0"
	}
	return ""
}

// isNumberCell: a cell holding a number (not text, a boolean or a link).
func isNumberCell(f *excelize.File, sheet, cell, raw string) bool {
	typ, _ := f.GetCellType(sheet, cell)
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset || raw == "" {
		return false
	}
	_, err := strconv.ParseFloat(raw, 64)
	return err == nil
}

func parseRaw(raw string) float64 {
	x, _ := strconv.ParseFloat(raw, 64)
	return x
}

// nearly: equal to within a hundredth of a second (a day fraction's
// rounding).
func nearly(a, b float64) bool { return math.Abs(a-b) < 0.01 }

// openReport opens the report.xlsx a run wrote into out, closed when the
// test ends.
func openReport(t *testing.T, out string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
