package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

func TestShownValue(t *testing.T) {
	cases := []struct {
		name, column, value string
		pii                 bool
		shown               bool
	}{
		{"export timestamp with its zone", "Conversation started at (America/Vancouver)", "2025-13-02 14:24", false, true},
		{"export id", "Conversation ID", "12a", false, true},
		{"export header as a spreadsheet rewrote it", "conversation  id", "12a", false, true},
		{"export duration with (seconds)", "First response time (seconds)", "abc", false, true},
		{"export column with a comma", "First response time, only within office hours (seconds)", "abc", false, true},
		{"customer's e-mail", "User email", "ann@example", false, false},
		{"customer's name", "User name", "Ann Lee", false, false},
		{"a column icrecon does not map", "Last teammate rating remark", "rude", false, false},
		{"a whole record", "", `{"type":"contact","name":"Ann"}`, false, false},
		{"e-mail shape in a mapped column", "Conversation started at", "ann@example.com", false, false},
		{"e-mail address as an export id", "Conversation ID", "jane.doe@example.com", false, false},
		{"dashboard value", "value", "12 cats", false, true},
		{"API statistics field", "statistics.time_to_admin_reply", `"abc"`, false, true},
		{"API reply time", "statistics.reply_times[2]", "-4", false, true},
		{"API author e-mail", "source.author.email", "12", false, false},
		{"API author name", "conversation_parts.conversation_parts[3].author.name", "12", false, false},
		{"API part that is not an object", "conversation_parts.conversation_parts[3]", `"hello, my card is…"`, false, false},
		{"API message body", "source.body", "1", false, false},
		{"anything with --include-pii", "User email", "ann@example.com", true, true},
		{"an empty value stays empty", "User email", "", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ShownValue(tc.column, tc.value, tc.pii)
			if shown := got == tc.value; shown != tc.shown {
				t.Errorf("ShownValue(%q, %q, %v) = %q; want shown: %v", tc.column, tc.value, tc.pii, got, tc.shown)
			}
			if got != tc.value && got != HiddenValue {
				t.Errorf("a hidden value reads %q", got)
			}
		})
	}
}

// rejectedSample is a rejected export row whose raw row holds a customer's
// name and e-mail address, and a rejected API record whose value may be
// personal.
var rejectedSample = []Rejected{
	{File: "export.csv", Line: 812, Column: "Conversation started at (America/Vancouver)", Value: "2025-13-02 14:24",
		Reason: "is not a date", Raw: "21547,2025-13-02 14:24,Ann Lee,ann.lee@example.com"},
	{File: "pull.jsonl", Line: 3, Column: "source.author.email", Value: "12", Reason: "is not a string"},
}

func sheetRows(t *testing.T, w *workbook, sheet string) [][]string {
	t.Helper()
	rows, err := reopen(t, w).GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestRejectedSheet_PersonalData: issue 13 — the Rejected rows sheet kept
// raw CSV rows, with names and e-mail addresses, without --include-pii.
func TestRejectedSheet_PersonalData(t *testing.T) {
	cases := []struct {
		name   string
		pii    bool
		header string
		row1   string
		row2   string
	}{
		{"by default: no raw row, personal values hidden", false,
			"file|line|record|column|value|reason",
			"export.csv|812||Conversation started at (America/Vancouver)|2025-13-02 14:24|is not a date",
			"pull.jsonl|3||source.author.email|" + HiddenValue + "|is not a string"},
		{"with --include-pii: raw rows and every value", true,
			"file|line|record|column|value|reason|raw",
			"export.csv|812||Conversation started at (America/Vancouver)|2025-13-02 14:24|is not a date|21547,2025-13-02 14:24,Ann Lee,ann.lee@example.com",
			"pull.jsonl|3||source.author.email|12|is not a string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newTestWorkbook(t, WorkbookInput{Rejected: rejectedSample, IncludePersonalData: tc.pii}, excelMaxRows)
			if err := w.rejectedSheet(); err != nil {
				t.Fatal(err)
			}
			rows := sheetRows(t, w, "Rejected rows")
			got := make([]string, len(rows))
			for i, r := range rows {
				got[i] = strings.Join(r, "|")
			}
			if want := []string{tc.header, tc.row1, tc.row2}; strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("sheet:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			var csvOut bytes.Buffer
			if err := WriteRejectedCSV(&csvOut, rejectedSample, tc.pii); err != nil {
				t.Fatal(err)
			}
			records, err := csv.NewReader(&csvOut).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range records {
				for len(r) > 0 && r[len(r)-1] == "" { // as GetRows gives them
					r = r[:len(r)-1]
				}
				if line := strings.Join(r, "|"); line != got[i] {
					t.Errorf("rejected.csv row %d: %s\nsheet: %s", i+1, line, got[i])
				}
			}
		})
	}
}

// TestRejectedSheet_SaysWhatItDoesNotList: issue 13 — the sheet stopped
// without saying so, and the records a reader counted but did not keep
// were nowhere.
func TestRejectedSheet_SaysWhatItDoesNotList(t *testing.T) {
	many := func(file string, n int) []Rejected {
		rs := make([]Rejected, n)
		for i := range rs {
			rs[i] = Rejected{File: file, Line: i + 2, Column: "Conversation ID", Value: "x", Reason: "is not a conversation id"}
		}
		return rs
	}
	cases := []struct {
		name     string
		maxRows  int
		rejected []Rejected
		inputs   []Input
		records  int      // rows listed below the header
		notes    []string // below the table
	}{
		{"everything fits", 100, many("a.csv", 5), []Input{{Path: "a.csv", Rejected: 5}}, 5, nil},
		{"past the sheet's limit", 10, many("a.csv", 20), []Input{{Path: "a.csv", Rejected: 20}}, 8,
			[]string{"… 12 more rejected records: see rejected.csv"}},
		{"the reader kept only the first", 100, many("a.csv", 3), []Input{{Path: "a.csv", Rejected: 12}, {Path: "b.csv"}}, 3,
			[]string{"a.csv: 12 rejected records, the first 3 listed here; rejected.csv lists all 12."}},
		{"both", 10, append(many("a.csv", 20), many("b.csv", 2)...), []Input{{Path: "a.csv", Rejected: 30}, {Path: "b.csv", Rejected: 2}}, 7,
			[]string{"… 15 more rejected records: see rejected.csv",
				"a.csv: 30 rejected records, the first 20 listed here; rejected.csv lists all 30."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newTestWorkbook(t, WorkbookInput{Rejected: tc.rejected, Summary: Summary{Inputs: tc.inputs}}, tc.maxRows)
			if err := w.rejectedSheet(); err != nil {
				t.Fatal(err)
			}
			rows := sheetRows(t, w, "Rejected rows")
			if len(rows) > tc.maxRows {
				t.Fatalf("%d rows, past the limit of %d", len(rows), tc.maxRows)
			}
			var notes []string
			for _, r := range rows[1+tc.records:] {
				notes = append(notes, strings.Join(r, "|"))
			}
			if fmt.Sprint(notes) != fmt.Sprint(tc.notes) {
				t.Errorf("notes %q, want %q", notes, tc.notes)
			}
			for _, r := range rows[1 : 1+tc.records] {
				if len(r) < 6 || r[5] != "is not a conversation id" {
					t.Errorf("row %v is not a record", r)
				}
			}
		})
	}
}
