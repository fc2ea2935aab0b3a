package pull

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/icrecon/icrecon/internal/atomicfile"
	"io"
	"os"
)

// store is conversations.jsonl: one conversation per line, appended with a
// single write each, so a crash can leave at most one torn line at the end,
// which opening the store again cuts off. It remembers, per conversation,
// only the updated_at it holds.
type store struct {
	path      string
	f         *os.File
	size      int64
	held      map[string]int64 // id → updated_at of the copy in the file
	truncated []Truncated      // conversations whose history Intercom cut
	buf       bytes.Buffer
}

// Truncated is a conversation with fewer parts than Intercom counts.
type Truncated struct {
	ID    string `json:"id"`
	Parts int    `json:"parts"`
	Total int64  `json:"total"`
}

// openStore opens or creates the file and reads back what it holds. A torn
// last line is cut off (tornBytes says how much); a damaged line anywhere
// else is an error, since nothing icrecon wrote can look like that.
func openStore(path string) (s *store, tornBytes int64, err error) {
	if err := atomicfile.CheckReplaceable(path); err != nil {
		return nil, 0, err // a link, a device or a pipe is not written through
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, err
	}
	s = &store{path: path, f: f, held: map[string]int64{}}
	if tornBytes, err = s.load(); err != nil {
		f.Close()
		return nil, 0, err
	}
	if _, err := f.Seek(s.size, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, err
	}
	return s, tornBytes, nil
}

func (s *store) load() (tornBytes int64, err error) {
	r := bufio.NewReaderSize(s.f, 1<<20)
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			if len(b) > 0 {
				return int64(len(b)), s.f.Truncate(s.size)
			}
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		d, err := readDetail(bytes.TrimSpace(b))
		if err != nil {
			return 0, fmt.Errorf("%s:%d: this line is not a whole conversation (%v); the file was changed by something other than icrecon pull: move it away to start the pull again", s.path, line, err)
		}
		if _, dup := s.held[d.ID]; dup {
			return 0, fmt.Errorf("%s:%d: conversation %s is in the file twice; the file was changed by something other than icrecon pull: move it away to start the pull again", s.path, line, d.ID)
		}
		s.note(d)
		s.size += int64(len(b))
	}
}

func (s *store) note(d detail) {
	s.held[d.ID] = d.UpdatedAt
	if d.truncated() {
		s.truncated = append(s.truncated, Truncated{ID: d.ID, Parts: d.Parts, Total: int64(max(d.Total.N, d.Counted.N-1))})
	}
}

// has reports whether the file holds the conversation.
func (s *store) has(id string) bool {
	_, ok := s.held[id]
	return ok
}

// add appends one conversation, as one line written at once.
func (s *store) add(d detail, body []byte) error {
	// JSON strings cannot hold a raw line break, so an answer without one
	// is already one line and is kept exactly as sent; only a
	// pretty-printed one is compacted.
	s.buf.Reset()
	if bytes.ContainsAny(body, "\r\n") {
		if err := json.Compact(&s.buf, body); err != nil {
			return fmt.Errorf("conversation %s: the answer is not JSON: %v", d.ID, err)
		}
	} else {
		s.buf.Write(body)
	}
	s.buf.WriteByte('\n')
	n, err := s.f.Write(s.buf.Bytes())
	s.size += int64(n)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", s.path, err)
	}
	s.note(d)
	return nil
}

// sync makes what was written survive a power cut, not only a crash.
func (s *store) sync() error { return s.f.Sync() }

func (s *store) close() error { return s.f.Close() }
