package intercom

import (
	"strings"
	"testing"
)

func TestConversationID(t *testing.T) {
	cases := []struct {
		name, text, id string
		problem        IDProblem
	}{
		{"Intercom's id", "215470123456789", "215470123456789", IDOK},
		{"white space around it is left out", " 215470123456789\t", "215470123456789", IDOK},
		{"a no-break space around it is white space too", "\u00a0215470123456789\u00a0", "215470123456789", IDOK},
		{"the longest id", strings.Repeat("7", MaxConversationIDLength), strings.Repeat("7", MaxConversationIDLength), IDOK},
		{"empty", "", "", IDEmpty},
		{"only white space", "  \n", "", IDEmpty},
		{"too long", strings.Repeat("7", MaxConversationIDLength+1), strings.Repeat("7", MaxConversationIDLength+1), IDTooLong},
		{"too long counts characters, not bytes", strings.Repeat("é", MaxConversationIDLength), strings.Repeat("é", MaxConversationIDLength), IDNotDigits},
		// Issue: a pull's "id":"jane.doe@example.com" was accepted and
		// written to every output as a conversation id.
		{"an e-mail address", "jane.doe@example.com", "jane.doe@example.com", IDNotDigits},
		{"a name", "Zelda Piiname", "Zelda Piiname", IDNotDigits},
		{"an id followed by text", "215470000001050 my card number leaked", "215470000001050 my card number leaked", IDNotDigits},
		{"a letter before the digits", "X215470000001000", "X215470000001000", IDNotDigits},
		{"a sign", "-1", "-1", IDNotDigits},
		{"zero", "0", "0", IDLeadingZero},
		{"zeros", "0000", "0000", IDLeadingZero},
		{"a padded id", " 0215470000001048", "0215470000001048", IDLeadingZero},
		{"a float with a fraction", "215470000001000.0", "215470000001000.0", IDNumber},
		{"a float with an exponent", "2.15470000001E14", "2.15470000001E14", IDNumber},
		{"a spreadsheet's rounding", "2.1547E+14", "2.1547E+14", IDNumber},
		{"a spreadsheet's rounding, decimal comma", "2,1547E+14", "2,1547E+14", IDNumber},
		{"an exponent without a fraction", "1e400", "1e400", IDNumber},
		{"an exponent without digits is no number", "2.1E", "2.1E", IDNotDigits},
		{"a dot alone is no number", ".", ".", IDNotDigits},
		{"thousands separators are no fraction", "215,470,000", "215,470,000", IDNotDigits},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, problem := ConversationID(tc.text)
			if id != tc.id || problem != tc.problem {
				t.Errorf("ConversationID(%q) = %q, %d; want %q, %d", tc.text, id, problem, tc.id, tc.problem)
			}
			bid, bproblem := ConversationID([]byte(tc.text))
			if string(bid) != id || bproblem != problem {
				t.Errorf("ConversationID([]byte(%q)) = %q, %d; the string gives %q, %d", tc.text, bid, bproblem, id, problem)
			}
		})
	}
}

// TestConversationID_NoAllocation: the API reader checks every id of a
// multi-gigabyte pull in its buffer before it copies it.
func TestConversationID_NoAllocation(t *testing.T) {
	for _, text := range []string{"215470123456789", " 215470123456789\u00a0", "jane.doe@example.com", strings.Repeat("9", 10<<10)} {
		b := []byte(text)
		if n := testing.AllocsPerRun(100, func() { ConversationID(b) }); n != 0 {
			t.Errorf("ConversationID([]byte(%.20q…)) allocates %v times", text, n)
		}
	}
}
