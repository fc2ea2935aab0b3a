package parse

import (
	"fmt"
	"strings"

	"github.com/icrecon/icrecon/intercom"
)

// Reject is a record that could not be read, located precisely enough for an
// analyst to find it: file, line (or record), column and the offending value.
type Reject struct {
	File   string
	Line   int    // 1-based line where the record starts; 0 if not known
	Record int    // 1-based record number when lines do not apply
	Column string // the CSV header or JSON field; "" for the whole record
	InJSON bool   // Column names a JSON field rather than a CSV column
	Value  string // the offending value, shortened
	Reason string // what is wrong, in words ("is not a date")
	Raw    string // the record as read, shortened (rejected-rows sheet)
}

// Error reads as one sentence:
// export.csv:812: column "Conversation started at": "2025-13-02 14:24" is not a date.
func (r Reject) Error() string {
	var b strings.Builder
	b.WriteString(intercom.Origin{File: r.File, Line: r.Line, Record: r.Record}.String())
	b.WriteString(": ")
	if r.Column != "" {
		word := "column"
		if r.InJSON {
			word = "field"
		}
		fmt.Fprintf(&b, "%s %q", word, r.Column)
		if r.Value != "" {
			b.WriteString(": ")
		} else {
			b.WriteString(" ")
		}
	}
	if r.Value != "" {
		fmt.Fprintf(&b, "%q ", r.Value)
	}
	b.WriteString(r.Reason)
	return b.String()
}

// Tally counts what happened to every record read from one input.
type Tally struct {
	Read       int
	Accepted   int
	Rejected   int
	Duplicates int
}

// Check asserts the accounting identity; a failure is a bug in icrecon, and
// is reported rather than hidden.
func (t Tally) Check(file string) error {
	if t.Accepted+t.Rejected+t.Duplicates != t.Read {
		return fmt.Errorf("%s: records do not add up: %d read but %d accepted + %d rejected + %d duplicates (this is a bug in icrecon; please report it)",
			file, t.Read, t.Accepted, t.Rejected, t.Duplicates)
	}
	return nil
}

// Add sums two tallies.
func (t Tally) Add(u Tally) Tally {
	return Tally{t.Read + u.Read, t.Accepted + u.Accepted, t.Rejected + u.Rejected, t.Duplicates + u.Duplicates}
}

// Ledger decides, across all files of one source, whether a conversation id
// has been seen before. The first record of an id is accepted; later ones are
// duplicates (still handed to the caller, marked, so it can prefer a newer
// snapshot).
type Ledger interface {
	Admit(id string) (first bool)
}

// IDSet is the plain Ledger.
type IDSet map[string]struct{}

// Admit records id and reports whether it is new.
func (s IDSet) Admit(id string) bool {
	if _, seen := s[id]; seen {
		return false
	}
	s[id] = struct{}{}
	return true
}

// ErrStrict wraps the first rejection when --strict is on.
type ErrStrict struct{ Reject Reject }

func (e *ErrStrict) Error() string {
	return e.Reject.Error() + " (stopped at the first bad record because of --strict)"
}

// maxRejectsKept bounds the rejects kept in memory per input; the tally still
// counts every one, and OnReject sees every one.
const maxRejectsKept = 10000

// keepReject keeps r among the first maxRejectsKept rejects of an input and
// hands it to onReject, which sees every reject (reconcile streams them all
// into rejected.csv).
func keepReject(kept *[]Reject, onReject func(Reject) error, r Reject) error {
	if len(*kept) < maxRejectsKept {
		*kept = append(*kept, r)
	}
	if onReject != nil {
		return onReject(r)
	}
	return nil
}
