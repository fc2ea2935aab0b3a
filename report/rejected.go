package report

import (
	"fmt"
	"io"
	"strconv"
)

// Rejected is a rejected input record, for the Rejected rows sheet and
// rejected.csv.
type Rejected struct {
	File, Column, Value, Reason, Raw string
	Line, Record                     int
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
