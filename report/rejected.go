package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/icrecon/icrecon/intercom"
)

// Rejected is a rejected input record, for the Rejected rows sheet and
// rejected.csv.
type Rejected struct {
	File, Column, Value, Reason, Raw string
	Line, Record                     int
}

// HiddenValue stands for a rejected cell's value that may be personal data.
const HiddenValue = "(hidden: personal data; --include-pii shows it)"

// ShownValue is the value of a rejected record as the outputs show it.
// Without personal data, a value is shown only when its column is one
// icrecon maps and that holds no personal data (an id, a time, a duration, a
// figure); the value of any other column — a customer's name or e-mail
// address, a message, a whole record, a column icrecon does not know — is
// HiddenValue. So is a value that looks like an e-mail address, whatever its
// column.
func ShownValue(column, value string, includePersonalData bool) string {
	if includePersonalData || value == "" {
		return value
	}
	if !nonPersonalColumn(column) || strings.Contains(value, "@") {
		return HiddenValue
	}
	return value
}

// nonPersonalColumn reports whether a rejected record's column is one whose
// value is never personal: a mapped export column other than User name and
// User email, a dashboard column, or an API field icrecon reads that holds
// an id, a type, a time or a number. The lists fail safe: a column missing
// from them has its value hidden.
func nonPersonalColumn(column string) bool {
	if column == "" {
		return false
	}
	if exportColumnKeys[columnKey(column)] || exportColumnKeys[columnKey(withoutParenthesis(column))] {
		return true
	}
	if dashboardColumns[column] {
		return true
	}
	return apiFieldKeys[jsonLeaf(column)]
}

// exportNonPersonalColumns are the Reports export columns icrecon maps
// (parse's exportRow) less the personal ones, "User name" and "User email".
var exportNonPersonalColumns = []string{
	"Conversation ID", "Conversation started at", "Conversation created at", "Conversation updated at",
	"Conversation first replied at", "Conversation first closed at", "Conversation last closed at",
	"First assignment at", "Last assignment at", "Last teammate assigned first reply at",
	"First response time (seconds)", "First response time only within office hours (seconds)",
	"Time to close (seconds)", "Time to close within office hours (seconds)",
	"Time to first close (seconds)", "Time to first close within office hours (seconds)",
	"Time to assignment before first admin reply (seconds)",
	"Time to assignment before first admin reply within office hours (seconds)",
	"Last closed by ID", "Started by", "Conversation source", "Channel", "Current conversation state",
	"Teammate currently assigned ID", "Team currently assigned ID", "Conversation tag",
	"Conversation priority", "Conversation URL",
}

var exportColumnKeys = func() map[string]bool {
	keys := map[string]bool{}
	for _, c := range exportNonPersonalColumns {
		keys[columnKey(c)] = true
	}
	return keys
}()

// columnKey matches export headers as the export reader does: without a BOM
// or zero-width spaces, commas or case, white space folded.
func columnKey(s string) string {
	s = strings.Trim(s, "\ufeff\u200b")
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, ",", "")), " "))
}

// withoutParenthesis drops a final " (…)": the time zone Intercom appends
// to timestamp headers.
func withoutParenthesis(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		return s[:i]
	}
	return s
}

var dashboardColumns = map[string]bool{"metric": true, "from": true, "to": true, "value": true, "timezone": true, "hours": true}

// apiFieldKeys are the API fields icrecon reads whose values are ids,
// types, times or numbers.
var apiFieldKeys = func() map[string]bool {
	keys := map[string]bool{"reply_times": true}
	for _, k := range []string{"id", "type", "created_at", "updated_at", "state", "priority", "admin_assignee_id",
		"team_assignee_id", "delivered_as", "channel", "deleted_at", "total_count", "part_type",
		"app_package_code", "from_ai_agent", "is_ai_answer"} {
		keys[k] = true
	}
	for _, f := range intercom.StatFields {
		keys[f.Name] = true
	}
	return keys
}()

// jsonLeaf is the last field of a JSON path (statistics.reply_times[2] →
// reply_times); "" when the path ends in an array element of anything else.
func jsonLeaf(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		if path[:i] != "reply_times" {
			return ""
		}
		path = path[:i]
	}
	return path
}

// rejectedHeader names the columns of the Rejected rows sheet and
// rejected.csv: file, line, record, column, value, reason, and the raw row
// only with personal data.
func rejectedHeader(includePersonalData bool) []string {
	h := []string{"file", "line", "record", "column", "value", "reason"}
	if includePersonalData {
		h = append(h, "raw")
	}
	return h
}

// RejectedCSV writes rejected.csv as records are rejected, so that every one
// is listed however many there are (the sheet keeps the first ones).
type RejectedCSV struct {
	w   *csvWriter
	pii bool
}

// NewRejectedCSV writes the header: the columns of the Rejected rows sheet.
func NewRejectedCSV(w io.Writer, includePersonalData bool) (*RejectedCSV, error) {
	r := &RejectedCSV{w: newCSVWriter(w), pii: includePersonalData}
	return r, r.w.Write(rejectedHeader(includePersonalData))
}

// Write adds one rejected record.
func (r *RejectedCSV) Write(rej Rejected) error {
	number := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	row := []string{rej.File, number(rej.Line), number(rej.Record), rej.Column,
		ShownValue(rej.Column, rej.Value, r.pii), rej.Reason}
	if r.pii {
		row = append(row, rej.Raw)
	}
	return r.w.Write(row)
}

// Close flushes.
func (r *RejectedCSV) Close() error { return r.w.Close() }

// WriteRejectedCSV writes rejected.csv from a list of rejected records.
func WriteRejectedCSV(w io.Writer, rejected []Rejected, includePersonalData bool) error {
	r, err := NewRejectedCSV(w, includePersonalData)
	if err != nil {
		return err
	}
	for _, rej := range rejected {
		if err := r.Write(rej); err != nil {
			return err
		}
	}
	return r.Close()
}

// rejectedSheet lists every rejected record kept. What it cannot list is
// said below the table: the records past Excel's row limit (they are in
// rejected.csv) and, per input, those the reader counted but did not keep.
func (w *workbook) rejectedSheet() error {
	pii := w.in.IncludePersonalData
	cols := []column{textCol("file", 34), numCol("line", 8), numCol("record", 8), textCol("column", 30), textCol("value", 24), wrapCol("reason", 60)}
	if pii {
		cols = append(cols, wrapCol("raw", 60))
	}
	s, err := w.newTable("Rejected rows", cols, "rejected.csv")
	if err != nil {
		return err
	}
	notes := notKept(w.in.Summary.Inputs, w.in.Rejected)
	rejected := w.in.Rejected
	// Rows: the header, the records, one row kept for the "more" note, notes.
	if room := max(0, w.maxRows-2-len(notes)); len(rejected) > room {
		rejected = rejected[:room]
		notes = append([]string{fmt.Sprintf("… %d more rejected records: see rejected.csv", len(w.in.Rejected)-len(rejected))}, notes...)
	}
	for _, r := range rejected {
		row := []any{r.File, nonZero(r.Line), nonZero(r.Record), r.Column, ShownValue(r.Column, r.Value, pii), r.Reason}
		if pii {
			row = append(row, r.Raw)
		}
		if err := s.add(row); err != nil {
			return err
		}
	}
	for _, n := range notes {
		if err := s.note(n); err != nil {
			return err
		}
	}
	return s.close()
}

// notKept says, for each input whose reader counted more rejected records
// than it kept, how many are listed: the counts (Summary.Inputs) cover all.
func notKept(inputs []Input, rejected []Rejected) []string {
	kept := map[string]int{}
	for _, r := range rejected {
		kept[r.File]++
	}
	counted := map[string]int{}
	var order []string
	for _, in := range inputs {
		if _, seen := counted[in.Path]; !seen {
			order = append(order, in.Path)
		}
		counted[in.Path] += in.Rejected
	}
	var notes []string
	for _, path := range order {
		if n, k := counted[path], kept[path]; n > k {
			notes = append(notes, fmt.Sprintf("%s: %d rejected records, the first %d listed here; rejected.csv lists all %d.", path, n, k, n))
		}
	}
	return notes
}
