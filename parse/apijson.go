package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/ordered"
)

// APIOptions tune the API pull reader.
type APIOptions struct {
	// Strict makes the first rejected record fatal.
	Strict bool
	// Ledger detects duplicate ids across files; nil means this file alone.
	Ledger Ledger
	// Workers decode in parallel; 0 means one per CPU. Output order is the
	// input order whatever the number.
	Workers int
	// Lean decodes only what recomputing statistics needs — no part ids, no
	// author names, no e-mail addresses but Operator's, no tags or teammates —
	// and reuses the
	// parts' storage for the next conversation once prepare returns, so
	// prepare must not keep c.Parts. Personal data is then never read.
	Lean bool
	// OnReject, when set, is given every rejected record in input order;
	// APIInfo.Rejects keeps only the first 10,000.
	OnReject func(Reject) error
	// ReuseConversations promises that prepare and emit keep no pointer to
	// the conversation they are given once emit returns (its strings and
	// slices they may keep): the reader then decodes a later record into
	// the same memory, which spares a kilobyte of garbage per record.
	ReuseConversations bool
}

// APIInfo is what the reader learned about one API file.
type APIInfo struct {
	File    FileInfo
	Tally   Tally
	Format  string // "JSON Lines" or "JSON document"
	Rejects []Reject
}

// ReadAPI reads conversations from an API pull: JSON Lines of conversations
// (what `icrecon pull` writes), or JSON documents — a conversation with its
// parts, a list or search page, an array — of any API version from 2.7 on.
// Only the fields icrecon uses are decoded; bodies are skipped unread.
func ReadAPI(o *Opened, opts APIOptions, emit Emit) (*APIInfo, error) {
	return ReadAPIPrepared(o, opts,
		func(*intercom.Conversation) struct{} { return struct{}{} },
		func(c *intercom.Conversation, _ struct{}, dup bool) error { return emit(c, dup) })
}

// ReadAPIPrepared is ReadAPI with a step that runs on every core: prepare
// turns each decoded conversation into a T inside the reader's workers —
// the place to fold parts into statistics and drop them — and emit receives
// the conversation with its T, in input order, with the duplicate flag.
func ReadAPIPrepared[T any](o *Opened, opts APIOptions, prepare func(*intercom.Conversation) T, emit func(*intercom.Conversation, T, bool) error) (*APIInfo, error) {
	if opts.Ledger == nil {
		opts.Ledger = IDSet{}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if bom, _ := o.Peek(3); bytes.Equal(bom, utf8BOM) {
		o.Discard(3)
	}
	jsonLines, err := detectJSONLines(o)
	if err != nil {
		return nil, err
	}
	info := &APIInfo{Format: "JSON document"}
	if jsonLines {
		info.Format = "JSON Lines"
	}
	p := &apiPipeline[T]{path: o.Path, opts: opts, info: info, prepare: prepare, emit: emit}
	if err := p.run(o, jsonLines, workers); err != nil {
		return info, err
	}
	if p.onlyErrorBody {
		return nil, fmt.Errorf("%s: this is an error response from Intercom, not conversations (%s)", o.Path, p.errorBodyMessage)
	}
	info.File = o.Info(KindAPI)
	return info, info.Tally.Check(o.Path)
}

// detectJSONLines tells JSON Lines from a pretty-printed document: a pretty
// printer always breaks the line right after an opening brace, JSON Lines
// never breaks inside a value.
func detectJSONLines(o *Opened) (bool, error) {
	head, err := o.Peek(1 << 16)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	var cut *CutError
	switch {
	case len(trimmed) == 0 && errors.As(err, &cut):
		return false, cut // a gzip file with no data to read
	case len(trimmed) == 0:
		return false, fmt.Errorf("%s: the file is empty", o.Path)
	}
	if trimmed[0] == '[' {
		return false, nil
	}
	nl := bytes.IndexByte(trimmed, '\n')
	if nl < 0 {
		return true, nil
	}
	first := bytes.TrimRight(trimmed[:nl], " \t\r")
	switch first[len(first)-1] {
	case '{', '[', ',', ':':
		return false, nil
	}
	return true, nil
}

// chunk is a slice of the input holding whole values — JSON Lines, or the
// items a document was cut into — decoded by one worker and handed on in
// sequence. tail, on the last chunk, stands for records that could not be
// read.
type chunk[T any] struct {
	data      []byte
	pooled    *[]byte
	firstLine int
	jsonLines bool
	items     []item
	tail      *unread
	results   []decoded[T]
}

type decoded[T any] struct {
	conv      *intercom.Conversation
	prepared  T
	reject    *Reject
	errorBody bool
	unread    *unread
}

type apiPipeline[T any] struct {
	path          string
	opts          APIOptions
	info          *APIInfo
	prepare       func(*intercom.Conversation) T
	emit          func(*intercom.Conversation, T, bool) error
	deliverFailed bool // the error came from the caller's emit, not the input
	// onlyErrorBody: the input so far is one Intercom error response, whose
	// message (or the words saying it has none) is errorBodyMessage.
	onlyErrorBody    bool
	errorBodyMessage string
	// convs are conversations emitted, to decode into again, under
	// ReuseConversations.
	convs sync.Pool
}

const chunkSize = 1 << 20

// buffers recycles chunk buffers for the life of one read. (A sync.Pool
// loses them at every garbage collection, and zeroing fresh megabytes then
// cost a quarter of the read.)
type buffers chan *[]byte

func (b buffers) get() *[]byte {
	select {
	case buf := <-b:
		return buf
	default:
		buf := make([]byte, 0, chunkSize+64<<10)
		return &buf
	}
}

func (b buffers) put(buf *[]byte) {
	if cap(*buf) < chunkSize || cap(*buf) > 4*chunkSize {
		return // a small first window, or grown for one huge record
	}
	*buf = (*buf)[:0]
	select {
	case b <- buf:
	default:
	}
}

// run splits the input into chunks, decodes them on several workers and
// delivers the results in input order, with a bounded number in flight, so
// memory does not grow with the file.
func (p *apiPipeline[T]) run(r io.Reader, jsonLines bool, workers int) error {
	free := make(buffers, 4*workers+2)
	produce := func(send func(*chunk[T]) bool) error {
		if jsonLines {
			return splitLines(r, free, send)
		}
		return splitDocuments(r, free, send)
	}
	decode := func() func(*chunk[T]) *chunk[T] {
		d := decoder{lean: p.opts.Lean}
		if p.opts.ReuseConversations {
			d.convs = &p.convs
		}
		return func(ch *chunk[T]) *chunk[T] {
			decodeChunk(&d, ch, p.path, p.prepare)
			if ch.pooled != nil {
				free.put(ch.pooled)
				ch.data, ch.pooled = nil, nil
			}
			return ch
		}
	}
	if err := ordered.Run(workers, produce, decode, p.deliver); err != nil {
		if _, isReject := err.(*ErrStrict); isReject || p.deliverFailed {
			return err
		}
		return fmt.Errorf("%s: reading stopped: %v", p.path, err)
	}
	return nil
}

// deliver accounts for and hands on one chunk's results, in order.
func (p *apiPipeline[T]) deliver(ch *chunk[T]) error {
	for _, res := range ch.results {
		if res.unread != nil {
			if err := p.deliverUnread(res.unread); err != nil {
				return err
			}
			continue
		}
		p.info.Tally.Read++
		if res.reject != nil {
			p.info.Tally.Rejected++
			p.noteErrorBody(res)
			if err := keepReject(&p.info.Rejects, p.opts.OnReject, *res.reject); err != nil {
				return err
			}
			if p.opts.Strict {
				return &ErrStrict{Reject: *res.reject}
			}
			continue
		}
		p.onlyErrorBody = false
		dup := !p.opts.Ledger.Admit(res.conv.ID)
		if dup {
			p.info.Tally.Duplicates++
		} else {
			p.info.Tally.Accepted++
		}
		if err := p.emit(res.conv, res.prepared, dup); err != nil {
			p.deliverFailed = true
			return err
		}
		if p.opts.ReuseConversations {
			p.convs.Put(res.conv)
		}
	}
	ch.results = nil
	return nil
}

// deliverUnread accounts for records that could not be read, one reject
// each (the rejects kept are bounded, the count is not).
func (p *apiPipeline[T]) deliverUnread(u *unread) error {
	before := p.info.Tally.Read
	for i := range u.count {
		p.info.Tally.Read++
		p.info.Tally.Rejected++
		p.onlyErrorBody = false
		if len(p.info.Rejects) >= maxRejectsKept && !p.opts.Strict && p.opts.OnReject == nil {
			continue
		}
		r := u.reject(i, before)
		r.File = p.path
		if err := keepReject(&p.info.Rejects, p.opts.OnReject, r); err != nil {
			return err
		}
		if p.opts.Strict {
			return &ErrStrict{Reject: r}
		}
	}
	return nil
}

// noteErrorBody remembers a file that is nothing but an Intercom error
// response, so it can be described in one sentence instead of as a reject.
func (p *apiPipeline[T]) noteErrorBody(res decoded[T]) {
	if res.errorBody && p.info.Tally.Read == 1 {
		p.onlyErrorBody, p.errorBodyMessage = true, errorBodyMessage(res.reject.Reason)
		return
	}
	p.onlyErrorBody = false
}

// An Intercom error response is rejected with a reason that gives its
// message, or says that it has none (an empty "errors" array).
const (
	errorBodyPrefix  = "is an error response from Intercom, not a conversation"
	noErrorMessage   = "it gives no error message"
	errorMessageMark = ": "
)

// errorBodyReason is the reason an error response with message msg ("" for
// none) is rejected with.
func errorBodyReason(msg string) string {
	if msg == "" {
		return errorBodyPrefix + " (" + noErrorMessage + ")"
	}
	return errorBodyPrefix + errorMessageMark + msg
}

// errorBodyMessage is the message an errorBodyReason gives, or the words
// saying there is none.
func errorBodyMessage(reason string) string {
	if msg, ok := strings.CutPrefix(reason, errorBodyPrefix+errorMessageMark); ok {
		return msg
	}
	return noErrorMessage
}

// decodeChunk decodes every value of a chunk and prepares each conversation.
func decodeChunk[T any](d *decoder, ch *chunk[T], file string, prepare func(*intercom.Conversation) T) {
	add := func(c *intercom.Conversation, r *Reject, line int) {
		res := decoded[T]{conv: c, reject: r}
		if r != nil {
			r.File, r.Line = file, line
			res.errorBody = strings.HasPrefix(r.Reason, errorBodyPrefix)
		} else {
			parts := c.Parts
			res.prepared = prepare(c)
			if d.lean {
				d.partsBuf = parts[:0]
				c.Parts = nil
			}
		}
		ch.results = append(ch.results, res)
	}
	decodeValue := func(value []byte, line int) {
		d.decodeTop(value, intercom.Origin{File: file, Line: line}, func(c *intercom.Conversation, r *Reject) {
			add(c, r, line)
		})
	}
	switch {
	case !ch.jsonLines:
		for _, it := range ch.items {
			value := ch.data[it.start:it.end]
			if it.record == 0 {
				decodeValue(value, it.line)
				continue
			}
			d.decodeElement(value, intercom.Origin{File: file, Line: it.line, Record: it.record}, func(c *intercom.Conversation, r *Reject) {
				add(c, r, it.line)
			})
		}
	default:
		line := ch.firstLine
		for data := ch.data; len(data) > 0; line++ {
			end := bytes.IndexByte(data, '\n')
			if end < 0 {
				end = len(data)
			}
			if value := bytes.TrimSpace(data[:end]); len(value) > 0 {
				decodeValue(value, line)
			}
			data = data[min(end+1, len(data)):]
		}
	}
	if ch.tail != nil {
		ch.results = append(ch.results, decoded[T]{unread: ch.tail})
	}
}

// splitLines cuts JSON Lines into chunks of about a megabyte at line ends.
// When a gzip file's data ends early, the complete lines travel on and the
// line it cuts is one reject that says so; a line longer than maxValueBytes
// is one reject, skipped without being held.
func splitLines[T any](r io.Reader, free buffers, send func(*chunk[T]) bool) error {
	line := 1
	var carry []byte
	var cut *CutError
	var readErr error
	for first, eof := true, false; !eof; first = false {
		var bufp *[]byte
		if first {
			// A small first buffer: a short file costs no megabyte.
			small := make([]byte, 0, 64<<10)
			bufp = &small
		} else {
			bufp = free.get()
		}
		buf := append((*bufp)[:0], carry...)
		end := 0 // buf[:end] holds whole lines
		for {
			for len(buf) < cap(buf) && !eof {
				n, err := r.Read(buf[len(buf):cap(buf)])
				buf = buf[:len(buf)+n]
				switch {
				case err == nil:
				case err == io.EOF:
					eof = true
				case errors.As(err, &cut):
					eof = true
				default:
					eof, readErr = true, err
				}
			}
			if eof && cut == nil && readErr == nil {
				end = len(buf)
				break
			}
			if i := bytes.LastIndexByte(buf, '\n'); i >= 0 || eof {
				end = i + 1
				break
			}
			if len(buf) >= maxValueBytes {
				break // one line fills the most a record may take
			}
			buf = slices.Grow(buf, min(cap(buf), maxValueBytes-len(buf))) // a line longer than the buffer
		}
		if end > 0 || eof {
			carry = append(carry[:0], buf[end:]...)
		}
		*bufp = buf
		data := buf[:end]
		ch := &chunk[T]{data: data, pooled: bufp, firstLine: line, jsonLines: true}
		line += bytes.Count(data, []byte{'\n'})
		switch {
		case end == 0 && !eof:
			// A line of maxValueBytes with no end in sight: reject it and
			// read on from the next line.
			ch.tail = &unread{line: line, count: 1, reason: fmt.Sprintf("is longer than %s, far more than any conversation, so it was skipped", sizeWords(int64(maxValueBytes)))}
			var err error
			eof, err = discardLine(r, buf[:cap(buf)], &carry)
			if errors.As(err, &cut) {
				ch.tail.reason += "; besides, " + cut.Reason(-1)
				cut = nil
			} else if err != nil && err != io.EOF {
				readErr = err
			}
			line++
		case eof && cut != nil:
			ch.tail = &unread{line: line, count: 1, cut: cut}
		}
		if len(data) == 0 && ch.tail == nil {
			free.put(bufp)
			continue
		}
		if !send(ch) {
			return nil
		}
	}
	return readErr
}

// discardLine reads and drops input up to and including the next line feed,
// leaving what follows it in carry; buf is scratch space. It reports
// whether the input ended there, and how if not cleanly. (When a line feed
// is found, the next read meets the end again: the readers beneath say it
// again.)
func discardLine(r io.Reader, buf []byte, carry *[]byte) (eof bool, err error) {
	for {
		n, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			*carry = append((*carry)[:0], buf[i+1:n]...)
			return false, nil
		}
		if err != nil {
			*carry = (*carry)[:0]
			return true, err
		}
	}
}
