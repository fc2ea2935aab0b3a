package main

import (
	"errors"

	"github.com/icrecon/icrecon/parse"
	"github.com/icrecon/icrecon/report"
)

// What the commands say of a rejected record on the terminal holds no
// personal data unless asked: report.ShownValue decides which values may be
// shown, as it does for rejected.csv and the Rejected rows sheet.

// Notes that end the sentence of a rejected record whose value is hidden:
// for a command without --include-pii, and for one with it.
const (
	hiddenValueNote    = " (its value is not shown: it may be personal data)"
	hiddenValueNotePII = " (its value is not shown: it may be personal data; --include-pii shows it)"
)

// hideValue is r as a command prints it: a value report.ShownValue hides is
// left out, and the reason ends with note, which says so.
func hideValue(r parse.Reject, includePII bool, note string) parse.Reject {
	if report.ShownValue(r.Column, r.Value, includePII) != r.Value {
		r.Value = ""
		r.Reason += note
	}
	return r
}

// hideStrictValue hides, as hideValue does, the value of the record that
// --strict stopped at, wherever err holds it. err keeps its wrapping, so
// the exit status is unchanged.
func hideStrictValue(err error, includePII bool, note string) error {
	var strict *parse.ErrStrict
	if errors.As(err, &strict) {
		strict.Reject = hideValue(strict.Reject, includePII, note)
	}
	return err
}
