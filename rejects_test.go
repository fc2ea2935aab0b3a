package main

import (
	"testing"

	"github.com/icrecon/icrecon/parse"
)

// TestHideValue: the note that a value is not shown is added only when a
// value was there and hidden (issue: a two-zone export's warning, whose
// sentence shows no value, ended with it).
func TestHideValue(t *testing.T) {
	cases := []struct {
		name string
		in   parse.Reject
		pii  bool
		want string
	}{
		{"a warning with no value", parse.Reject{File: "e.csv", Reason: "the timestamp columns name different time zones (America/Vancouver, UTC); each column is read in its own"}, false,
			"e.csv: the timestamp columns name different time zones (America/Vancouver, UTC); each column is read in its own"},
		{"a column with no value", parse.Reject{File: "p.jsonl", Line: 3, Column: "id", InJSON: true, Reason: "is missing, so the conversation cannot be matched"}, false,
			`p.jsonl:3: field "id" is missing, so the conversation cannot be matched`},
		{"a value of the column's shape", parse.Reject{File: "e.csv", Line: 2, Column: "Conversation ID", Value: "2.1547E+14", Reason: "was rounded"}, false,
			`e.csv:2: column "Conversation ID": "2.1547E+14" was rounded`},
		{"a name where an id belongs", parse.Reject{File: "e.csv", Line: 2, Column: "Conversation ID", Value: "Zelda Piiname", Reason: "is not a conversation id"}, false,
			`e.csv:2: column "Conversation ID" is not a conversation id` + hiddenValueNotePII},
		{"a whole record", parse.Reject{File: "p.jsonl", Line: 4, Value: "Zelda Piiname", Reason: "is not JSON"}, false,
			"p.jsonl:4: is not JSON" + hiddenValueNotePII},
		{"a name with --include-pii", parse.Reject{File: "e.csv", Line: 2, Column: "Conversation ID", Value: "Zelda Piiname", Reason: "is not a conversation id"}, true,
			`e.csv:2: column "Conversation ID": "Zelda Piiname" is not a conversation id`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := hideValue(tc.in, tc.pii, hiddenValueNotePII).Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
