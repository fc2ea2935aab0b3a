package parse

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// isUTF16BOM reports whether a file starts with a UTF-16 byte-order mark
// (FF FE little-endian, FE FF big-endian), not UTF-32's FF FE 00 00. Excel's
// "Unicode Text" and many Windows tools save so.
func isUTF16BOM(b []byte) bool {
	switch {
	case len(b) < 2:
		return false
	case b[0] == 0xFE && b[1] == 0xFF:
		return true
	case b[0] == 0xFF && b[1] == 0xFE:
		return len(b) < 4 || b[2] != 0 || b[3] != 0
	}
	return false
}

// utf16Reader turns UTF-16 text into UTF-8 as it is read, byte-order mark
// included (the readers drop a UTF-8 one). A surrogate without its pair and
// an odd byte at the end become U+FFFD, as a text editor would show them.
type utf16Reader struct {
	r         io.Reader
	bigEndian bool
	raw       []byte // read, not yet decoded: an odd byte, a high surrogate awaiting its pair
	out       []byte // decoded, not yet handed on
	pending   []byte // out's unread part
	err       error
}

func newUTF16Reader(r io.Reader, bigEndian bool) *utf16Reader {
	return &utf16Reader{r: r, bigEndian: bigEndian, raw: make([]byte, 0, 32<<10), out: make([]byte, 0, 48<<10)}
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.pending) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.pending)
	u.pending = u.pending[n:]
	return n, nil
}

func (u *utf16Reader) unit(i int) rune {
	if u.bigEndian {
		return rune(u.raw[i])<<8 | rune(u.raw[i+1])
	}
	return rune(u.raw[i+1])<<8 | rune(u.raw[i])
}

// fill reads more input and decodes every complete code unit of it.
func (u *utf16Reader) fill() {
	start := len(u.raw)
	n, err := u.r.Read(u.raw[start:cap(u.raw)])
	u.raw = u.raw[:start+n]
	out := u.out[:0]
	i := 0
decode:
	for ; i+1 < len(u.raw); i += 2 {
		c := u.unit(i)
		switch {
		case c < 0xD800 || c > 0xDFFF:
			out = utf8.AppendRune(out, c)
		case c >= 0xDC00: // a low surrogate alone
			out = utf8.AppendRune(out, utf8.RuneError)
		case i+3 >= len(u.raw) && err == nil:
			break decode // its pair may come with the next read
		default:
			r := utf8.RuneError
			if i+3 < len(u.raw) {
				if c2 := u.unit(i + 2); c2 >= 0xDC00 && c2 <= 0xDFFF {
					r = utf16.DecodeRune(c, c2)
					i += 2
				}
			}
			out = utf8.AppendRune(out, r)
		}
	}
	u.raw = u.raw[:copy(u.raw, u.raw[i:])]
	if err != nil {
		if len(u.raw) > 0 {
			out = utf8.AppendRune(out, utf8.RuneError)
			u.raw = u.raw[:0]
		}
		u.err = err
	}
	u.out = out
	u.pending = out
}
