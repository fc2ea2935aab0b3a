package jsonscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the type of the next JSON value.
type Kind uint8

// Kinds of JSON values.
const (
	Invalid Kind = iota
	Object
	Array
	String
	Number
	Bool
	Null
)

func (k Kind) String() string {
	return [...]string{"invalid", "object", "array", "string", "number", "boolean", "null"}[k]
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

// Scanner walks one JSON value.
type Scanner struct {
	buf     []byte
	pos     int
	err     error
	first   bool // the next NextKey/NextElem is the first of its container
	scratch []byte
}

// Reset points the scanner at a new value, keeping its scratch buffer.
func (s *Scanner) Reset(b []byte) {
	s.buf, s.pos, s.err, s.first = b, 0, nil, false
}

// Err returns the first error met, if any.
func (s *Scanner) Err() error { return s.err }

// Offset is the byte position of the scanner in its input.
func (s *Scanner) Offset() int { return s.pos }

// SyntaxError says where the value stops being JSON.
type SyntaxError struct {
	Offset int
	Msg    string
	// AtEnd is set when the input ran out before the value was complete:
	// what was there is a beginning of JSON, and more input could finish it.
	// A reader that holds only part of its input (a window of a stream)
	// reads more and tries again instead of calling the value broken.
	AtEnd bool
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.Msg, e.Offset) }

func (s *Scanner) fail(msg string) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: s.pos, Msg: msg, AtEnd: s.pos >= len(s.buf)}
	}
}

func (s *Scanner) skipSpace() {
	// Compact JSON, as the API and JSON Lines write it, has no space
	// between tokens: one comparison tells, since every byte that starts a
	// token sorts after the space and every white space byte at or before it.
	if s.pos < len(s.buf) && s.buf[s.pos] > ' ' {
		return
	}
	for s.pos < len(s.buf) {
		switch s.buf[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// Peek returns the kind of the next value without consuming it.
func (s *Scanner) Peek() Kind {
	if s.err != nil {
		return Invalid
	}
	s.skipSpace()
	if s.pos >= len(s.buf) {
		return Invalid
	}
	switch c := s.buf[s.pos]; {
	case c == '{':
		return Object
	case c == '[':
		return Array
	case c == '"':
		return String
	case c == 't' || c == 'f':
		return Bool
	case c == 'n':
		return Null
	case c == '-' || (c >= '0' && c <= '9'):
		return Number
	}
	return Invalid
}

// Begin enters an object or array and reports true. Null reads as false with
// no error. A value of another type is consumed and described by a
// *TypeError, so the caller can reject one field and go on; anything that is
// not a value at all is a syntax error.
func (s *Scanner) Begin(k Kind) (bool, error) {
	switch s.Peek() {
	case k:
		s.pos++
		s.first = true
		return true, nil
	case Null:
		s.literal("null")
		return false, s.err
	case Invalid:
		s.fail("expected " + k.String())
		return false, s.err
	}
	return false, s.mismatch("an " + k.String())
}

// NextKey advances to the next key of the object entered with Begin and
// returns it (raw, without unescaping; keys icrecon matches never contain
// escapes). It returns false at the closing brace. The caller must consume the
// value with one of the readers or Skip.
func (s *Scanner) NextKey() ([]byte, bool) {
	if key, ok := s.compactKey(); ok {
		return key, true
	}
	// advance leaves the position on the member, white space skipped.
	if !s.advance('}') {
		return nil, false
	}
	if s.pos >= len(s.buf) || s.buf[s.pos] != '"' {
		s.fail("expected a key")
		return nil, false
	}
	key := s.rawString()
	if s.pos < len(s.buf) && s.buf[s.pos] == ':' { // compact JSON
		s.pos++
		return key, s.err == nil
	}
	s.skipSpace()
	if s.pos >= len(s.buf) || s.buf[s.pos] != ':' {
		s.fail("expected ':' after key")
		return nil, false
	}
	s.pos++
	return key, s.err == nil
}

// compactKey reads the next key as the API writes it: right after the
// opening brace or the comma, with no escape before its closing quote and
// the colon right after it. A key takes about half the work that way,
// and keys are most of what a conversation is made of. Anything else —
// white space, the end of the object, a syntax error — is left for the
// general path: the position does not move and compactKey reports false.
func (s *Scanner) compactKey() ([]byte, bool) {
	i := s.pos
	if !s.first {
		if i >= len(s.buf) || s.buf[i] != ',' {
			return nil, false
		}
		i++
	}
	if s.err != nil || i >= len(s.buf) || s.buf[i] != '"' {
		return nil, false
	}
	rest := s.buf[i+1:]
	end := indexQuote(rest)
	if end < 0 || end > 0 && rest[end-1] == '\\' || end+1 >= len(rest) || rest[end+1] != ':' {
		return nil, false
	}
	s.first = false
	s.pos = i + 1 + end + 2
	return rest[:end], true
}

// NextElem advances to the next element of the array entered with Begin; it
// returns false at the closing bracket.
func (s *Scanner) NextElem() bool { return s.advance(']') }

// advance handles the comma or closing byte between members.
func (s *Scanner) advance(closing byte) bool {
	if s.err != nil {
		return false
	}
	s.skipSpace()
	if s.pos >= len(s.buf) {
		s.fail("unexpected end of input")
		return false
	}
	if s.buf[s.pos] == closing {
		s.pos++
		s.first = false
		return false
	}
	if s.first {
		s.first = false
		return true
	}
	if s.buf[s.pos] != ',' {
		s.fail("expected ',' or '" + string(closing) + "'")
		return false
	}
	s.pos++
	s.skipSpace()
	if s.pos < len(s.buf) && s.buf[s.pos] == closing {
		s.fail("trailing comma")
		return false
	}
	return true
}

// rawString consumes a string and returns its bytes between the quotes,
// escapes left as they are.
func (s *Scanner) rawString() []byte {
	str := s.buf[s.pos+1:] // from after the opening quote
	i := 0
	for {
		j := indexQuote(str[i:])
		if j < 0 {
			s.pos = len(s.buf)
			s.fail("unterminated string")
			return nil
		}
		i += j
		// A quote ends the string unless an odd number of backslashes
		// precede it.
		if i == 0 || str[i-1] != '\\' || evenBackslashes(str[:i]) {
			s.pos += i + 2
			return str[:i]
		}
		i++
	}
}

// indexQuote is bytes.IndexByte(b, '"'), faster for the short keys and
// values JSON is mostly made of: a pull has a quote every nine bytes. It
// tests eight bytes at a time in a register for the first 32 before it
// calls bytes.IndexByte, whose setup costs more than a short string takes
// to scan. The decoder runs 5-6% faster on a generated pull
// (BenchmarkDecodeLines).
func indexQuote(b []byte) int {
	const (
		ones   = 0x0101010101010101
		highs  = 0x8080808080808080
		quotes = ones * '"'
	)
	i := 0
	for ; i+8 <= len(b) && i < 32; i += 8 {
		// A byte of w is zero where b holds a quote. The lowest byte
		// flagged is always such a zero: a borrow flags only bytes above
		// a zero one.
		w := binary.LittleEndian.Uint64(b[i:]) ^ quotes
		if found := (w - ones) &^ w & highs; found != 0 {
			return i + bits.TrailingZeros64(found)/8
		}
	}
	if j := bytes.IndexByte(b[i:], '"'); j >= 0 {
		return i + j
	}
	return -1
}

// evenBackslashes reports whether b ends in an even number of backslashes.
func evenBackslashes(b []byte) bool {
	n := 0
	for k := len(b) - 1; k >= 0 && b[k] == '\\'; k-- {
		n++
	}
	return n%2 == 0
}

// IsNull consumes a null and reports true, or consumes nothing and reports false.
func (s *Scanner) IsNull() bool {
	if s.Peek() == Null {
		s.literal("null")
		return true
	}
	return false
}

// TypeError says a well-formed value had the wrong type; the value was
// consumed and the scanner can go on.
type TypeError struct {
	Want string
	Raw  []byte // the value as written, shortened for messages
}

func (e *TypeError) Error() string { return fmt.Sprintf("%s is not %s", e.Raw, e.Want) }

// mismatch consumes the value at the cursor and describes it.
func (s *Scanner) mismatch(want string) error {
	raw := s.Raw()
	if s.err != nil {
		return s.err
	}
	if len(raw) > 60 {
		raw = append(append([]byte(nil), raw[:57]...), "..."...)
	}
	return &TypeError{Want: want, Raw: raw}
}

// Raw consumes the next value and returns its bytes as written.
func (s *Scanner) Raw() []byte {
	s.skipSpace()
	start := s.pos
	s.Skip()
	if s.err != nil {
		return nil
	}
	return s.buf[start:s.pos]
}

// Str reads a string value (unescaped). Numbers are accepted as their text,
// since Intercom writes some ids either way. Null reads as set false.
func (s *Scanner) Str() (string, bool, error) {
	b, set, err := s.StrBytes()
	return string(b), set, err
}

// StrBytes is Str without the allocation; the bytes are valid until the next
// call.
func (s *Scanner) StrBytes() ([]byte, bool, error) {
	switch s.Peek() {
	case String:
		raw := s.rawString()
		if bytes.IndexByte(raw, '\\') < 0 {
			return raw, s.err == nil, s.err
		}
		s.scratch = s.unescape(s.scratch[:0], raw)
		if s.err != nil {
			return nil, false, s.err
		}
		return s.scratch, true, nil
	case Number:
		b := s.numberBytes()
		return b, s.err == nil, s.err
	case Null:
		s.literal("null")
		return nil, false, s.err
	case Invalid:
		s.fail("expected a value")
		return nil, false, s.err
	}
	return nil, false, s.mismatch("a string")
}

// HasText consumes a string and reports whether it is non-empty; null, empty
// and any other value read as false. Used for bodies, which are never decoded.
func (s *Scanner) HasText() bool {
	if s.Peek() == String {
		return len(s.rawString()) > 0
	}
	s.Skip()
	return false
}

// Int reads an integer; null reads as set false. A number with a fraction or
// exponent is accepted when it is whole (1.7e9, 687.0). A string of digits is
// accepted, since some tools re-serialise Unix times as strings.
func (s *Scanner) Int() (int64, bool, error) {
	if n, ok := s.plainInt(); ok {
		return n, true, nil
	}
	var b []byte
	switch s.Peek() {
	case Number:
		b = s.numberBytes()
	case String:
		save := s.pos
		b = s.rawString()
		if _, ok := parseWhole(b); !ok {
			s.pos = save
			return 0, false, s.mismatch("a whole number")
		}
	case Null:
		s.literal("null")
		return 0, false, s.err
	case Invalid:
		s.fail("expected a value")
		return 0, false, s.err
	default:
		return 0, false, s.mismatch("a whole number")
	}
	if s.err != nil {
		return 0, false, s.err
	}
	n, ok := parseWhole(b)
	if !ok {
		return 0, false, &TypeError{Want: "a whole number", Raw: append([]byte(nil), b...)}
	}
	return n, true, nil
}

// plainInt reads a number written as plain digits, as the API writes its
// times and counts, in one pass over them; it consumes nothing and reports
// false for anything else (a sign, a fraction, an exponent, a leading zero,
// more digits than surely fit, not a number at all), which Int reads the
// long way.
func (s *Scanner) plainInt() (int64, bool) {
	if s.err != nil {
		return 0, false
	}
	s.skipSpace()
	const maxDigits = 18 // below 2^63 whatever they are
	b := s.buf[s.pos:]   // local, as in digits
	var n int64
	i := 0
	for ; i < len(b) && i <= maxDigits; i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		n = n*10 + int64(d)
	}
	switch {
	case i == 0 || i > maxDigits:
		return 0, false
	case i > 1 && b[0] == '0':
		return 0, false
	case i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'):
		return 0, false
	}
	s.pos += i
	return n, true
}

func parseWhole(b []byte) (int64, bool) {
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != float64(int64(f)) || f > 1<<62 || f < -(1<<62) {
		return 0, false
	}
	return int64(f), true
}

// Bool reads true or false; null reads as set false.
func (s *Scanner) Bool() (bool, bool, error) {
	switch s.Peek() {
	case Null:
		s.literal("null")
		return false, false, s.err
	case Bool:
		value := s.buf[s.pos] == 't'
		if value {
			s.literal("true")
		} else {
			s.literal("false")
		}
		if s.err != nil {
			return false, false, s.err
		}
		return value, true, nil
	case Invalid:
		s.fail("expected a value")
		return false, false, s.err
	}
	return false, false, s.mismatch("true or false")
}

func (s *Scanner) literal(word string) {
	// Inlined with word a constant, the comparison is a load or two.
	if end := s.pos + len(word); end <= len(s.buf) && string(s.buf[s.pos:end]) == word {
		s.pos = end
		return
	}
	s.badLiteral(word)
}

// badLiteral records why the input at the position is not word.
func (s *Scanner) badLiteral(word string) {
	if s.err == nil {
		// "tr" at the end of the input is the start of true.
		s.err = &SyntaxError{Offset: s.pos, Msg: "invalid literal", AtEnd: bytes.HasPrefix([]byte(word), s.buf[s.pos:])}
	}
}

// numberBytes consumes a number as JSON writes it:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *Scanner) numberBytes() []byte {
	start := s.pos
	s.accept('-')
	switch {
	case s.accept('0'):
	case s.digits() == 0:
		s.fail("invalid number")
		return nil
	}
	if s.accept('.') && s.digits() == 0 {
		s.fail("invalid number")
		return nil
	}
	if s.accept('e') || s.accept('E') {
		if !s.accept('+') {
			s.accept('-')
		}
		if s.digits() == 0 {
			s.fail("invalid number")
			return nil
		}
	}
	return s.buf[start:s.pos]
}

func (s *Scanner) accept(c byte) bool {
	if s.pos < len(s.buf) && s.buf[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

func (s *Scanner) digits() int {
	// A local slice: the loop then keeps it in registers instead of
	// loading s.buf and s.pos again for every digit.
	b := s.buf[s.pos:]
	n := 0
	for n < len(b) && b[n]-'0' <= 9 {
		n++
	}
	s.pos += n
	return n
}

// Skip consumes the next value whatever it is, checking its grammar
// (separators, keys, literals, numbers) without decoding anything.
func (s *Scanner) Skip() {
	if s.err != nil {
		return
	}
	// Most values skipped are scalars: they need no bookkeeping of
	// containers.
	s.skipSpace()
	if s.pos < len(s.buf) && s.skipScalar(s.buf[s.pos]) {
		return
	}
	s.skipNested()
}

// skipScalar consumes the string, number or literal that starts with c and
// reports true; anything else it leaves and reports false.
func (s *Scanner) skipScalar(c byte) bool {
	switch {
	case c == '"':
		s.rawString()
	case c == 't':
		s.literal("true")
	case c == 'f':
		s.literal("false")
	case c == 'n':
		s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		s.numberBytes()
	default:
		return false
	}
	return true
}

// skipNested is Skip of a value that may be a container.
func (s *Scanner) skipNested() {
	// open records the containers entered, one bit each: 1 object, 0 array.
	var open [maxDepth / 64]uint64
	depth := 0
	for {
		// A value.
		s.skipSpace()
		if s.pos >= len(s.buf) {
			s.fail("unexpected end of input")
			return
		}
		switch c := s.buf[s.pos]; {
		case c == '{' || c == '[':
			if depth == maxDepth {
				s.fail("nested too deeply")
				return
			}
			isObject := c == '{'
			if isObject {
				open[depth/64] |= 1 << (depth % 64)
			} else {
				open[depth/64] &^= 1 << (depth % 64)
			}
			depth++
			s.pos++
			s.skipSpace()
			if s.accept(c + 2) { // '{'+2 is '}', '['+2 is ']'
				depth--
				break
			}
			if isObject && !s.skipKey() {
				return
			}
			continue
		case !s.skipScalar(c):
			s.fail(fmt.Sprintf("unexpected character %q", c))
		}
		// After a value: a comma and the next member, or closing brackets.
		for s.err == nil && depth > 0 {
			s.skipSpace()
			inObject := open[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			if s.accept(',') {
				if inObject && !s.skipKey() {
					return
				}
				break
			}
			closing := byte(']')
			if inObject {
				closing = '}'
			}
			if !s.accept(closing) {
				s.fail("expected ',' or '" + string(closing) + "'")
				return
			}
			depth--
		}
		if s.err != nil || depth == 0 {
			return
		}
	}
}

// skipKey consumes an object key and its colon.
func (s *Scanner) skipKey() bool {
	s.skipSpace()
	if s.pos >= len(s.buf) || s.buf[s.pos] != '"' {
		s.fail("expected a key")
		return false
	}
	s.rawString()
	s.skipSpace()
	if !s.accept(':') {
		s.fail("expected ':' after key")
		return false
	}
	return s.err == nil
}

// End checks that nothing but white space follows the value.
func (s *Scanner) End() error {
	s.skipSpace()
	if s.err == nil && s.pos != len(s.buf) {
		s.fail("unexpected data after the value")
	}
	return s.err
}

var errBadEscape = errors.New("invalid escape")

// unescape decodes JSON escapes of raw into dst.
func (s *Scanner) unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		if i >= len(raw) {
			s.fail(errBadEscape.Error())
			return dst
		}
		switch raw[i] {
		case '"', '\\', '/':
			dst = append(dst, raw[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := decodeU(raw[i+1:])
			if n == 0 {
				s.fail(errBadEscape.Error())
				return dst
			}
			i += n
			dst = utf8.AppendRune(dst, r)
		default:
			s.fail(errBadEscape.Error())
			return dst
		}
	}
	return dst
}

// decodeU reads the hex digits after \u (and a following low surrogate);
// it returns the rune and how many bytes it consumed after the 'u'.
func decodeU(b []byte) (rune, int) {
	r, ok := hex4(b)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) && len(b) >= 10 && b[4] == '\\' && b[5] == 'u' {
		if r2, ok := hex4(b[6:]); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 10
			}
		}
	}
	if utf16.IsSurrogate(r) {
		return utf8.RuneError, 4
	}
	return r, 4
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
