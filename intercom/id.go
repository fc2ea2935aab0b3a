package intercom

import (
	"unicode"
	"unicode/utf8"
)

// MaxConversationIDLength bounds a conversation id, in characters.
// Intercom's are a dozen or so digits; a longer "id" is not one, and would
// be repeated in every output that names the conversation.
const MaxConversationIDLength = 64

// IDProblem says why a source's text is not a conversation id.
type IDProblem uint8

// What ConversationID finds.
const (
	IDOK IDProblem = iota
	IDEmpty
	IDTooLong // more than MaxConversationIDLength characters
	// IDNumber is a number with a fraction or an exponent
	// (215470000001000.0, 2.15470000001E14, 2,1547E+14): what a
	// spreadsheet or a tool that re-wrote the file made of an id. The
	// digits may have been rounded away; it is never read as some other id.
	IDNumber
	IDNotDigits // anything else: letters, signs, spaces between digits
	// IDLeadingZero is digits that start with 0 ("0", "0215470000001048"):
	// no Intercom id does. Read as it is, it would be a conversation of
	// its own beside the one it may stand for, padded by some tool.
	IDLeadingZero
)

// LeadingZeroReason says why an id that starts with 0 is not read, for
// every reader.
const LeadingZeroReason = "starts with 0, as no Intercom conversation id does (a tool may have padded it), so it is not read as an id"

// ConversationID is the one rule for what a conversation id is, for every
// source: white space around it left out (" 123" is conversation 123),
// digits only, not starting with 0, at most MaxConversationIDLength
// characters. Intercom's ids
// are digits; a name, an e-mail address or message text in the id's place
// is not an id, and must not reach the outputs as one.
//
// It returns text without the white space around it, and IDOK or what is
// wrong with it. It takes a string or bytes (a reader's buffer) and never
// copies: an id is checked before the reader makes a string of it.
func ConversationID[T ~string | ~[]byte](text T) (T, IDProblem) {
	id := trimSpace(text)
	if len(id) > 0 && len(id) <= MaxConversationIDLength && id[0] != '0' && allDigits(id) {
		return id, IDOK // as nearly every id is
	}
	switch {
	case len(id) == 0:
		return id, IDEmpty
	case len(id) <= MaxConversationIDLength && allDigits(id):
		return id, IDLeadingZero
	case len(id) > MaxConversationIDLength && runeCount(id) > MaxConversationIDLength:
		return id, IDTooLong
	case len(id) <= MaxConversationIDLength && isNumberNotWhole(id):
		return id, IDNumber
	}
	return id, IDNotDigits
}

// runeCount is utf8.RuneCount of a string or bytes, without copying.
func runeCount[T ~string | ~[]byte](s T) int {
	n := 0
	for i := 0; i < len(s); n++ {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := firstRune(s[i:])
		i += size
	}
	return n
}

func allDigits[T ~string | ~[]byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNumberNotWhole reports whether s is a number written with a fraction or
// an exponent, the decimal mark a dot or a comma: 215470000001000.0,
// 2.15470000001E14, 2,1547E+14, 2E+14 (digits on both sides of the mark).
func isNumberNotWhole[T ~string | ~[]byte](s T) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	n := digitsAt(s, i)
	if n == 0 {
		return false
	}
	i += n
	fraction := false
	if i+1 < len(s) && (s[i] == '.' || s[i] == ',') {
		if n := digitsAt(s, i+1); n > 0 {
			fraction, i = true, i+1+n
		}
	}
	exponent := false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		n := digitsAt(s, i)
		if n == 0 {
			return false
		}
		exponent, i = true, i+n
	}
	return i == len(s) && (fraction || exponent)
}

// digitsAt counts the digits of s from i.
func digitsAt[T ~string | ~[]byte](s T, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '9' {
		n++
	}
	return n
}

// trimSpace is strings.TrimSpace (Unicode white space) of a string or
// bytes, without copying.
func trimSpace[T ~string | ~[]byte](s T) T {
	for len(s) > 0 {
		if c := s[0]; c < utf8.RuneSelf {
			if !isASCIISpace(c) {
				break
			}
			s = s[1:]
			continue
		}
		r, size := firstRune(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[size:]
	}
	for len(s) > 0 {
		if c := s[len(s)-1]; c < utf8.RuneSelf {
			if !isASCIISpace(c) {
				break
			}
			s = s[:len(s)-1]
			continue
		}
		r, size := lastRune(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// firstRune and lastRune decode through a few bytes on the stack, so that
// neither a string nor bytes is converted (and copied) as a whole.
func firstRune[T ~string | ~[]byte](s T) (rune, int) {
	var buf [utf8.UTFMax]byte
	n := copy(buf[:], s[:min(len(s), utf8.UTFMax)])
	return utf8.DecodeRune(buf[:n])
}

func lastRune[T ~string | ~[]byte](s T) (rune, int) {
	var buf [utf8.UTFMax]byte
	n := copy(buf[:], s[max(0, len(s)-utf8.UTFMax):])
	return utf8.DecodeLastRune(buf[:n])
}
