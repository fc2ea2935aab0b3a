package report

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWrappedLines(t *testing.T) {
	cases := []struct {
		text  string
		width float64
		want  int
	}{
		{"recomputed", 12, 1},
		{"first response time (recomputed)", 12, 4},
		{"first response time (recomputed)", 40, 1},
		{"parts_truncated", 17, 1},
		{"parts_truncated", 10, 2}, // no space to wrap at: broken
		{"a\nb", 20, 2},
		{"", 10, 1},
	}
	for _, tc := range cases {
		if got := wrappedLines(tc.text, tc.width); got != tc.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", tc.text, tc.width, got, tc.want)
		}
	}
}

func TestDifferenceKind(t *testing.T) {
	for field, want := range map[string]valueKind{
		"time_to_admin_reply": kindDuration, "time_to_first_close_all_hours": kindDuration, "first_response_time": kindDuration,
		"last_close_at": kindInstant, "created_at": kindInstant, "updated_at": kindInstant, "started_at": kindInstant,
		"count_assignments": kindCount, "rating": kindCount, "reassignments": kindCount, "replies_sent": kindCount,
		"last_closed_by_id": kindText, "state": kindText, "tags": kindText, "admin_assignee_id": kindText, "title": kindText,
		"something new": kindText,
	} {
		if got := differenceKind(field); got != want {
			t.Errorf("differenceKind(%q) = %d, want %d", field, got, want)
		}
	}
}

// TestWorkbook_DifferencesTyped: the Differences sheet types each value by
// its field and takes right − left; a value that does not read as its kind
// stays text, and so does the difference (none).
func TestWorkbook_DifferencesTyped(t *testing.T) {
	vancouver, _ := time.LoadLocation("America/Vancouver")
	csvPath := filepath.Join(t.TempDir(), "differences.csv")
	err := os.WriteFile(csvPath, []byte("conversation_id,field,left,left_value,right,right_value,cause,reading\n"+
		"1,time_to_admin_reply,export,8891,api,8828,anchor,\n"+
		"2,last_close_at,export,2025-10-03T16:02:06Z,api,2025-10-06T21:23:35Z,reopened,\n"+
		"3,count_assignments,api,71,recomputed,54,parts_truncated,\n"+
		"4,state,export,open,api,closed,stale,\n"+
		"5,rating,export,,api,4,stale,\n"+
		"6,time_to_first_close,export,soon,api,16978,unexplained,\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWorkbook(t, WorkbookInput{DifferencesCSV: csvPath, Zone: vancouver}, excelMaxRows)
	if err := w.differencesSheet(); err != nil {
		t.Fatal(err)
	}
	f := reopen(t, w)
	shown := func(cell string) string {
		v, _ := f.GetCellValue("Differences", cell)
		return v
	}
	raw := func(cell string) string {
		v, _ := f.GetCellValue("Differences", cell, excelize.Options{RawCellValue: true})
		return v
	}
	for cell, want := range map[string]string{
		// unexplained first
		"A2": "6", "D2": "soon", "F2": "4:42:58", "G2": "",
		"D3": "2:28:11", "F3": "2:27:08", // G3 below: excelize shows no negative duration

		"D4": "2025-10-03 09:02:06", "F4": "2025-10-06 14:23:35", "G4": "+77:21:29",
		"D5": "71", "F5": "54", "G5": "-17",
		"D6": "open", "F6": "closed", "G6": "",
		"D7": "", "F7": "4", "G7": "",
	} {
		if got := shown(cell); got != want {
			t.Errorf("%s shows %q, want %q (raw %q)", cell, got, want, raw(cell))
		}
	}
	if got, _ := strconv.ParseFloat(raw("G3"), 64); math.Abs(got*86400+63) > 0.01 {
		t.Errorf("G3 holds %v days, want -63 seconds", got)
	}
	if got, _ := strconv.ParseFloat(raw("G4"), 64); math.Abs(got*86400-(3*86400+5*3600+21*60+29)) > 0.01 {
		t.Errorf("G4 holds %v days, want the instants' difference", got)
	}
	for _, cell := range []string{"D2", "D6", "F6"} {
		if typ, _ := f.GetCellType("Differences", cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s is of type %v, not text", cell, typ)
		}
	}
}

// TestWaterfallRows: each bar floats on an invisible base from the value
// before it; a step down is drawn as a positive height whose label reads
// negative; totals stand from zero.
func TestWaterfallRows(t *testing.T) {
	w := newTestWorkbook(t, WorkbookInput{}, excelMaxRows)
	nan := math.NaN()
	bars := []bar{
		{label: "export (naive)", total: true, value: 214, delta: nan},
		{label: "no_contact_reply", value: 184, delta: -30},
		{label: "api_only", value: 190, delta: 6},
		{label: "residual", value: 187, delta: -3, resid: true},
		{label: "dashboard", total: true, value: 187, delta: nan},
	}
	first, last, lo, hi := w.waterfallRows(bars, false)
	if first != 2 || last != 6 || lo != 184 || hi != 214 {
		t.Fatalf("rows %d..%d, levels %v..%v", first, last, lo, hi)
	}
	c := w.chart
	want := [][]any{
		{"export (naive)", nil, excelize.Cell{StyleID: c.total, Value: 214.0}, nil, nil, nil},
		{"no contact reply", excelize.Cell{StyleID: c.hidden, Value: 184.0}, nil, nil, excelize.Cell{StyleID: c.down, Value: 30.0}, nil},
		{"api only", excelize.Cell{StyleID: c.hidden, Value: 184.0}, nil, excelize.Cell{StyleID: c.up, Value: 6.0}, nil, nil},
		{"residual", excelize.Cell{StyleID: c.hidden, Value: 187.0}, nil, nil, nil, excelize.Cell{StyleID: c.down, Value: 3.0}},
		{"dashboard", nil, excelize.Cell{StyleID: c.total, Value: 187.0}, nil, nil, nil},
	}
	for i, row := range c.rows {
		for j := range row {
			if row[j] != want[i][j] {
				t.Errorf("bar %d series %d: %v, want %v", i, j, row[j], want[i][j])
			}
		}
	}
}

func TestAxisMinimum(t *testing.T) {
	cases := []struct {
		name     string
		lo, hi   float64
		duration bool
		want     float64
		ok       bool
	}{
		{"steps large beside the totals: from zero", 129, 214, false, 0, false},
		{"small steps of a count", 184, 214, false, 150, true},
		{"minutes out of hours", 74765, 76598, true, 72000, true},
		{"nothing moves", 100, 100, false, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := axisMinimum(tc.lo, tc.hi, tc.duration)
			if got != tc.want || ok != tc.ok {
				t.Errorf("axisMinimum(%v, %v) = %v, %v; want %v, %v", tc.lo, tc.hi, got, ok, tc.want, tc.ok)
			}
		})
	}
	if got := durationTick(1100); got != 1800 {
		t.Errorf("durationTick(1100) = %v, want half an hour", got)
	}
}
