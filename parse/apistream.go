package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/icrecon/icrecon/internal/jsonscan"
)

// maxValueBytes bounds one record (a JSON Lines line, an element of an
// array, a conversation with its parts). A conversation is kilobytes, at
// most a few megabytes with long e-mail threads; past this bound the input
// is not Intercom data (or is /dev/zero), and holding it would only exhaust
// memory. A variable so tests can lower it.
var maxValueBytes = 256 << 20

// item is one value of a document chunk: a whole top-level value, or one
// element of an array or of a page's "conversations".
type item struct {
	start, end int // in the chunk's data
	line       int // where it starts
	record     int // 0 for a whole top-level value; n for the nth element
}

// unread stands for records that could not be read: where the JSON breaks
// or the data ends. It is accounted for as count rejects, the first with
// reason, the others (elements of the broken array after it) with rest.
type unread struct {
	line   int // where the first starts
	record int // its record number; 0 when not an element of an array
	count  int // records it stands for, at least 1
	lines  []int
	reason string
	rest   string
	cut    *CutError // the data ended early: the reason says how many records came before
}

// rejects turns u into its rejects; records is how many were read before,
// for the sentence of a cut.
func (u *unread) reject(i, recordsBefore int) Reject {
	if i == 0 {
		r := Reject{Line: u.line, Record: u.record, Reason: u.reason}
		if u.cut != nil {
			r.Reason = u.cut.Reason(recordsBefore)
		}
		return r
	}
	r := Reject{Record: u.record + i, Reason: u.rest}
	if i-1 < len(u.lines) {
		r.Line = u.lines[i-1]
	}
	return r
}

// docSplitter cuts a stream of JSON documents into chunks for the workers,
// holding only a window of the input: the elements of a top-level array and
// of a page's "conversations" travel one by one, as JSON Lines do, and any
// other top-level value (a conversation with its parts, an error body)
// whole. Memory does not grow with the size of an array or a page.
//
// Offsets into the window change when it moves on (flush), so positions
// that must survive a read are kept as input offsets (base + window offset).
type docSplitter[T any] struct {
	r    io.Reader
	free buffers
	send func(*chunk[T]) bool
	buf  []byte  // the window: the input from offset base on
	bufp *[]byte // the pooled storage of buf
	base int64
	pos  int // where scanning stands in buf
	keep int // buf[keep:] may still be needed; every item ends before it
	// arrayStart is the input offset of the first element of the array of
	// records being read.
	arrayStart int64
	line       int // the line of buf[linePos]
	linePos    int
	items      []item
	eof        bool
	cut        *CutError // the gzip data ended early or is damaged
	readErr    error     // the disk failed
	stopped    bool      // the run was cancelled
	s          jsonscan.Scanner
}

var (
	// errStop ends the scanning once a send is refused.
	errStop = errors.New("stopped")
	// errBroken: the input stopped being JSON; what could not be read was
	// sent as the last chunk, and nothing after it is read.
	errBroken = errors.New("broken")
	// errValueTooLarge: one value passed maxValueBytes.
	errValueTooLarge = errors.New("too large")
)

func splitDocuments[T any](r io.Reader, free buffers, send func(*chunk[T]) bool) error {
	// The window starts small and grows to a chunk's size before it is cut:
	// a page or a single conversation then costs no megabyte buffers, and a
	// folder of thousands of them reads fast.
	first := make([]byte, 0, 64<<10)
	d := &docSplitter[T]{r: r, free: free, send: send, line: 1, buf: first, bufp: &first}
	err := d.values()
	switch {
	case err == errStop:
		return nil
	case err == nil:
		d.keep = len(d.buf)
		if d.flush() && d.cut != nil {
			// The data ended between values, but the file was cut short or
			// is damaged: what followed is lost.
			d.sendTail(&unread{line: d.lineAt(len(d.buf)), count: 1, cut: d.cut})
		}
		err = d.readErr
	case err == errBroken:
		err = d.readErr
	}
	d.free.put(d.bufp)
	return err
}

// abs is the input offset of the scanning position; rel turns one back
// into a window offset.
func (d *docSplitter[T]) abs() int64      { return d.base + int64(d.pos) }
func (d *docSplitter[T]) rel(a int64) int { return int(a - d.base) }

// values reads the top-level values one after the other.
func (d *docSplitter[T]) values() error {
	for {
		if err := d.skipSpace(); err != nil {
			if err == io.EOF {
				return nil
			}
			return d.broken(err, 0, d.abs(), 0)
		}
		d.keep = d.pos
		start := d.abs()
		switch d.buf[d.pos] {
		case '[':
			d.pos++
			if err := d.array(0); err != nil {
				return err
			}
		case '{':
			if err := d.object(); err != nil {
				return err
			}
		default:
			// Not a container: the worker rejects it, if it is JSON at all.
			if err := d.value(); err != nil {
				return d.broken(err, 0, start, 0)
			}
			d.add(start, 0)
		}
		d.keep = d.pos
	}
}

// array streams the elements of the array whose '[' was just read; outer
// is how many containers enclose it.
func (d *docSplitter[T]) array(outer int) error {
	const unclosed = "the file ends before the array is closed"
	d.arrayStart = d.abs()
	for k := 1; ; k++ {
		if err := d.skipSpace(); err != nil {
			return d.broken(endOr(err, unclosed), k, d.abs(), outer)
		}
		switch c := d.buf[d.pos]; {
		case c == ']':
			d.pos++
			return nil
		case k > 1 && c != ',':
			return d.broken(syntaxHere("expected ',' or ']'"), k, d.abs(), outer)
		case k > 1:
			d.pos++
			if err := d.skipSpace(); err != nil {
				return d.broken(endOr(err, unclosed), k, d.abs(), outer)
			}
		}
		start := d.abs()
		d.keep = d.pos
		if err := d.value(); err != nil {
			return d.broken(err, k, start, outer)
		}
		d.add(start, k)
	}
}

// object reads a top-level object. Until a "conversations" array shows it
// to be a page, it may be a conversation and is kept whole; a page's
// conversations are streamed and its other fields only checked.
func (d *docSplitter[T]) object() error {
	const inside = "the file ends inside a value"
	start := d.abs()
	page := false
	// broken reports a break: inside a page after its conversations, from
	// where it happens; else the whole object is lost.
	broken := func(err error) error {
		if page {
			return d.broken(err, 0, d.abs(), 0)
		}
		return d.broken(err, 0, start, 0)
	}
	d.pos++
	if err := d.skipSpace(); err != nil {
		return broken(endOr(err, inside))
	}
	if d.buf[d.pos] == '}' {
		d.pos++
		d.add(start, 0)
		return nil
	}
	for {
		if d.buf[d.pos] != '"' {
			return broken(syntaxHere("expected a key"))
		}
		keyStart := d.pos
		if err := d.value(); err != nil {
			return broken(err)
		}
		isConversations := string(d.buf[keyStart:d.pos]) == `"conversations"`
		if err := d.skipSpace(); err != nil {
			return broken(endOr(err, inside))
		}
		if d.buf[d.pos] != ':' {
			return broken(syntaxHere("expected ':' after key"))
		}
		d.pos++
		if err := d.skipSpace(); err != nil {
			return broken(endOr(err, inside))
		}
		if isConversations && d.buf[d.pos] == '[' {
			page = true
			d.pos++
			if err := d.array(1); err != nil {
				return err
			}
		} else if err := d.value(); err != nil {
			return broken(err)
		}
		if page {
			d.keep = d.pos // the page's own fields are not needed
		}
		if err := d.skipSpace(); err != nil {
			return broken(endOr(err, inside))
		}
		switch d.buf[d.pos] {
		case '}':
			d.pos++
			if !page {
				d.add(start, 0)
			}
			return nil
		case ',':
			d.pos++
			if err := d.skipSpace(); err != nil {
				return broken(endOr(err, inside))
			}
		default:
			return broken(syntaxHere("expected ',' or '}'"))
		}
	}
}

// syntaxHere is a syntax error at the scanning position.
func syntaxHere(msg string) error { return &jsonscan.SyntaxError{Msg: msg} }

// endOr turns the end of the input into a syntax error that says what it
// ended inside of; other errors pass.
func endOr(err error, msg string) error {
	if err == io.EOF {
		return &jsonscan.SyntaxError{Msg: msg, AtEnd: true}
	}
	return err
}

// value scans one JSON value at d.pos, reading more input while the window
// ends inside it, and moves d.pos past it. A number or literal counts as
// complete only once the byte after it is in the window or the input has
// ended. A syntax error's offset is from d.pos, which stays at the value.
func (d *docSplitter[T]) value() error {
	for {
		d.s.Reset(d.buf[d.pos:])
		d.s.Skip()
		err := d.s.Err()
		// A type assertion, not errors.As, which would allocate for every
		// value: the scanner's errors come unwrapped.
		se, _ := err.(*jsonscan.SyntaxError)
		switch {
		case err == nil && (d.pos+d.s.Offset() < len(d.buf) || d.eof):
			d.pos += d.s.Offset()
			return nil
		case err == nil || (se != nil && se.AtEnd && !d.eof):
			if err := d.more(); err != nil {
				return err
			}
		default:
			return err
		}
	}
}

// skipSpace moves past white space, reading more input as needed; io.EOF
// means the input ended.
func (d *docSplitter[T]) skipSpace() error {
	for {
		for ; d.pos < len(d.buf); d.pos++ {
			switch d.buf[d.pos] {
			case ' ', '\t', '\r', '\n':
				continue
			}
			return nil
		}
		if err := d.more(); err != nil {
			return err
		}
	}
}

// more reads more input into the window, making room first: the items
// found so far travel to the workers, and the window grows only while one
// value fills it. It fails with io.EOF at the end of the input, errStop when
// the run is cancelled, errValueTooLarge past maxValueBytes.
func (d *docSplitter[T]) more() error {
	if d.eof {
		return io.EOF
	}
	if len(d.buf) == cap(d.buf) {
		switch {
		case d.keep > 0 && cap(d.buf) >= chunkSize:
			if !d.flush() {
				return errStop
			}
		case len(d.buf) >= maxValueBytes:
			return errValueTooLarge
		default:
			d.buf = slices.Grow(d.buf, min(cap(d.buf), maxValueBytes-len(d.buf)))
		}
	}
	d.read()
	return nil
}

// read reads once into the free part of the window.
func (d *docSplitter[T]) read() {
	n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
	d.buf = d.buf[:len(d.buf)+n]
	if err == nil {
		return
	}
	d.eof = true
	var cut *CutError
	switch {
	case err == io.EOF:
	case errors.As(err, &cut):
		d.cut = cut
	default:
		d.readErr = err
	}
}

// flush sends the items found so far with the part of the window they lie
// in, and moves what is still needed to a fresh buffer. It reports false
// once the run has been cancelled.
func (d *docSplitter[T]) flush() bool {
	d.lineAt(d.keep)
	var nextp *[]byte
	if d.keep == len(d.buf) && d.eof {
		nextp = new([]byte) // nothing more to hold
	} else {
		nextp = d.free.get()
		*nextp = append((*nextp)[:0], d.buf[d.keep:]...)
	}
	if len(d.items) > 0 {
		*d.bufp = d.buf
		if !d.stopped && !d.send(&chunk[T]{data: d.buf[:d.keep], pooled: d.bufp, items: d.items}) {
			d.stopped = true
		}
		d.items = nil
	} else {
		d.free.put(d.bufp)
	}
	d.base += int64(d.keep)
	d.pos -= d.keep
	d.linePos -= d.keep
	d.keep = 0
	d.bufp, d.buf = nextp, *nextp
	return !d.stopped
}

// lineAt advances the line count to offset off of the window.
func (d *docSplitter[T]) lineAt(off int) int {
	if off > d.linePos {
		d.line += bytes.Count(d.buf[d.linePos:off], []byte{'\n'})
		d.linePos = off
	}
	return d.line
}

// add records the value from input offset start to the scanning position.
func (d *docSplitter[T]) add(start int64, record int) {
	s := d.rel(start)
	d.items = append(d.items, item{start: s, end: d.pos, line: d.lineAt(s), record: record})
	d.keep = d.pos
}

// sendTail sends the last chunk: records that could not be read.
func (d *docSplitter[T]) sendTail(u *unread) {
	if !d.stopped && !d.send(&chunk[T]{tail: u}) {
		d.stopped = true
	}
}

// broken accounts for everything from input offset start on, where the
// JSON breaks (err; a syntax error is at its offset from d.pos) or the data
// ends, inside record (0 when not an element of an array). The items before
// travel on. The elements of the array from start on are counted as well as
// a scan that no longer trusts the grammar can tell; nothing after is read.
func (d *docSplitter[T]) broken(err error, record int, start int64, outer int) error {
	if err == errStop || d.stopped {
		return errStop
	}
	var se *jsonscan.SyntaxError
	at := d.abs()
	if errors.As(err, &se) {
		at += int64(se.Offset)
	}
	// The window now starts at start.
	d.keep = max(0, min(d.rel(start), len(d.buf)))
	if !d.flush() {
		return errStop
	}
	if err != errValueTooLarge && se == nil {
		return err // not the file's content: the disk failed
	}
	startLine, atLine := d.lineAt(0), d.lineAt(min(d.rel(at), len(d.buf)))
	where := fmt.Sprintf("line %d, byte %d", atLine, at)
	u := &unread{line: startLine, record: record, count: 1}
	switch {
	case err != errValueTooLarge && se.AtEnd && d.cut != nil:
		u.cut = d.cut
		if record == 0 {
			u.line = atLine
		}
	case err != errValueTooLarge && se.AtEnd && record > 0 && at > start:
		u.reason = fmt.Sprintf("is cut off: the file ends inside it (%s), so the file was probably cut short", where)
	case err != errValueTooLarge && se.AtEnd:
		u.line, u.record = atLine, 0
		u.reason = fmt.Sprintf("%s (%s): it was probably cut short, and records may be missing", endMessage(se.Msg), where)
	default:
		// The JSON breaks (or a value is too large to hold) with more input
		// after it: count what follows, reading the rest of the input
		// without keeping it.
		c := newRestEstimate(startLine, outer, record > 0, record-1, start-d.arrayStart)
		atRel := min(max(d.rel(at), 0), len(d.buf))
		c.bytes = int64(atRel)
		c.plain.feed(d.buf[:atRel])
		c.fork()
		c.feed(d.buf[atRel:])
		for !d.eof {
			d.buf = d.buf[:0]
			d.read()
			c.feed(d.buf)
		}
		d.buf = d.buf[:0]
		var first, cause string
		if err == errValueTooLarge {
			first = fmt.Sprintf("is larger than %s, far more than any conversation, so it was not read", sizeWords(int64(maxValueBytes)))
			cause = fmt.Sprintf("in record %d, which is too large", record)
		} else {
			first, cause = syntaxSentences(record, at == start, se.Msg, where)
		}
		u = brokenRecords(c, record, startLine, first, cause, "file")
		if d.cut != nil {
			u.reason += "; besides, " + d.cut.Reason(-1)
		}
	}
	d.sendTail(u)
	return errBroken
}

// endMessage is what the data ended inside of.
func endMessage(msg string) string {
	if msg == "the file ends before the array is closed" {
		return msg
	}
	return "the file ends inside a value"
}

// brokenRecords accounts for the records lost where the JSON breaks, in
// record of an array of records (0: not in one), starting at line. first
// says what is wrong with that record ("is not valid JSON at ..."), cause
// where the records after it lost their way ("in record 3 at line 14, byte
// 213"); scope is what the rest is the rest of, "file" or "line".
func brokenRecords(e *restEstimate, record, line int, first, cause, scope string) *unread {
	u := &unread{line: line, record: record, count: 1}
	c, about := e.result()
	switch {
	case record > 0 && c.consistent() && c.count > 1:
		u.count, u.lines = c.count, c.lines[min(1, len(c.lines)):]
		after := fmt.Sprintf("the %d records", c.count-1)
		if c.count == 2 {
			after = "the record"
		}
		u.reason = fmt.Sprintf("%s; it and %s after it in the array could not be read", first, after)
		u.rest = "was not read: the JSON breaks before it, " + cause
	case record > 0 && c.consistent():
		u.reason = first
	case about > 1:
		u.reason = fmt.Sprintf("%s; the rest of the %s from there could not be read: about %d more records", first, scope, about)
	default:
		u.reason = fmt.Sprintf("%s; the rest of the %s from there could not be read", first, scope)
	}
	return u
}

// syntaxSentences says what is wrong with the record where the JSON breaks
// (at where, with msg), and where that leaves the records after it.
func syntaxSentences(record int, before bool, msg, where string) (first, cause string) {
	if record > 0 && before {
		return fmt.Sprintf("was not read: the JSON breaks right before it, at %s (%s)", where, msg),
			fmt.Sprintf("right before record %d at %s", record, where)
	}
	return fmt.Sprintf("is not valid JSON at %s (%s)", where, msg), fmt.Sprintf("in record %d at %s", record, where)
}

// restEstimate counts the elements after a break twice: as the bytes read,
// and as if a quote had been lost or doubled just before the break (the
// commonest slip of a hand edit, which turns every string after it inside
// out). The count that ends with everything balanced is trusted.
//
// When neither ends balanced, the number of records is only about known:
// the bytes left divided by the size of the records read before, when
// there were some, else the larger count.
type restEstimate struct {
	plain, flipped restCounter
	perRecord      float64 // bytes a record took before the break; 0 if none came
	bytes          int64   // bytes counted from the broken record on
}

// newRestEstimate starts counting at the broken record, the before-th of
// its array, which took span bytes up to it.
func newRestEstimate(line, outer int, inArray bool, before int, span int64) *restEstimate {
	e := &restEstimate{plain: restCounter{line: line, outer: outer, inArray: inArray}}
	if before > 0 {
		e.perRecord = float64(span) / float64(before)
	}
	return e
}

// fork starts the second count at the break, from the first's state.
func (e *restEstimate) fork() {
	e.flipped = e.plain
	e.flipped.lines = slices.Clone(e.plain.lines)
	e.flipped.inString, e.flipped.escaped = !e.plain.inString, false
}

func (e *restEstimate) feed(b []byte) {
	e.bytes += int64(len(b))
	e.plain.feed(b)
	e.flipped.feed(b)
}

// result is the count to trust, if one is consistent, and about how many
// records there are in any case.
func (e *restEstimate) result() (*restCounter, int) {
	switch {
	case e.plain.consistent():
		return &e.plain, e.plain.count
	case e.flipped.consistent():
		return &e.flipped, e.flipped.count
	case e.perRecord > 0:
		return &e.plain, max(1, int(float64(e.bytes)/e.perRecord+0.5))
	}
	return &e.plain, max(e.plain.count, e.flipped.count)
}

// restCounter estimates how many elements of an array follow the point
// where its JSON broke. It trusts nothing but strings and brackets: each
// value that starts at the array's level is one element. The estimate is
// exact when the break left strings and brackets balanced (a missing comma,
// a stray character) — consistent then says so; after an unbalanced quote
// it is only a guess.
type restCounter struct {
	depth    int // inside the current element; -1 once the array has closed
	outer    int // containers around the array still open
	inArray  bool
	inString bool
	escaped  bool
	inScalar bool
	count    int
	lines    []int // the start line of each element counted, while few
	line     int
	trailing bool // something follows the end of the document
}

func (c *restCounter) start() {
	c.count++
	if len(c.lines) < maxRejectsKept {
		c.lines = append(c.lines, c.line)
	}
}

func (c *restCounter) feed(b []byte) {
	for _, ch := range b {
		if ch == '\n' {
			c.line++
		}
		if c.inString {
			switch {
			case c.escaped:
				c.escaped = false
			case ch == '\\':
				c.escaped = true
			case ch == '"':
				c.inString = false
			}
			continue
		}
		atLevel := c.inArray && c.depth == 0
		switch ch {
		case ' ', '\t', '\r', '\n', ',', ':':
			if atLevel {
				c.inScalar = false
			}
		case '"':
			if atLevel && !c.inScalar {
				c.start()
			}
			c.inString = true
		case '{', '[':
			switch {
			case c.closed():
				c.trailing = true
			case atLevel:
				c.start()
				c.inScalar = false
				c.depth++
			case c.depth > 0:
				c.depth++
			default:
				c.outer++
			}
		case '}', ']':
			switch {
			case c.depth > 0:
				c.depth--
			case atLevel:
				c.depth, c.inArray, c.inScalar = -1, false, false
			case c.outer > 0:
				c.outer--
			default:
				c.trailing = true
			}
		default:
			switch {
			case c.closed():
				c.trailing = true
			case atLevel && !c.inScalar:
				c.start()
				c.inScalar = true
			}
		}
	}
}

func (c *restCounter) closed() bool { return !c.inArray && c.outer == 0 && c.depth <= 0 }

// consistent reports whether the scan ended with every string, element,
// array and enclosing object closed and nothing after: the count can then
// be trusted.
func (c *restCounter) consistent() bool {
	return !c.inString && !c.inArray && c.depth <= 0 && c.outer == 0 && !c.trailing
}
