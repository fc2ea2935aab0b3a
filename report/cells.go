package report

import (
	"encoding/csv"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is the one place where text becomes an output cell: a CSV cell,
// an xlsx text cell, or a link to a conversation. Every writer in this
// package goes through it, so that no id, value or reason read from an
// input can turn into a spreadsheet formula (OWASP's CSV injection).

// csvCell makes a text safe for a CSV cell opened in a spreadsheet. A cell
// gets a leading apostrophe, as OWASP's CSV-injection rules advise, so that
// Excel, LibreOffice and Google Sheets show it as text instead of
// evaluating it, when:
//   - it starts with a tab or a carriage return;
//   - its first character that is not white space or invisible is = + - or
//     @ (spreadsheets skip such characters before they look for a formula,
//     so " =1+1" or NUL, U+2028, "=cmd|calc" is one);
//   - it starts with an apostrophe, so the rule can be undone exactly
//     (csvUncell).
//
// A plain number such as -12 or -0.5 is left as it is: a spreadsheet reads
// it as the number it is, which is harmless.
func csvCell(s string) string {
	if s == "" || !csvTrigger(s) || isPlainNumber(s) {
		return s
	}
	return "'" + s
}

// csvUncell undoes csvCell, for reading back a CSV icrecon wrote.
func csvUncell(s string) string { return strings.TrimPrefix(s, "'") }

// csvTrigger reports whether the cell s needs the apostrophe. What is
// looked past before = + - @ is white space and invisible characters
// (Unicode categories Cc, Cf, Zs, Zl, Zp: NUL, line breaks, no-break and
// zero-width spaces, the byte-order mark, U+2028) and bytes that are not
// UTF-8, which a spreadsheet may read as any of them.
func csvTrigger(s string) bool {
	switch c := s[0]; {
	case c == '\t' || c == '\r' || c == '\'':
		return true
	case c > ' ' && c < utf8.RuneSelf-1 && c != '=' && c != '+' && c != '-' && c != '@':
		// Printable ASCII, as nearly every cell starts (an id, a date):
		// visible, so the first character, and no trigger.
		return false
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '=' || r == '+' || r == '-' || r == '@':
			return true
		case r == utf8.RuneError && size == 1, unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp):
			i += size
		default:
			return false
		}
	}
	return false
}

// isPlainNumber is -?digits[.digits]: how icrecon writes numbers.
func isPlainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	return allDigits(whole) && (!dot || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// csvWriter is encoding/csv's writer with every cell passed through
// csvCell. Every CSV icrecon writes is written with it.
type csvWriter struct {
	w   *csv.Writer
	row []string
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: csv.NewWriter(w)} }

// Write writes one row; the caller's slice is not changed.
func (c *csvWriter) Write(cells []string) error {
	c.row = c.row[:0]
	for _, s := range cells {
		c.row = append(c.row, csvCell(s))
	}
	return c.w.Write(c.row)
}

// Close flushes and returns the first error.
func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// excelMaxChars is the most UTF-16 units an Excel cell holds.
const excelMaxChars = 32767

// cutMarker ends a text too long for one cell.
const cutMarker = "… (cut: too long for a cell)"

// xlsxText is the text an xlsx text cell holds for s. It is always written
// as a string cell (never a formula, whatever it starts with: excelize
// stores a Go string as a shared or inline string, and a text starting with
// = stays text; read back it is the same text and has no formula). Only what
// an xlsx cell cannot carry changes:
//   - invalid UTF-8 and the characters XML 1.0 forbids (control characters
//     other than tab, line feed and carriage return; U+FFFE, U+FFFF) become
//     U+FFFD;
//   - OOXML reads _xHHHH_ in a cell as the character U+HHHH, and excelize
//     v2.11.0 escapes such text wrongly (not at all in shared strings), so a
//     zero-width space (U+200B) goes between the underscore and the x;
//   - a text longer than Excel's 32,767 characters is cut, saying so, rather
//     than silently.
func xlsxText(s string) string {
	if xmlClean(s) && len(s) <= excelMaxChars && !strings.Contains(s, "_x") { // bytes ≥ UTF-16 units
		return s
	}
	var clean strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r) || r == utf8.RuneError && size == 1 {
			r = utf8.RuneError
		}
		clean.WriteRune(r)
		if r == '_' && isOOXMLEscape(s[i:]) {
			clean.WriteRune('\u200B')
		}
		i += size
	}
	s = clean.String()
	if utf16Len(s) <= excelMaxChars {
		return s
	}
	var b strings.Builder
	units, limit := 0, excelMaxChars-utf16Len(cutMarker)
	for _, r := range s {
		n := utf16.RuneLen(r)
		if units+n > limit {
			break
		}
		units += n
		b.WriteRune(r)
	}
	return b.String() + cutMarker
}

// isOOXMLEscape reports whether s starts with _xHHHH_, OOXML's escape of a
// character.
func isOOXMLEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// xmlClean reports whether s is valid UTF-8 made only of XML characters.
func xmlClean(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !xmlChar(r) {
			return false
		}
		i += size
	}
	return true
}

// xmlChar is XML 1.0's Char production.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= utf8.MaxRune
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// maxIDDigits bounds a conversation id. Intercom's are digits, about 15
// today; 32 leaves room for growth without letting anything else through.
const maxIDDigits = 32

// ValidConversationID reports whether id has the shape of an Intercom
// conversation id: 1 to 32 digits. Only such an id becomes a link.
func ValidConversationID(id string) bool { return len(id) <= maxIDDigits && allDigits(id) }

// validAppID is the shape of an Intercom workspace (app) id: letters and
// digits (k7x2m9qa), with some room.
func validAppID(appID string) bool {
	if appID == "" || len(appID) > 64 {
		return false
	}
	for i := 0; i < len(appID); i++ {
		c := appID[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ConversationURL is a conversation's address in Intercom's inbox, or ""
// when the app id or the conversation id does not have Intercom's shape (a
// link is then not made, and the id is shown as text).
func ConversationURL(appID, id string) string {
	if !validAppID(appID) || !ValidConversationID(id) {
		return ""
	}
	return "https://app.intercom.com/a/apps/" + url.PathEscape(appID) + "/inbox/inbox/conversation/" + id
}

// hyperlinkFormula is Excel's HYPERLINK("url","text"), both arguments
// escaped as Excel string literals (a quote doubled).
func hyperlinkFormula(url, text string) string {
	return `HYPERLINK(` + formulaString(url) + `,` + formulaString(text) + `)`
}

func formulaString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
