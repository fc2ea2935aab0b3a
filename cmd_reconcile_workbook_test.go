package main

import (
	"fmt"
	"path/filepath"
	"slices"
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
	f, err := excelize.OpenFile(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Fields", "Differences", "Conversations", "Export only", "API only", "Rejected rows", "Definitions", "Run"}
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
