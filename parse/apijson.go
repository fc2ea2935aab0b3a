package parse

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/jsonscan"
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
	if p.onlyErrorBody != "" {
		return nil, fmt.Errorf("%s: this is an error response from Intercom, not conversations (%s)", o.Path, p.onlyErrorBody)
	}
	info.File = o.Info(KindAPI)
	return info, info.Tally.Check(o.Path)
}

// detectJSONLines tells JSON Lines from a pretty-printed document: a pretty
// printer always breaks the line right after an opening brace, JSON Lines
// never breaks inside a value.
func detectJSONLines(o *Opened) (bool, error) {
	head, _ := o.Peek(1 << 16)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
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

// chunk is a slice of the input holding whole top-level values, decoded by
// one worker and handed on in sequence.
type chunk[T any] struct {
	data      []byte
	pooled    *[]byte
	firstLine int
	jsonLines bool
	results   []decoded[T]
}

type decoded[T any] struct {
	conv      *intercom.Conversation
	prepared  T
	reject    *Reject
	errorBody bool
}

type apiPipeline[T any] struct {
	path          string
	opts          APIOptions
	info          *APIInfo
	prepare       func(*intercom.Conversation) T
	emit          func(*intercom.Conversation, T, bool) error
	onlyErrorBody string
	deliverFailed bool // the error came from the caller's emit, not the input
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
		return splitDocument(r, send)
	}
	decode := func() func(*chunk[T]) *chunk[T] {
		d := decoder{lean: p.opts.Lean}
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
		p.info.Tally.Read++
		if res.reject != nil {
			p.info.Tally.Rejected++
			p.noteErrorBody(res)
			if len(p.info.Rejects) < maxRejectsKept {
				p.info.Rejects = append(p.info.Rejects, *res.reject)
			}
			if p.opts.Strict {
				return &ErrStrict{Reject: *res.reject}
			}
			continue
		}
		p.onlyErrorBody = ""
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
	}
	ch.results = nil
	return nil
}

// noteErrorBody remembers a file that is nothing but an Intercom error
// response, so it can be described in one sentence instead of as a reject.
func (p *apiPipeline[T]) noteErrorBody(res decoded[T]) {
	if res.errorBody && p.info.Tally.Read == 1 {
		p.onlyErrorBody = strings.TrimPrefix(res.reject.Reason, errorBodyReason)
		return
	}
	p.onlyErrorBody = ""
}

const errorBodyReason = "is an error response from Intercom, not a conversation: "

// decodeChunk decodes every value of a chunk and prepares each conversation.
func decodeChunk[T any](d *decoder, ch *chunk[T], file string, prepare func(*intercom.Conversation) T) {
	decodeValue := func(value []byte, line int) {
		d.decodeTop(value, intercom.Origin{File: file, Line: line}, func(c *intercom.Conversation, r *Reject) {
			res := decoded[T]{conv: c, reject: r}
			if r != nil {
				r.File, r.Line = file, line
				res.errorBody = strings.HasPrefix(r.Reason, errorBodyReason)
			} else {
				parts := c.Parts
				res.prepared = prepare(c)
				if d.lean {
					d.partsBuf = parts[:0]
					c.Parts = nil
				}
			}
			ch.results = append(ch.results, res)
		})
	}
	if !ch.jsonLines {
		decodeValue(ch.data, ch.firstLine)
	} else {
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
}

// splitLines cuts JSON Lines into chunks of about a megabyte at line ends.
func splitLines[T any](r io.Reader, free buffers, send func(*chunk[T]) bool) error {
	line := 1
	var carry []byte
	for eof := false; !eof; {
		bufp := free.get()
		buf := append((*bufp)[:0], carry...)
		var cut int
		for {
			for len(buf) < cap(buf) && !eof {
				n, err := r.Read(buf[len(buf):cap(buf)])
				buf = buf[:len(buf)+n]
				if err == io.EOF {
					eof = true
				} else if err != nil {
					return err
				}
			}
			if eof {
				cut = len(buf)
				break
			}
			if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
				cut = i + 1
				break
			}
			buf = slices.Grow(buf, cap(buf)) // a line longer than the buffer
		}
		carry = append(carry[:0], buf[cut:]...)
		*bufp = buf
		data := buf[:cut]
		if len(data) == 0 {
			free.put(bufp)
			continue
		}
		if !send(&chunk[T]{data: data, pooled: bufp, firstLine: line, jsonLines: true}) {
			return nil
		}
		line += bytes.Count(data, []byte{'\n'})
	}
	return nil
}

// splitDocument reads a JSON document (or several, concatenated) whole and
// cuts it into its top-level values. Documents are pages of at most 150
// conversations or single conversations; a large pull should be JSON Lines.
func splitDocument[T any](r io.Reader, send func(*chunk[T]) bool) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	var s jsonscan.Scanner
	s.Reset(data)
	line, last := 1, 0
	for s.Peek() != jsonscan.Invalid {
		start := s.Offset()
		s.Skip()
		end := s.Offset()
		if s.Err() != nil {
			end = len(data)
		}
		line += bytes.Count(data[last:start], []byte{'\n'})
		last = start
		if !send(&chunk[T]{data: data[start:end], firstLine: line}) || s.Err() != nil {
			return nil
		}
	}
	if rest := bytes.TrimSpace(data[s.Offset():]); len(rest) > 0 {
		line += bytes.Count(data[last:s.Offset()], []byte{'\n'})
		send(&chunk[T]{data: rest, firstLine: line})
	}
	return nil
}
