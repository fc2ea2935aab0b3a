package parse

import (
	"bytes"
	"encoding/csv"
	"io"
)

// recordSplitter reads the records of a delimited text file exactly as an
// encoding/csv Reader does with Comma set and its other options left as
// they are (every record must have as many cells as the first; no lazy
// quotes): the same cells, the same *csv.ParseError at the same line and
// column, the same InputOffset, the same read errors at the same record
// (FuzzRecordSplitter compares the two on every input). It is twice as
// fast on an export (BenchmarkRecordSplitter): cells are found by a table
// lookup per byte in its own buffer, only a cell with "" or a CRLF inside
// is copied (unescaped), and each record's bytes as written are at hand, so
// no second copy of the input is kept to show a rejected row.
type recordSplitter struct {
	src   io.Reader
	comma byte
	ends  [256]bool // the bytes that end an unquoted cell: comma, '"' and '\n'

	buf    []byte // buf[pos:] is read and not yet consumed
	pos    int
	final  error // what ended the input: io.EOF, or a read error; nil while more may come
	lines  int   // line feeds consumed
	offset int64 // bytes consumed
	fields int   // cells per record, set by the first record

	// The last record read.
	raw       []byte // as written, from the end of the record before (blank lines included)
	unescaped []byte // the text of the cells that had to be unescaped
	cells     []span // each cell's text in raw followed by unescaped
	escaped   []int  // the cells whose span is, until the record ends, in unescaped alone
	line      int    // the line the record starts on, from 1
}

// span is a cell's text: from and to index raw followed by unescaped.
type span struct{ from, to int }

// firstSplitBuffer is the buffer's first size; it grows for a longer record.
const firstSplitBuffer = 64 << 10

func newRecordSplitter(src io.Reader, comma byte) *recordSplitter {
	s := &recordSplitter{src: src, comma: comma, buf: make([]byte, 0, firstSplitBuffer)}
	s.ends[comma], s.ends['"'], s.ends['\n'] = true, true, true
	return s
}

// Read reads the next record: nil, a *csv.ParseError (the record is
// rejected, the next one can be read), io.EOF at the end, or the error the
// input ended with.
func (s *recordSplitter) Read() error {
	for {
		if err, done := s.parse(); done {
			return err
		}
		s.fill()
	}
}

// Record returns the last record: its bytes as written, the text of its
// cells that had to be unescaped, and where each cell's text is in the two
// joined. They are valid until the next Read.
func (s *recordSplitter) Record() (raw, unescaped []byte, cells []span) {
	return s.raw, s.unescaped, s.cells
}

// Cells is the last record's cells as strings.
func (s *recordSplitter) Cells() []string {
	text := string(s.raw) + string(s.unescaped)
	cells := make([]string, len(s.cells))
	for i, c := range s.cells {
		cells[i] = text[c.from:c.to]
	}
	return cells
}

// Line is the line the last record starts on, from 1.
func (s *recordSplitter) Line() int { return s.line }

// InputOffset is the offset in the input of the end of the last record.
func (s *recordSplitter) InputOffset() int64 { return s.offset }

// fill keeps the unconsumed bytes, growing the buffer if they fill it, and
// reads until it is full or the input ends.
func (s *recordSplitter) fill() {
	kept := copy(s.buf, s.buf[s.pos:])
	s.buf, s.pos = s.buf[:kept], 0
	if kept == cap(s.buf) {
		s.buf = append(make([]byte, 0, 2*cap(s.buf)), s.buf...)
	}
	for empty := 0; len(s.buf) < cap(s.buf) && s.final == nil; {
		n, err := s.src.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if n > 0 {
			empty = 0
		} else if empty++; empty == 100 && err == nil {
			err = io.ErrNoProgress // as bufio says of a reader that never gives anything
		}
		s.final = err
	}
}

// step is what reading a cell found.
type step int

const (
	stepCell step = iota // a cell, and a comma after it
	stepEnd              // the end of the record
	stepFail             // an error that ends the record
	stepMore             // the input read so far ends first
)

// recordScan is one attempt at a record; it changes nothing in the
// splitter but the last record's cells until the record ends, so that it
// can start over once more input is read.
type recordScan struct {
	s         *recordSplitter
	p         int // the next byte, in s.buf
	line      int // the number of p's line
	lineStart int // where that line starts in s.buf, for columns
	recLine   int
	err       error
}

// parse reads one record from s.buf[s.pos:]; done is false when more input
// must be read first.
func (s *recordSplitter) parse() (err error, done bool) {
	sc := recordScan{s: s, p: s.pos, line: s.lines + 1}
	switch sc.skipBlankLines() {
	case stepMore:
		return nil, false
	case stepEnd:
		return io.EOF, true
	}
	sc.lineStart, sc.recLine = sc.p, sc.line
	s.cells, s.unescaped, s.escaped = s.cells[:0], s.unescaped[:0], s.escaped[:0]
	for {
		var st step
		switch {
		case sc.p < len(s.buf) && s.buf[sc.p] == s.comma:
			// An empty cell, as half an export's are: unquotedCell's
			// answer, without the call.
			s.addCell(sc.p, sc.p)
			sc.p, st = sc.p+1, stepCell
		case sc.p < len(s.buf) && s.buf[sc.p] == '"':
			st = sc.quotedCell()
		default:
			st = sc.unquotedCell()
		}
		switch st {
		case stepMore:
			return nil, false
		case stepEnd, stepFail:
			return s.endRecord(&sc), true
		}
	}
}

// skipBlankLines passes empty lines, which encoding/csv skips: stepEnd at
// the end of the input, stepMore when more must be read to tell.
func (sc *recordScan) skipBlankLines() step {
	s, b := sc.s, sc.s.buf
	for {
		switch {
		case sc.p == len(b) && s.final == nil:
			return stepMore
		case sc.p == len(b) && s.final == io.EOF:
			return stepEnd
		case sc.p == len(b):
			return stepCell // a read error: an empty record carries it
		case b[sc.p] == '\n':
			sc.p, sc.line = sc.p+1, sc.line+1
		case b[sc.p] != '\r':
			return stepCell
		case sc.p+1 < len(b) && b[sc.p+1] == '\n':
			sc.p, sc.line = sc.p+2, sc.line+1
		case sc.p+1 < len(b):
			return stepCell
		case s.final == nil:
			return stepMore
		case s.final == io.EOF:
			sc.p++ // a lone CR that ends the input is dropped
		default:
			return stepCell
		}
	}
}

// unquotedCell reads a cell up to a comma or the end of the line.
func (sc *recordScan) unquotedCell() step {
	s, b := sc.s, sc.s.buf
	start, i := sc.p, sc.p
	ends := &s.ends
	// Four bytes a step where the cell is long enough: 30% faster on an
	// export than one (BenchmarkRecordSplitter), eight or a word at a time
	// are slower.
	for i+4 <= len(b) && !ends[b[i]] && !ends[b[i+1]] && !ends[b[i+2]] && !ends[b[i+3]] {
		i += 4
	}
	for i < len(b) && !ends[b[i]] {
		i++
	}
	switch {
	case i == len(b):
		return sc.endOfInput(start)
	case b[i] == s.comma:
		s.addCell(start, i)
		sc.p = i + 1
		return stepCell
	case b[i] == '\n':
		s.addCell(start, withoutCR(b, start, i))
		sc.p = i + 1
		return stepEnd
	}
	return sc.fail(csv.ErrBareQuote, i, i)
}

// endOfInput ends an unquoted cell, and its record, where the bytes read
// end.
func (sc *recordScan) endOfInput(start int) step {
	s, b := sc.s, sc.s.buf
	return sc.endWithInput(func(eof bool) {
		end := len(b)
		if eof {
			end = withoutCR(b, start, len(b))
		}
		s.addCell(start, end)
	})
}

// endWithInput decides a cell that runs to the end of the bytes read: more
// must be read, or the input has ended and add records the cell (told
// whether the input ended cleanly, or reading failed and the record fails
// after it).
func (sc *recordScan) endWithInput(add func(eof bool)) step {
	s := sc.s
	switch s.final {
	case nil:
		return stepMore
	case io.EOF:
		add(true)
		sc.p = len(s.buf)
		return stepEnd
	}
	add(false)
	sc.p, sc.err = len(s.buf), s.final
	return stepFail
}

// quotedCell reads a cell in quotes, which may hold commas, "" for a quote
// and line breaks.
func (sc *recordScan) quotedCell() step {
	s, b := sc.s, sc.s.buf
	from := sc.p + 1
	plain := true // the text is b[from:close] as written
	for q := from; ; {
		j := bytes.IndexByte(b[q:], '"')
		if j < 0 {
			return sc.unclosed(q)
		}
		closing := q + j
		plain = sc.passLines(q, closing) && plain
		after := closing + 1
		if after == len(b) {
			// Whether a second quote follows is yet to be read.
			return sc.endWithInput(func(bool) { s.addQuotedCell(from, closing, plain) })
		}
		switch c := b[after]; {
		case c == '"':
			plain, q = false, after+1
			continue
		case c == s.comma:
			s.addQuotedCell(from, closing, plain)
			sc.p = after + 1
			return stepCell
		case c == '\n':
			s.addQuotedCell(from, closing, plain)
			sc.p = after + 1
			return stepEnd
		case c == '\r' && after+1 < len(b) && b[after+1] == '\n':
			s.addQuotedCell(from, closing, plain)
			sc.p = after + 2
			return stepEnd
		case c == '\r' && after+1 == len(b) && s.final == nil:
			return stepMore
		case c == '\r' && after+1 == len(b) && s.final == io.EOF:
			s.addQuotedCell(from, closing, plain) // a CR that ends the input is dropped
			sc.p = after + 1
			return stepEnd
		}
		return sc.fail(csv.ErrQuote, closing, after)
	}
}

// unclosed ends a quoted cell whose closing quote is not in the bytes read
// (from q on): more must be read, or the input ends inside it.
func (sc *recordScan) unclosed(q int) step {
	s, b := sc.s, sc.s.buf
	switch s.final {
	case nil:
		return stepMore
	case io.EOF:
		sc.passLines(q, len(b))
		line, col := sc.lastLineEnd()
		sc.p = len(b)
		sc.err = &csv.ParseError{StartLine: sc.recLine, Line: line, Column: col, Err: csv.ErrQuote}
		return stepFail
	}
	sc.p, sc.err = len(b), s.final
	return stepFail
}

// lastLineEnd is where encoding/csv places a quote left open at the end of
// the input: just past the end of the last line with anything on it.
func (sc *recordScan) lastLineEnd() (line, column int) {
	b := sc.s.buf
	end := len(b)
	if end > sc.lineStart && b[end-1] == '\r' {
		end-- // a CR that ends the input is dropped
	}
	if end > sc.lineStart {
		return sc.line, end - sc.lineStart + 1
	}
	start := bytes.LastIndexByte(b[:sc.lineStart-1], '\n') + 1
	return sc.line - 1, withoutCR(b, start, sc.lineStart-1) - start + 2
}

// passLines counts the line breaks in a quoted cell's b[from:to]; plain is
// false when one of them is a CRLF, which the cell's text has as LF.
func (sc *recordScan) passLines(from, to int) (plain bool) {
	b := sc.s.buf
	plain = true
	for {
		nl := bytes.IndexByte(b[from:to], '\n')
		if nl < 0 {
			return plain
		}
		from += nl + 1
		if from-2 >= 0 && b[from-2] == '\r' {
			plain = false
		}
		sc.line, sc.lineStart = sc.line+1, from
	}
}

// fail ends the record with a parse error at b[at] and, as encoding/csv
// does, drops the rest of the line from rest on.
func (sc *recordScan) fail(err error, at, rest int) step {
	s, b := sc.s, sc.s.buf
	nl := bytes.IndexByte(b[rest:], '\n')
	switch {
	case nl >= 0:
		sc.p = rest + nl + 1
	case s.final == nil:
		return stepMore
	default:
		sc.p = len(b)
	}
	sc.err = &csv.ParseError{StartLine: sc.recLine, Line: sc.line, Column: at - sc.lineStart + 1, Err: err}
	return stepFail
}

// withoutCR is the end of a line's text that ends at b[end]: without the
// CR of a CRLF, or of a CR that ends the input.
func withoutCR(b []byte, start, end int) int {
	if end > start && b[end-1] == '\r' {
		return end - 1
	}
	return end
}

func (s *recordSplitter) addCell(from, to int) {
	s.cells = append(s.cells, span{from - s.pos, to - s.pos})
}

// addQuotedCell adds the text between a cell's quotes: as written when
// plain, else with "" read as " and CRLF as LF.
func (s *recordSplitter) addQuotedCell(from, to int, plain bool) {
	if plain {
		s.addCell(from, to)
		return
	}
	start := len(s.unescaped)
	text := s.buf[from:to]
	for len(text) > 0 {
		i := bytes.IndexAny(text, "\"\r")
		if i < 0 {
			s.unescaped = append(s.unescaped, text...)
			break
		}
		s.unescaped = append(s.unescaped, text[:i+1]...)
		switch {
		case text[i] == '"': // the first of "", which stands for one
			text = text[i+2:]
		case i+1 < len(text) && text[i+1] == '\n': // the CR of a CRLF
			s.unescaped[len(s.unescaped)-1] = '\n'
			text = text[i+2:]
		default:
			text = text[i+1:]
		}
	}
	s.escaped = append(s.escaped, len(s.cells))
	s.cells = append(s.cells, span{start, len(s.unescaped)})
}

// endRecord consumes the record's bytes and checks its number of cells as
// encoding/csv does: the first record sets it.
func (s *recordSplitter) endRecord(sc *recordScan) error {
	s.raw = s.buf[s.pos:sc.p]
	for _, i := range s.escaped {
		s.cells[i].from += len(s.raw)
		s.cells[i].to += len(s.raw)
	}
	s.line = sc.recLine
	s.offset += int64(sc.p - s.pos)
	s.lines += bytes.Count(s.raw, []byte{'\n'})
	s.pos = sc.p
	switch {
	case s.fields == 0:
		s.fields = len(s.cells)
	case len(s.cells) != s.fields && sc.err == nil:
		return &csv.ParseError{StartLine: sc.recLine, Line: sc.recLine, Column: 1, Err: csv.ErrFieldCount}
	}
	return sc.err
}
