package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

// TestShownValue: a rejected value is shown when its column is one that
// holds no personal data and the value has that column's shape; a name, an
// address or message text where an id or a time belongs is hidden (issue:
// "Zelda Piiname" and "215470000001050 ZZSECRETMSG my card number leaked"
// in Conversation ID, and message text in a part's created_at, were shown).
func TestShownValue(t *testing.T) {
	const (
		name    = "Zelda Piiname"
		message = "ZZSECRETMSG my card number leaked"
		all     = name + " <zelda.piiname@pii.example> " + message
	)
	cases := []struct {
		name, column, value string
		pii                 bool
		shown               bool
	}{
		// Columns.
		{"customer's e-mail", "User email", "ann@example", false, false},
		{"customer's name", "User name", "Ann Lee", false, false},
		{"a column icrecon does not map", "Last teammate rating remark", "rude", false, false},
		{"a whole record", "", `{"type":"contact","name":"Ann"}`, false, false},
		{"API author e-mail", "source.author.email", "12", false, false},
		{"API author name", "conversation_parts.conversation_parts[3].author.name", "12", false, false},
		{"API part that is not an object", "conversation_parts.conversation_parts[3]", `"hello, my card is…"`, false, false},
		{"API message body", "source.body", "1", false, false},
		{"anything with --include-pii", "User email", "ann@example.com", true, true},
		{"an empty value stays empty", "User email", "", false, true},

		// Ids: what a spreadsheet or a tool may make of one.
		{"export id", "Conversation ID", "12a", false, true},
		{"export header as a spreadsheet rewrote it", "conversation  id", "12a", false, true},
		{"id rounded by a spreadsheet", "Conversation ID", "2.1547E+14", false, true},
		{"id with a decimal comma", "Conversation ID", "2,1547E+14", false, true},
		{"id written as a float", "id", "215470000001000.0", false, true},
		{"negative id", "id", "-1", false, true},
		{"id with a letter", "id", "X215470000001000", false, true},
		{"id too long, cut", "Conversation ID", strings.Repeat("9", 79) + "…", false, true},
		{"a contact's hex id", "source.author.id", "6762f0f31bb69f9f2193bb8b", false, true},
		{"e-mail address as an export id", "Conversation ID", "jane.doe@example.com", false, false},
		{"a name as an id", "Conversation ID", name, false, false},
		{"a one-word name as an id", "Conversation ID", "Zelda", false, false},
		{"an id and message text", "Conversation ID", "215470000001050 " + message, false, false},
		{"an id with spaces between digits", "id", "+1 604 555 0100", false, false},
		{"hex letters without digits", "last_closed_by_id", "bead", false, false},
		{"a name in another script", "id", "王小明", false, false},
		{"a JSON value of the wrong type", "admin_assignee_id", "true", false, true},

		// Times.
		{"export timestamp with its zone", "Conversation started at (America/Vancouver)", "2025-13-02 14:24", false, true},
		{"a month out of range", "Conversation created at (UTC)", "2025-13-01", false, true},
		{"a spreadsheet's date", "Conversation created at (UTC)", "Aug 2, 2025 2:24 PM", false, true},
		{"an ISO time", "created_at", "2025-10-01T10:00:00Z", false, true},
		{"a Unix time as a float", "statistics.first_close_at", "1.7541698800e9", false, true},
		{"a part's time", "conversation_parts.conversation_parts[3].created_at", "yesterday 3pm", false, false},
		{"message text in a part's time", "conversation_parts.conversation_parts[3].created_at", message, false, false},
		{"a name in an export time", "Conversation started at (America/Vancouver)", name, false, false},
		{"name, address and text in a time", "statistics.first_close_at", all, false, false},
		{"dashboard date", "from", "2025-10-32", false, true},
		{"dashboard date with a month name", "to", "31 Octobre 2025", false, false},

		// Durations and counts.
		{"export duration with (seconds)", "First response time (seconds)", "1h 2x", false, true},
		{"export column with a comma", "First response time, only within office hours (seconds)", "12,5", false, true},
		{"a fraction", "Time to close (seconds)", "12.5", false, true},
		{"a duration in words", "Time to close (seconds)", "2 hours 5 minutes", false, true},
		{"a count", "Number of reassignments", "-3", false, true},
		{"dashboard value", "value", "12.5", false, true},
		{"dashboard value with a word", "value", "12 cats", false, false},
		{"API statistics field", "statistics.time_to_admin_reply", "12x", false, true},
		{"API reply time", "statistics.reply_times[2]", "-4", false, true},
		{"text in a duration", "statistics.time_to_admin_reply", all, false, false},
		{"a word in a duration", "First response time (seconds)", "abc", false, false},

		// States, types and part types: Intercom's words.
		{"a part type", "conversation_parts.conversation_parts[3].part_type", "conversation_attribute_updated_by_admin", false, true},
		{"a record's type", "type", "ticket", false, true},
		{"a name as a part type", "conversation_parts.conversation_parts[3].part_type", name, false, false},
		// inspect's rule (intercom.LooksLikePartType): a dot is no part type's.
		{"a dotted name as a part type", "conversation_parts.conversation_parts[3].part_type", "zelda.piiname", false, false},
		{"a capitalised name as a state", "state", "Zelda", false, false},

		// Dashboard words.
		{"a metric icrecon does not know", "metric", "Median response time", false, true},
		{"a metric id with a typo", "metric", "median_first_response_time_x", false, true},
		{"a name as a metric", "metric", name, false, false},
		{"a time zone with a typo", "timezone", "America/Vancouvr", false, true},
		{"a zone abbreviation", "timezone", "PST", false, true},
		{"a name as a time zone", "timezone", "Zelda", false, false},
		{"an hours mode", "hours", "office hours (24/7)", false, true},
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
