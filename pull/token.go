package pull

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// CleanToken returns the API token as a file or the environment holds it,
// without the UTF-8 byte-order mark an editor may put first or the line
// ends and spaces around it, or says what is wrong with it. The error reads
// after the name of where the token came from ("--token-file t.txt is
// empty") and never quotes the token.
func CleanToken(raw string) (string, error) {
	if strings.HasPrefix(raw, "\xff\xfe") || strings.HasPrefix(raw, "\xfe\xff") {
		return "", errors.New("is saved as UTF-16: save it as plain text (UTF-8)")
	}
	t := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff"))
	return t, checkToken(t)
}

// checkToken refuses what cannot be a token before it is sent: a line break
// or another control character would be refused by Go's HTTP client (and
// retried as if the network had failed), and a space or a character beyond
// ASCII makes Intercom answer 401, which no Intercom token does.
func checkToken(t string) error {
	if t == "" {
		return errors.New("is empty")
	}
	at := 0 // the character's place, counted from 1, for the message
	for _, r := range t {
		at++
		switch {
		case r == '\n' || r == '\r':
			return fmt.Errorf("holds more than one line (a line break at character %d): it should hold the token alone, on one line", at)
		case unicode.IsSpace(r):
			return fmt.Errorf("has a space at character %d: it should hold the token alone, on one line", at)
		case unicode.IsControl(r):
			return fmt.Errorf("has the control character %U at character %d, which no token has", r, at)
		case r > unicode.MaxASCII:
			return fmt.Errorf("has the character %U at character %d, which no Intercom token has (often a space or quote copied from a web page)", r, at)
		}
	}
	return nil
}
