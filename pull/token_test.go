package pull

import "testing"

// TestCleanToken: what an editor or a shell adds around a token is dropped;
// what cannot be in a token is refused, in words that never quote it.
func TestCleanToken(t *testing.T) {
	cases := []struct {
		name, raw, want, wantErr string
	}{
		{"alone", testToken, testToken, ""},
		{"a line end and spaces around it", "  " + testToken + "\r\n", testToken, ""},
		{"a UTF-8 byte-order mark first", "\ufeff" + testToken + "\n", testToken, ""},
		{"empty", "\ufeff \r\n", "", "is empty"},
		{"UTF-16", "\xff\xfet\x00o\x00k\x00", "", "is saved as UTF-16"},
		{"a carriage return inside", "tok\rlive", "", "holds more than one line (a line break at character 4)"},
		{"two lines", testToken + "\nsecond", "", "holds more than one line"},
		{"a space inside", "Bearer " + testToken, "", "has a space at character 7"},
		{"a control character", "tok\x07live", "", "has the control character U+0007 at character 4"},
		{"a non-breaking space", "tok\u00a0live", "", "has a space at character 4"},
		{"a zero-width space", "tok\u200blive", "", "has the character U+200B at character 4, which no Intercom token has"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CleanToken(tc.raw)
			if errorAsWanted(t, err, tc.wantErr) {
				return
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
